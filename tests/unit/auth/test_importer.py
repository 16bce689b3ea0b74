"""The officer CSV parser reports every bad row with its line number and keeps only good rows."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.auth.importer import parse_officer_csv

HEADER = "name,email,service_number,force_code,team\n"


def test_good_file_parses_every_row():
    rows, problems = parse_officer_csv(
        HEADER + "Ann Lee,Ann.Lee@Police.uk,A1,kent,CID\nBo Chan,bo@police.uk,,kent,\n"
    )
    assert problems == []
    assert [(r.line, r.email, r.team) for r in rows] == [
        (2, "ann.lee@police.uk", "CID"),
        (3, "bo@police.uk", ""),
    ]


def test_missing_column_is_reported_on_line_one():
    _, problems = parse_officer_csv("name,email,force_code\nA,a@b.uk,kent\n")
    assert [str(p) for p in problems] == [
        "line 1: Missing column(s): service_number, team. The header must name: "
        "name, email, service_number, force_code, team."
    ]


def test_each_bad_row_reported_with_its_line():
    text = HEADER + (
        "Ann,ann@police.uk,1,kent,\n"
        "Bad Email,not-an-email,2,kent,\n"
        ",noname@police.uk,3,kent,\n"
        "Dup,ANN@police.uk,4,kent,\n"
        "Short,row@police.uk\n"
    )
    rows, problems = parse_officer_csv(text)
    assert [r.line for r in rows] == [2]
    assert [(p.line, p.message) for p in problems] == [
        (3, "'not-an-email' is not a valid email address."),
        (4, "name is empty."),
        (5, "duplicate email ann@police.uk (also on line 2)."),
        (6, "expected 5 values, found 2."),
    ]


def test_duplicate_service_number_in_same_force_reported():
    _, problems = parse_officer_csv(HEADER + "A,a@p.uk,77,kent,\nB,b@p.uk,77,kent,\nC,c@p.uk,77,essex,\n")
    assert [(p.line, p.message) for p in problems] == [(3, "duplicate service number 77 (also on line 2).")]


def test_non_utf8_file_refused_clearly():
    _, problems = parse_officer_csv(HEADER.encode() + "Zoë,z@p.uk,1,kent,\n".encode("latin-1"))
    assert "not UTF-8" in problems[0].message


def test_empty_file_refused_clearly():
    _, problems = parse_officer_csv(b"")
    assert problems[0].line == 1
    assert "empty" in problems[0].message


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(data):
    rows, problems = parse_officer_csv(HEADER.encode() + data)
    assert all(r.line >= 2 for r in rows)
    assert all(p.line >= 1 for p in problems)


def test_workforce_type_column_is_optional_and_blank_means_police_officer():
    rows, problems = parse_officer_csv(
        "name,email,service_number,force_code,team,workforce_type\n"
        "Ann,ann@p.uk,1,kent,,\n"
        "Bo,bo@p.uk,2,kent,,Special Constable\n"
        "Cy,cy@p.uk,3,kent,,pcso\n"
        "Di,di@p.uk,4,kent,,police_staff\n"
    )
    assert problems == []
    assert [r.workforce_type.value for r in rows] == [
        "police_officer",
        "special_constable",
        "pcso",
        "police_staff",
    ]
    rows, _ = parse_officer_csv(HEADER + "Ann,ann@p.uk,1,kent,\n")
    assert rows[0].workforce_type.value == "police_officer"


def test_unknown_workforce_type_is_a_row_problem_with_its_line():
    rows, problems = parse_officer_csv(
        "workforce_type,name,email,service_number,force_code,team\n"
        "police_officer,Ann,ann@p.uk,1,kent,\n"
        "constable,Bo,bo@p.uk,2,kent,\n"
    )
    assert [r.line for r in rows] == [2]
    [problem] = problems
    assert problem.line == 3
    assert problem.message.startswith("unknown workforce type 'constable'")


def test_service_number_with_invisible_characters_is_refused_like_everywhere_else():
    rows, problems = parse_officer_csv(HEADER + "Ann,ann@p.uk,SN\u200b1,kent,\n")
    assert rows == []
    assert [(p.line, p.message) for p in problems] == [
        (2, "the service number contains control or invisible characters.")
    ]


def test_look_alike_email_is_refused():
    rows, problems = parse_officer_csv(HEADER + "Ann,\u0430nn@p.uk,1,kent,\n")
    assert rows == []
    assert problems[0].line == 2
    assert "CYRILLIC SMALL LETTER A" in problems[0].message
