"""Markdown rendering: callouts, anchors, link rewriting and the sanitiser against hostile input."""

from html.parser import HTMLParser

import pytest

from app.content.rendering import (
    content_link_target,
    heading_ids,
    render_markdown,
    sanitise_html,
    url_kind,
)

ALLOWED_TAGS = {
    "a",
    "aside",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_safe(html: str) -> None:
    """Every tag is allow-listed, no event handler or style, every URL http(s)/mailto/relative."""
    parser = _Collect()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in ("href", "src"):
                assert url_kind(value or "") != "unsafe", html
                assert not (value or "").lower().lstrip().startswith(("javascript", "data")), html


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;vascript&#x3A;alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x]( javascript:alert(1) )",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    '<iframe src="https://evil.example"></iframe>',
    "<a href='javascript:alert(1)'>x</a>",
    '<div style="position:fixed">x</div>',
    "::: law </p><script>alert(1)</script>\ntext\n:::",
    '::: warning " onmouseover="alert(1)\ntext\n:::',
    "## <img src=x onerror=alert(1)>",
    "| <script>x</script> |\n|---|\n| [x](javascript:alert(1)) |",
    "`<script>` and <svg onload=alert(1)>",
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_safe_html(source):
    rendered = render_markdown(source)

    assert_safe(rendered.html)
    for needle in ("<script", "<iframe", "<svg", "<div", "<img src=x"):
        assert needle not in rendered.html.lower()


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("<script>alert(1)</script>", 1, "unsafe HTML removed: <script>alert(1)</script>"),
        ("x <b onclick=a()>y</b>", 1, "unsafe HTML removed: <b onclick=a()>"),
        ("a\nb [x](&#106;avascript:alert(1))", 2, "unsafe link removed: javascript:alert(1)"),
        ("![x](data:image/png;base64,AA)", 1, "unsafe image removed: data:image/png;base64,AA"),
        ("\n\n<iframe src=x></iframe>", 3, "unsafe HTML removed: <iframe src=x></iframe>"),
    ],
)
def test_removed_content_is_reported_with_its_line(source, line, message):
    findings = render_markdown(source).findings

    assert [(f.line, f.message) for f in findings][0] == (line, message)


def test_safe_markdown_has_no_findings():
    assert render_markdown("## Hi\n\nSome *text* and [a link](https://x.example).").findings == ()


def test_callout_renders_as_labelled_aside_with_escaped_title():
    html = render_markdown('::: law Modern Slavery Act <b>"2015"</b>\nText **here**.\n:::').html

    assert html.startswith(
        '<aside class="callout callout--law" aria-label="The law: Modern Slavery Act '
        '&lt;b&gt;&quot;2015&quot;&lt;/b&gt;">\n<p class="callout__title">The law: Modern Slavery'
        ' Act &lt;b&gt;"2015"&lt;/b&gt;</p>\n<p>Text <strong>here</strong>.</p>\n</aside>'
    )


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("law", "The law"),
        ("action", "What to do"),
        ("example", "Example"),
        ("warning", "Take care"),
        ("note", "Note"),
    ],
)
def test_callout_default_titles(kind, title):
    html = render_markdown(f"::: {kind}\nText\n:::").html

    assert f'<aside class="callout callout--{kind}" aria-label="{title}">' in html
    assert f'<p class="callout__title">{title}</p>' in html


def test_headings_get_slug_ids():
    html = render_markdown("## Section 45: the defence\n\n## Section 45: the defence").html

    assert '<h2 id="section-45-the-defence">' in html
    assert '<h2 id="section-45-the-defence-1">' in html
    assert heading_ids("## A b\n### C") == {"a-b", "c"}


def test_relative_links_and_images_go_through_resolvers():
    rendered = render_markdown(
        "[NRM](02-the-nrm.md#x) [top](#top) [gov](https://www.gov.uk) [mail](mailto:a@b.uk)\n"
        "![Van](images/van.png)",
        resolve_link=lambda href: f"/modules/m/lessons/{href[:2]}",
        resolve_image=lambda src: f"/content-assets/m/abc/{src}",
    )

    assert '<a href="/modules/m/lessons/02">NRM</a>' in rendered.html
    assert '<a href="#top">top</a>' in rendered.html
    assert '<a href="https://www.gov.uk" rel="noopener noreferrer">gov</a>' in rendered.html
    assert '<a href="mailto:a@b.uk">mail</a>' in rendered.html
    assert '<img src="/content-assets/m/abc/images/van.png" alt="Van">' in rendered.html


def test_resolver_returning_none_drops_the_href():
    html = render_markdown("[gone](09-x.md)", resolve_link=lambda href: None).html

    assert html == "<p><a>gone</a></p>\n"


def test_tables_alignment_becomes_classes_and_code_loses_language_class():
    html = render_markdown("| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n```python\nx\n```").html

    assert '<th class="align-center">a</th>' in html
    assert '<td class="align-right">2</td>' in html
    assert "<pre><code>x\n</code></pre>" in html


def test_sanitiser_strips_what_the_renderer_never_emits():
    dirty = (
        '<p onclick="x()" style="color:red" class="evil">a</p><iframe src="x"></iframe>'
        '<a href="javascript:alert(1)" rel="opener">b</a><img src="data:image/png;base64,AA">'
        "<script>alert(1)</script>"
    )

    assert sanitise_html(dirty) == '<p class="">a</p><a>b</a><img>'


@pytest.mark.parametrize(
    ("href", "target"),
    [
        ("02-the-nrm.md", ("here", 2, "")),
        ("02-the-nrm.md#statutory-defence", ("here", 2, "statutory-defence")),
        ("../victim-centred-interviewing/03-peace.md", ("victim-centred-interviewing", 3, "")),
        ("../other/module.md", ("other", None, "")),
        ("images/van.png", None),
        ("../../etc/passwd", None),
    ],
)
def test_content_link_target(href, target):
    assert content_link_target(href, "here") == target
