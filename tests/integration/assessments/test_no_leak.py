"""Before submission the attempt page holds no correctness and no feedback, nor the authored keys."""

import re

from app.assessments import services
from app.extensions import db
from tests.integration.assessments.conftest import form_data, main_text


def test_attempt_page_never_shows_feedback_or_correct_markers(client, login_as, officer, quiz):
    login_as(officer)
    attempt = services.start_attempt(officer, quiz.module)
    db.session.commit()
    client.post(f"/attempts/{attempt.id}/save", data=form_data(attempt, {"van": "a", "signs": ["a"]}))
    for response in (
        client.get(f"/attempts/{attempt.id}"),
        client.post(f"/attempts/{attempt.id}/submit", data=form_data(attempt, {"van": "a"})),
    ):  # with errors shown
        html = response.get_data(as_text=True)
        main = main_text(html)
        for question in quiz.questions:
            for option in question.options:
                assert option["feedback_html"] not in html
                feedback_text = re.sub(r"<[^>]+>", "", option["feedback_html"])
                assert feedback_text not in html
        assert "Feedback" not in main
        assert not re.search(r"correct|right answer|data-key|result-option", main, re.I)


def test_option_values_are_positions_not_authored_keys(client, login_as, officer, quiz):
    """The authored keys (a, b, c...) are the answer order of an ordering question: never sent."""
    login_as(officer)
    attempt = services.start_attempt(officer, quiz.module)
    db.session.commit()
    main = main_text(client.get(f"/attempts/{attempt.id}").get_data(as_text=True))
    values = set(re.findall(r'<input class="govuk-(?:radios|checkboxes)__input"[^>]* value="([^"]+)"', main))
    names = set(re.findall(r'<select[^>]* name="([^"]+)"', main))
    assert values == {"1", "2", "3", "4", "5"}
    assert names == {"q3-1", "q3-2", "q3-3", "q3-4"}
    assert not re.search(r'value="[a-e]"', main)
