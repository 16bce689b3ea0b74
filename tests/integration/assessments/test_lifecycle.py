"""Start, save part-way, resume, submit, see the result, retake: through the real pages."""

from app.assessments.models import Attempt, AttemptAnswer, ModuleResult
from app.extensions import db
from tests.integration.assessments.conftest import ALL_RIGHT, form_data, main_text


def _start(client, version):
    response = client.post(f"/modules/{version.module.slug}/quiz")
    assert response.status_code == 302
    attempt_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    return db.session.get(Attempt, attempt_id)


def test_intro_shows_pass_mark_and_start_button(client, login_as, officer, quiz):
    login_as(officer)
    response = client.get(f"/modules/{quiz.module.slug}/quiz")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<title>Quiz: {quiz.title}" in html
    assert "80%" in html
    assert "Start the quiz" in html
    assert "Not yet taken" in html


def test_start_fixes_questions_seed_and_version(client, login_as, officer, quiz):
    login_as(officer)
    attempt = _start(client, quiz)
    assert attempt.user_id == officer.id
    assert attempt.number == 1
    assert attempt.module_version_id == quiz.id
    assert attempt.force_id == officer.force_id
    assert [e["key"] for e in attempt.question_keys] == ["van", "signs", "peace"]
    assert {e["question_id"] for e in attempt.question_keys} == {q.id for q in quiz.questions}
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert f"<title>Attempt 1: {quiz.title}" in page
    assert page.count("<fieldset") == 3
    assert page.count("<legend") == 3
    assert 'type="radio"' in page
    assert 'type="checkbox"' in page
    assert "<select" in page


def test_starting_twice_resumes_the_open_attempt(client, login_as, officer, quiz):
    login_as(officer)
    first = _start(client, quiz)
    second = _start(client, quiz)
    assert first.id == second.id
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1


def test_options_keep_their_shuffle_between_loads(client, login_as, officer, quiz):
    login_as(officer)
    attempt = _start(client, quiz)
    first = main_text(client.get(f"/attempts/{attempt.id}").get_data(as_text=True))
    again = main_text(client.get(f"/attempts/{attempt.id}").get_data(as_text=True))
    assert first == again
    # The ordering question is never shown in its (correct) authored order.
    assert (
        first.index("Planning and preparation") > first.index("Engage and explain")
        or first.index("Engage and explain") > first.index("Account")
        or first.index("Account") > first.index("Closure")
    )


def test_saved_answers_are_filled_in_on_return(client, login_as, officer, quiz):
    login_as(officer)
    attempt = _start(client, quiz)
    data = form_data(attempt, {"van": "a", "signs": ["b"]})
    response = client.post(f"/attempts/{attempt.id}/save", data=data)
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert attempt.saved_answers == {"van": "a", "signs": ["b"]}
    assert attempt.submitted_at is None
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert f'value="{data["q1"]}" checked' in page
    assert f'value="{data["q2"][0]}" checked' in page


def test_partial_ordering_is_saved_and_shown(client, login_as, officer, quiz):
    login_as(officer)
    attempt = _start(client, quiz)
    peace = form_data(attempt, {"peace": ["a", "b", "c", "d"]})
    name = next(k for k, v in peace.items() if k.startswith("q3-") and v == "1")
    client.post(f"/attempts/{attempt.id}/save", data={"module_version_id": str(quiz.id), name: "1"})
    db.session.refresh(attempt)
    assert attempt.saved_answers == {"peace": {"a": 1}}
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    select = page[page.index(f'name="{name}"') :]
    assert '<option value="1" selected>' in select[: select.index("</select>")]


