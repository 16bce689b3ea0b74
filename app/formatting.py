"""How numbers, plurals, dates and times read to people: one helper each, for every page, flash,
email and PDF's human text (machine formats such as CSV cells, ISO dates and xAPI stay as they are).

Pure: no Flask. Stored times are naive UTC (app.clock); people read them in UK time, labelled.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
UK_TIME_LABEL = "(UK time)"
WELSH = "cy"
# Welsh as the Welsh Government's style guides write times: "3:05yp", "9yb", "canol dydd".
WELSH_TIME_WORDS = {"am": "yb", "pm": "yp", "midday": "canol dydd", "midnight": "canol nos"}
WELSH_TIME_LABEL = "(amser y DU)"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention babel extracts
    """Mark a message for the catalogue (babel extracts N_) without translating it: for labels
    kept in pure modules (roles, statuses); pages translate them with `_()` when shown."""
    return message


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """The count and the noun it agrees with: '1 officer', '1,234 officers', '2 new teams'."""
    word = singular if count == 1 else (plural if plural is not None else singular + "s")
    return f"{count:,} {word}"


def in_uk(moment: datetime) -> datetime:
    """A datetime in UK time; a naive one is taken to be UTC (as the database stores them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK)


def uk_date(day: date | datetime | None, *, short: bool = False, language: str = "en") -> str:
    """'2 December 2026' ('2 Dec 2026' short, for tables); a datetime gives its date in the UK.
    In Welsh (language "cy"), the month's Welsh name: '2 Rhagfyr 2026' (CLDR, through Babel).

    None gives '' so a template can follow it with `or 'Never'`.
    """
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = in_uk(day).date()
    if language == WELSH:
        from babel.dates import format_date

        return format_date(day, "d MMM y" if short else "d MMMM y", locale=WELSH)
    return f"{day.day} {day:%b %Y}" if short else f"{day.day} {day:%B %Y}"


def uk_time(moment: datetime | None, *, seconds: bool = False, language: str = "en") -> str:
    """The time of day in the UK, as GOV.UK writes it: '3:05pm', '9am', 'midday', 'midnight'
    (in Welsh '3:05yp', '9yb', 'canol dydd', 'canol nos')."""
    if moment is None:
        return ""
    if language == WELSH:
        english = uk_time(moment, seconds=seconds)
        if english in WELSH_TIME_WORDS:
            return WELSH_TIME_WORDS[english]
        return english[:-2] + WELSH_TIME_WORDS[english[-2:]]
    local = in_uk(moment)
    if not seconds and local.minute == 0:
        if local.hour == 0:
            return "midnight"
        if local.hour == 12:
            return "midday"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if seconds:
        return f"{hour}:{local.minute:02d}:{local.second:02d}{suffix}"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{suffix}"


def uk_datetime(
    moment: datetime | None,
    *,
    short: bool = False,
    seconds: bool = False,
    label: bool = True,
    language: str = "en",
) -> str:
    """'2 December 2026, 3:05pm (UK time)': the date and time in the UK, labelled as such."""
    if moment is None:
        return ""
    day = uk_date(moment, short=short, language=language)
    text = f"{day}, {uk_time(moment, seconds=seconds, language=language)}"
    if not label:
        return text
    return f"{text} {WELSH_TIME_LABEL if language == WELSH else UK_TIME_LABEL}"
