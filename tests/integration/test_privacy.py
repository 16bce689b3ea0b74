"""The privacy notice: public, linked from every page, naming who is responsible and saying what is
sent to whom (single sign-on, SCIM, xAPI, credentials)."""


def test_privacy_notice_names_the_operator_and_what_is_sent_where(app, client, database, monkeypatch):
    monkeypatch.setitem(app.config, "SERVICE_OPERATOR", "Northshire Police Training Unit")
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "dpo@northshire.police.uk")
    response = client.get("/privacy")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Northshire Police Training Unit" in page
    assert "dpo@northshire.police.uk" in page
    for sent in (
        "Learning Record Store",
        "not by your name, email or service number",
        "SCIM",
        "Open Badges 3.0",
    ):
        assert sent in page
    assert '<h1 class="govuk-heading-xl">Privacy notice</h1>' in page
    assert page.count("<h1") == 1  # the document's own title is not repeated


def test_every_page_links_to_it(client, database):
    for url in ("/sign-in", "/verify", "/accessibility", "/privacy"):
        assert 'href="/privacy"' in client.get(url).get_data(as_text=True), url