def test_incomplete_submission_shows_an_error_summary_and_keeps_answers(client, login_as, officer, quiz):
    login_as(officer)
    attempt = _start(client, quiz)
    response = client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, {"van": "a"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert 'role="alert"' in html
    assert "Question 2: choose at least one answer" in html
    assert "Question 3: choose a position for every step" in html
    assert 'href="#q2-1"' in html
    assert 'id="q2-1"' in html
    db.session.refresh(attempt)
    assert attempt.submitted_at is None
    assert attempt.saved_answers == {"van": "a"}
    assert db.session.scalar(db.select(db.func.count(AttemptAnswer.id))) == 0


def test_ordering_with_a_repeated_position_is_an_error(client, login_as, officer, quiz):
    login_as(officer)
    attempt = _start(client, quiz)
    data = form_data(attempt, ALL_RIGHT)
    for name in [k for k in data if k.startswith("q3-")]:
        data[name] = "1"
    response = client.post(f"/attempts/{attempt.id}/submit", data=data)
    assert response.status_code == 400
    assert "Question 3: give each step a different position" in response.get_data(as_text=True)


def test_submit_scores_and_shows_result_with_feedback(client, login_as, officer, quiz):
    login_as(officer)
    attempt = _start(client, quiz)
    # The worked example of docs/scoring.md: 1 + 1/6 + 1 of 4 points = 54.17%.
    answers = {"van": "a", "signs": ["a", "c"], "peace": ["a", "c", "b", "d"]}
    response = client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, answers))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt.id}/result")
    db.session.refresh(attempt)
    assert attempt.percent == 54.17
    assert attempt.passed is False
    assert abs(attempt.score - 13 / 6) < 1e-9
    assert attempt.max_score == 4
    stored = {a.question_key: (a.answer, round(a.score, 4)) for a in attempt.answers}
    assert stored == {"van": ("a", 1.0), "signs": (["a", "c"], 0.1667), "peace": (["a", "c", "b", "d"], 1.0)}
    html = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert f"<title>Result of attempt 1: {quiz.title}" in html
    assert "54.17%" in html
    assert "Not passed this time" in html
    assert "Pass mark 80%" in html
    for question in quiz.questions:
        for option in question.options:
            assert option["feedback_html"] in html
    assert "Your answer" in html
    assert "Correct answer" in html
    assert "Should be position 2" in html


def test_a_submitted_attempt_redirects_to_its_result(client, login_as, officer, quiz):
    login_as(officer)
    attempt = _start(client, quiz)
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, ALL_RIGHT))
    response = client.get(f"/attempts/{attempt.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/result")
    response = client.post(f"/attempts/{attempt.id}/save", data=form_data(attempt, ALL_RIGHT))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/result")


def test_fail_then_retake_and_pass(client, login_as, officer, quiz):
    login_as(officer)
    first = _start(client, quiz)
    client.post(
        f"/attempts/{first.id}/submit",
        data=form_data(first, {"van": "b", "signs": ["a"], "peace": list("abcd")}),
    )
    second = _start(client, quiz)
    assert second.number == 2
    assert second.id != first.id
    client.post(f"/attempts/{second.id}/submit", data=form_data(second, ALL_RIGHT))
    db.session.refresh(second)
    assert second.passed is True
    assert second.percent == 100
    result = db.session.scalar(db.select(ModuleResult))
    assert (result.attempts, result.best_percent, result.best_attempt_id) == (2, 100, second.id)
    intro = client.get(f"/modules/{quiz.module.slug}/quiz").get_data(as_text=True)
    assert "Passed" in intro
    assert "Start attempt 3" in intro


def test_feedback_hidden_when_the_module_says_so(client, login_as, officer):
    from tests.integration.assessments.conftest import make_quiz

    version = make_quiz(show_feedback=False)
    login_as(officer)
    attempt = _start(client, version)
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, ALL_RIGHT))
    html = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "100%" in html
    assert "You passed" in html
    assert "Feedback on Passports" not in html
    assert "Correct answer" not in html
    assert "safeguard first" not in html


def test_training_lead_can_take_a_quiz(client, login_as, quiz):
    from tests.factories import UserFactory

    lead = login_as(UserFactory(role="training_lead"))
    attempt = _start(client, quiz)
    assert attempt.user_id == lead.id
    assert client.get(f"/attempts/{attempt.id}").status_code == 200


