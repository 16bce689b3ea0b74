"""The page layout on GOV.UK Frontend: the built files it loads, the Generic header (no crown, no
GOV.UK name), the signed-in bar with a working Sign out, navigation, phase banner, flashed messages
as notification banners and the footer's links."""

import re
from pathlib import Path

from app.web import GOVUK_FRONTEND_VERSION
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def test_the_built_frontend_files_are_committed_for_the_pinned_version():
    static = ROOT / "app" / "static" / "govuk"
    css = (static / f"govuk-frontend-{GOVUK_FRONTEND_VERSION}.min.css").read_text()
    assert (static / f"govuk-frontend-{GOVUK_FRONTEND_VERSION}.min.js").stat().st_size > 10_000
    init = (static / f"init-{GOVUK_FRONTEND_VERSION}.js").read_text()
    assert f'from "./govuk-frontend-{GOVUK_FRONTEND_VERSION}.min.js"' in init
    # Not a GOV.UK service: Arial, no GDS Transport font face, the police blue as brand colour.
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "--govuk-brand-colour: #1d3a6b" in css
    package = (ROOT / "frontend" / "package.json").read_text()
    assert f'"govuk-frontend": "{GOVUK_FRONTEND_VERSION}"' in package
    assert f"GOVUK_FRONTEND_VERSION := {GOVUK_FRONTEND_VERSION}" in (ROOT / "Makefile").read_text()


def test_a_page_loads_the_versioned_files_and_no_gov_uk_branding(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="en-GB" class="govuk-template">' in page
    assert '<body class="govuk-template__body">' in page
    assert f"/static/govuk/govuk-frontend-{GOVUK_FRONTEND_VERSION}.min.css" in page
    assert page.index("govuk-frontend-") < page.index("/static/css/app.css")
    assert 'class="govuk-skip-link"' in page
    assert 'href="#main"' in page
    assert 'id="main"' in page
    assert "govuk-generic-header" in page
    assert "Modern Slavery Training" in page
    for branding in ("GOV.UK", "govuk-logo", "Crown copyright", "govuk-crest", "Open Government Licence"):
        assert branding not in page
    assert re.search(r'govuk-phase-banner__content__tag">\s*Beta', page)


def test_the_signed_in_bar_names_the_person_and_signs_out_with_a_post(client, login_as, database):
    login_as(UserFactory(name="Sam Example", role="officer"))
    page = client.get("/courses").get_data(as_text=True)
    assert "Sam Example" in page
    assert "Officer" in page
    form = re.search(r'<form method="post" action="/sign-out"[^>]*>(.*?)</form>', page, re.S)
    assert form
    assert 'name="csrf_token"' in form.group(1)
    assert "Sign out" in form.group(1)
    # The service navigation marks the page it is on.
    assert re.search(r'href="/courses"\s+aria-current="page"', page)
    assert 'class="govuk-service-navigation' in page


def test_footer_links_the_service_pages_that_exist(app, client):
    page = client.get("/sign-in").get_data(as_text=True)
    footer = page[page.index('<footer class="govuk-footer') :]
    for label, endpoint in (
        ("Home", "main.home"),
        ("Accessibility statement", "main.accessibility"),
        ("Privacy notice", "main.privacy"),
        ("Verify a certificate", "certificates.verify"),
        ("Help", "main.help"),
        ("Cookies", "main.cookies"),
        ("Feedback", "main.feedback"),
    ):
        assert (f">{label}</a>" in footer) == (endpoint in app.view_functions), label
    assert "occupational health and wellbeing service" in footer


def test_flashed_messages_are_notification_banners(app, client, login_as, database):
    login_as(UserFactory(role="officer"))
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "It worked."), ("error", "It did not.")]
    page = client.get("/courses").get_data(as_text=True)
    success = re.search(
        r'<div class="govuk-notification-banner govuk-notification-banner--success"[^>]*>', page
    )
    assert success
    assert 'role="alert"' in success.group(0)
    error = re.search(r'<div class="govuk-notification-banner app-notification-banner--error"[^>]*>', page)
    assert error
    assert 'role="alert"' in error.group(0)
    assert "It worked." in page
    assert "It did not." in page
    # Each banner is labelled by its own title.
    assert len(set(re.findall(r'aria-labelledby="(flash-\d-title)"', page))) == 2
