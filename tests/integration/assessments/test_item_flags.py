"""Item-analysis flags on the admin content page: none below 30 first attempts, plain words from 30."""

import html

from app.assessments import item_flags, services
from app.assessments.item_flags import MIN_FIRST_ATTEMPTS
from tests.factories import ForceFactory, UserFactory

# van is answered right by everyone (facility 1, options b and c never chosen). The officers who
# get signs right get peace wrong and the other way round, so signs discriminates negatively.
SIGNS_RIGHT = {"van": "a", "signs": ["a", "b"], "peace": ["b", "a", "d", "c"]}
SIGNS_WRONG = {"van": "a", "signs": ["c"], "peace": ["a", "b", "c", "d"]}


def _take(user, version, answers):
    """A first attempt through the real start and submit path (updates QuestionStat)."""
    attempt = services.start_attempt(user, version.module)
    services.submit_attempt(user, attempt, answers, attempt.module_version_id)


def _first_attempts(version, count, start=0):
    forces = [ForceFactory(), ForceFactory()]  # flags are national: two forces' rollups merged
    for i in range(start, start + count):
        answers = SIGNS_RIGHT if i % 2 == 0 else SIGNS_WRONG
        _take(UserFactory(force=forces[i % 2]), version, answers)


def _page(client, login_as):
    login_as(UserFactory(role="admin", force=None))
    response = client.get("/admin/content")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_below_30_first_attempts_no_flag_is_shown(database, client, login_as, quiz):
    _first_attempts(quiz, MIN_FIRST_ATTEMPTS - 1)
    page = _page(client, login_as)
    assert "not enough answers yet (29 of 30)" in page
    for words in ("Facility", "Discrimination", "never chosen"):
        assert words not in page
    flags = item_flags.module_flags(quiz.module_id)
    assert not flags.flagged
    assert [q.n for q in flags.waiting] == [29, 29, 29]


def test_from_30_first_attempts_flags_are_shown_with_what_to_do(database, client, login_as, quiz):
    _first_attempts(quiz, MIN_FIRST_ATTEMPTS - 1)
    _first_attempts(quiz, 1, start=MIN_FIRST_ATTEMPTS - 1)
    page = _page(client, login_as)
    assert "not enough answers yet" not in page
    assert (
        "Facility 1.00: almost everyone answers this correctly; consider a harder near-miss distractor"
        in page
    )
    assert "Option b is never chosen" in page
    assert "Option c is never chosen" in page
    assert "Discrimination -" in page
    assert "check the key" in page
    flags = {q.key: q for q in item_flags.module_flags(quiz.module_id).flagged}
    assert flags["van"].n == 30
    assert any(m.startswith("Discrimination -") for m in flags["signs"].messages)
    # Options d and e of signs are never chosen either; a and b are correct and are not listed.
    assert any(m.startswith("Option d ") for m in flags["signs"].messages)
    assert not any(m.startswith(("Option a ", "Option b ")) for m in flags["signs"].messages)
    # The ordering question has no distractors to flag.
    assert not any("never chosen" in m for m in flags["peace"].messages)


def test_retakes_do_not_count_towards_the_30(database, client, login_as, quiz):
    officer = UserFactory(force=ForceFactory())
    for _ in range(MIN_FIRST_ATTEMPTS + 1):
        _take(officer, quiz, SIGNS_RIGHT)
    assert [q.n for q in item_flags.module_flags(quiz.module_id).waiting] == [1, 1, 1]


def test_other_roles_do_not_see_the_flags(database, client, login_as, quiz):
    _first_attempts(quiz, MIN_FIRST_ATTEMPTS)
    for role in ("officer", "training_lead", "commissioner"):
        login_as(UserFactory(role=role, force=None if role == "commissioner" else ForceFactory()))
        response = client.get("/admin/content")
        assert response.status_code == 403
        assert b"Facility" not in response.data


def test_a_welsh_admin_reads_the_flags_in_welsh(database, client, login_as, quiz):
    _first_attempts(quiz, MIN_FIRST_ATTEMPTS)
    login_as(UserFactory(role="admin", force=None, language="cy"))
    page = html.unescape(client.get("/admin/content").get_data(as_text=True))
    flags = page.split('id="question-flags"', 1)[1]
    assert "Hwylustod 1.00: mae bron pawb yn ateb hwn yn gywir" in flags
    assert "Nid oes neb byth yn dewis opsiwn b" in flags
    assert "never chosen" not in flags
    assert "Facility 1.00" not in flags