def _course_of(*versions, title="First responder basics"):
    """A published course of these module versions, in order."""
    from tests.factories import CourseFactory, CourseModuleFactory

    course = CourseFactory(title=title)
    for position, version in enumerate(versions):
        CourseModuleFactory(course=course, module=version.module, position=position)
    db.session.flush()
    return course


def _result_page(client, quiz, answers) -> str:
    """Start an attempt, submit these answers, and return its result page."""
    attempt = _start(client, quiz)
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, answers))
    return client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)


def test_passing_the_last_module_of_a_course_says_so_and_offers_the_certificate(
    client, login_as, officer, quiz
):
    _course_of(quiz)
    login_as(officer)
    assert "Course complete" not in _result_page(client, quiz, {"van": "b"})
    html = _result_page(client, quiz, ALL_RIGHT)
    assert "Course complete: First responder basics" in html
    from app.certificates.models import Certificate

    serial = db.session.scalar(db.select(Certificate.serial).where(Certificate.user_id == officer.id))
    assert f'href="/certificates/{serial}/pdf"' in html
    # A later pass of the same module (a retake) earns nothing new, so says nothing of it.
    assert "Course complete" not in _result_page(client, quiz, ALL_RIGHT)


def test_the_course_page_of_a_completed_course_links_its_certificate(client, login_as, officer, quiz):
    course = _course_of(quiz)
    login_as(officer)
    assert "Your certificate" not in client.get(f"/courses/{course.slug}").get_data(as_text=True)
    attempt = _start(client, quiz)
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, ALL_RIGHT))
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Your certificate" in page
    assert "/pdf" in page.split("Your certificate")[1].split("</div>")[0]


def test_passing_a_module_offers_the_next_one_of_its_course(client, login_as, officer, quiz):
    from tests.factories import ModuleVersionFactory

    second = ModuleVersionFactory(title="Using the powers")
    second.module.current_version = second
    _course_of(quiz, second)
    login_as(officer)
    assert "Next: " not in _result_page(client, quiz, {"van": "b"})
    html = _result_page(client, quiz, ALL_RIGHT)
    assert "Next: Using the powers" in html
    assert f'href="/modules/{second.module.slug}"' in html
    assert "Course complete" not in html


def test_a_wrong_answer_links_to_the_lesson_section_it_tests(client, login_as, officer):
    """Wrong-option feedback links the section a question tests; the result names its lesson."""
    from tests.factories import LessonFactory
    from tests.integration.assessments.conftest import make_quiz

    version = make_quiz()
    LessonFactory(module_version=version, number=1, title="What modern slavery is")
    LessonFactory(module_version=version, number=2, title="Indicators")
    van = next(q for q in version.questions if q.key == "van")
    section = f"/modules/{version.module.slug}/lessons/2#signs-at-the-roadside"
    van.options = [
        {**o, "feedback_html": o["feedback_html"] + f'<p>See <a href="{section}">the signs</a>.</p>'}
        if not o["correct"]
        else o
        for o in van.options
    ]
    db.session.commit()
    login_as(officer)
    attempt = _start(client, version)
    client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, {**ALL_RIGHT, "van": "b"}))
    html = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert f'<a class="govuk-link" href="{section}">Read: Indicators</a>' in html
    assert html.count("Read: ") == 1  # only the question answered wrongly, only where it links

    retake = _start(client, version)
    client.post(f"/attempts/{retake.id}/submit", data=form_data(retake, ALL_RIGHT))
    assert "Read: " not in client.get(f"/attempts/{retake.id}/result").get_data(as_text=True)


def test_a_saved_attempt_says_how_many_questions_are_answered(client, login_as, officer, quiz):
    login_as(officer)
    attempt = _start(client, quiz)
    assert "You have answered" not in client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    client.post(f"/attempts/{attempt.id}/save", data=form_data(attempt, {"van": "a", "peace": ["a", "b"]}))
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "You have answered 1 of 3 questions." in page  # a part-placed ordering is not answered
    assert "Question 2 of 3" in page
