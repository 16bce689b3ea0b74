"""Officer CSV import: parse and validate every row before anything is written (pure)."""

import csv
import io
from dataclasses import dataclass

from app.auth.identity import check_email, clean_service_number
from app.auth.workforce import WorkforceType, parse_workforce_type
from app.formatting import N_
from app.messages import Message

COLUMNS = ("name", "email", "service_number", "force_code", "team")
# Optional: a file without it imports police officers, as before.
OPTIONAL_COLUMNS = ("workforce_type",)
MAX_FIELD = 200
# The columns' sizes in the database (users.name, users.service_number, teams.name): a longer
# value would pass here and then fail the INSERT on PostgreSQL (a 500 instead of a row problem).
MAX_LENGTH = {"name": 120, "service_number": 40, "team": 120, "force_code": 40}


@dataclass(frozen=True)
class OfficerRow:
    """One valid row of an officer import."""

    line: int
    name: str
    email: str
    service_number: str
    force_code: str
    team: str
    workforce_type: WorkforceType = WorkforceType.POLICE_OFFICER


@dataclass(frozen=True)
class RowProblem:
    """A problem with a row (line 1 is the header); the message is English as a str (the command
    line, SCIM, logs) and a Message that pages translate (`|say`)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def parse_officer_csv(data: bytes | str) -> tuple[list[OfficerRow], list[RowProblem]]:
    """Parse an officer CSV; return the good rows and every problem found (pure, no database)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [
                RowProblem(1, Message(N_("The file is not UTF-8 text. Save it as 'CSV UTF-8' and retry.")))
            ]
    reader = csv.reader(io.StringIO(data, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        message = N_("The file is empty: it needs a header row (%(columns)s).")
        return [], [RowProblem(1, Message(message, columns=", ".join(COLUMNS)))]
    header = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [
            RowProblem(
                1,
                Message(
                    N_("Missing column(s): %(missing)s. The header must name: %(columns)s."),
                    missing=", ".join(missing),
                    columns=", ".join(COLUMNS),
                ),
            )
        ]
    index = {c: header.index(c) for c in COLUMNS + OPTIONAL_COLUMNS if c in header}
    rows: list[OfficerRow] = []
    problems: list[RowProblem] = []
    seen_email: dict[str, int] = {}
    seen_service: dict[tuple[str, str], int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) < len(header):
                message = Message(
                    N_("expected %(expected)s values, found %(found)s."),
                    expected=len(header),
                    found=len(record),
                )
                problems.append(RowProblem(line, message))
                continue
            values = {c: record[i].strip() for c, i in index.items()}
            row_problems = _row_problems(values)
            email = values["email"].lower()
            if not row_problems:
                email = check_email(values["email"])
                if email in seen_email:
                    row_problems.append(
                        Message(
                            N_("duplicate email %(email)s (also on line %(line)s)."),
                            email=email,
                            line=seen_email[email],
                        )
                    )
                key = (values["force_code"].lower(), values["service_number"])
                if values["service_number"] and key in seen_service:
                    row_problems.append(
                        Message(
                            N_("duplicate service number %(number)s (also on line %(line)s)."),
                            number=values["service_number"],
                            line=seen_service[key],
                        )
                    )
            problems.extend(RowProblem(line, m) for m in row_problems)
            if not row_problems:
                seen_email[email] = line
                if values["service_number"]:
                    seen_service[(values["force_code"].lower(), values["service_number"])] = line
                rows.append(
                    OfficerRow(
                        line,
                        values["name"],
                        email,
                        values["service_number"],
                        values["force_code"].lower(),
                        values["team"],
                        parse_workforce_type(values.get("workforce_type")),
                    )
                )
    except csv.Error as exc:
        message = Message(N_("the CSV cannot be read (%(error)s)."), error=str(exc))
        problems.append(RowProblem(reader.line_num, message))
    return rows, problems


def _row_problems(values: dict[str, str]) -> list[str]:
    problems = []
    for column in ("name", "email", "force_code"):
        if not values[column]:
            problems.append(Message(N_("%(column)s is empty."), column=column))
    for column, value in values.items():
        if column == "service_number":  # the same rule as the admin form and the CLI
            problems.extend(_refusal(clean_service_number, value))
            continue
        limit = MAX_LENGTH.get(column, MAX_FIELD)
        if len(value) > limit:
            message = N_("%(column)s is longer than %(max)s characters.")
            problems.append(Message(message, column=column, max=limit))
        if any(ord(ch) < 32 for ch in value):
            problems.append(Message(N_("%(column)s contains control characters."), column=column))
    if values["email"]:
        problems.extend(_refusal(check_email, values["email"]))
    if "workforce_type" in values:
        problems.extend(_refusal(parse_workforce_type, values["workforce_type"]))
    return problems


def _refusal(check, value: str) -> list[str]:
    """The message of a shared check that refuses the value, if it does (its Message, which
    pages translate, when it has one)."""
    try:
        check(value)
    except ValueError as exc:  # IdentityError is one
        reason = exc.args[0] if exc.args else None
        return [reason if isinstance(reason, Message) else str(exc)]
    return []
