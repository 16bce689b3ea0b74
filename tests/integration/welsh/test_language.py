"""Choosing the language: a link on every page, remembered for the person, defaulting from the
force; pages say which language they are in; dates follow it; attempts record it."""

import re
from datetime import UTC, datetime

import pytest

from app.assessments import services
from app.extensions import db
from app.i18n import choose_language
from tests.factories import ForceFactory, UserFactory
from tests.integration.assessments.conftest import make_quiz


@pytest.mark.parametrize(
    ("user", "browser", "force", "chosen"),
    [
        (None, None, None, "en"),
        (None, None, "cy", "cy"),
        (None, "cy", "en", "cy"),
        ("en", "cy", "cy", "en"),
        ("cy", None, "en", "cy"),
        ("xx", "zz", None, "en"),  # nothing the service has
    ],
)
def test_the_person_then_the_browser_then_the_force_choose(user, browser, force, chosen):
    assert choose_language(user, browser, force) == chosen


def test_every_page_links_to_the_other_language_and_says_its_own(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="en-GB"' in page
    link = re.search(
        r'<a class="govuk-link" href="(/language/cy\?next=[^"]+)" lang="cy" hreflang="cy">Cymraeg</a>', page
    )
    assert link, "the Cymraeg link"
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="cy"' in page
    assert "Neidio i&#39;r prif gynnwys" in page or "Neidio i'r prif gynnwys" in page
    assert re.search(r'href="/language/en\?next=[^"]+" lang="en" hreflang="en">English</a>', page)


def test_a_signed_in_choice_is_kept_on_the_person(client, login_as, database):
    officer = login_as(UserFactory(role="officer"))
    client.get("/language/cy?next=/courses")
    db.session.refresh(officer)
    assert officer.language == "cy"
    # A new browser (no session choice) still gets Welsh: it is the person's.
    with client.session_transaction() as session:
        session.pop("language", None)
    assert '<html lang="cy"' in client.get("/courses").get_data(as_text=True)


def test_officers_of_a_welsh_force_start_in_welsh(client, login_as, database):
    force = ForceFactory(default_language="cy")
    login_as(UserFactory(role="officer", force=force))
    assert '<html lang="cy"' in client.get("/courses").get_data(as_text=True)
    client.get("/language/en?next=/courses")
    assert '<html lang="en-GB"' in client.get("/courses").get_data(as_text=True)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_switch_never_leaves_the_site(client, next_url):
    response = client.get("/language/cy", query_string={"next": next_url})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert not response.headers["Location"].startswith("javascript")


def test_an_unknown_language_is_not_found(client):
    assert client.get("/language/fr").status_code == 404


def test_dates_on_a_welsh_page_are_in_welsh(app):
    with app.test_request_context():
        from flask import render_template_string

        from app import i18n

        when = datetime(2026, 12, 2, 15, 5, tzinfo=UTC)
        with app.test_request_context("/"):
            from flask import session

            session[i18n.SESSION_KEY] = "cy"
            text = render_template_string("{{ when | uk_datetime }}", when=when)
    assert text == "2 Rhagfyr 2026, 3:05yp (amser y DU)"


def test_an_attempt_records_the_language_it_was_taken_in(client, login_as, database):
    quiz = make_quiz()
    officer = login_as(UserFactory(role="officer"))
    client.get("/language/cy?next=/courses")
    response = client.post(f"/modules/{quiz.module.slug}/quiz")
    attempt_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert db.session.get(services.Attempt, attempt_id).language == "cy"
    assert officer.language == "cy"


def test_flask_forces_language_sets_a_forces_default(app, database):
    from app.audit import AuditEvent
    from app.forces.models import Force

    force = ForceFactory(code="gwent")
    database.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forces", "language", "gwent", "cy"])
    assert result.exit_code == 0, result.output
    assert "start in Cymraeg" in result.output
    assert db.session.get(Force, force.id).default_language == "cy"
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "force.language"))
    refused = runner.invoke(args=["forces", "language", "gwent", "fr"])
    assert refused.exit_code != 0
    unknown = runner.invoke(args=["forces", "language", "nowhere", "cy"])
    assert unknown.exit_code != 0
    assert "No force has the code" in unknown.output
    assert db.session.get(Force, force.id).default_language == "cy"


def test_the_national_report_pdf_is_in_welsh_for_a_welsh_reader(client, login_as, database):
    import io

    from pypdf import PdfReader

    login_as(UserFactory(role="commissioner", force=None, language="cy"))
    response = client.get("/metrics/national.pdf")
    assert response.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Hyfforddiant caethwasiaeth fodern: metrigau cenedlaethol" in text
    assert "Cyfansymiau cenedlaethol" in text
    assert "National totals" not in text


@pytest.mark.parametrize(
    ("language", "count", "shown"),
    [
        ("en", 1, "Signed out of 1 other device."),
        ("en", 1754, "Signed out of 1,754 other devices."),
        ("cy", 2, "Wedi allgofnodi o 2 ddyfais arall."),  # Welsh's "two" form, chosen from the number
        ("cy", 1754, "Wedi allgofnodi o 1,754 dyfais arall."),
    ],
)
def test_a_count_in_a_template_is_written_with_thousands_and_picks_the_plural(app, language, count, shown):
    from flask import render_template_string
    from flask_babel import force_locale

    template = (
        "{{ ngettext('Signed out of %(num)s other device.', 'Signed out of %(num)s other devices.', n) }}"
    )
    with app.test_request_context(), force_locale(language):
        assert render_template_string(template, n=count) == shown


def test_a_template_may_still_pass_its_own_count(app):
    from flask import render_template_string

    template = "{{ ngettext('%(num)s user.', '%(num)s users.', n, num='about ' ~ n) }}"
    with app.test_request_context():
        assert render_template_string(template, n=3) == "about 3 users."
