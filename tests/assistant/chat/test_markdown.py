"""Replies become HTML that can be inserted into any page without running anything."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from assistant.chat.markdown import ALLOWED_TAGS, sanitize_html, to_safe_html

SAFE_SCHEMES = ("http://", "https://", "mailto:")


class Elements(HTMLParser):
    """Collects every element and attribute of an HTML fragment as a browser's tokenizer sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_inert(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} survived in {html!r}"
            assert name not in {"src", "style", "srcdoc", "action", "formaction", "xlink:href"}
            if name == "href":
                assert value.strip().lower().startswith(SAFE_SCHEMES), f"href={value!r}"
        if tag == "a" and "href" in attrs:
            assert attrs.get("target") == "_blank"
            assert set(attrs.get("rel", "").split()) >= {"noopener", "noreferrer"}


# (name, payload): each is tried as Markdown and as raw HTML straight into the sanitiser.
PAYLOADS = [
    ("img onerror", "<img src=x onerror=alert(1)>"),
    ("img onerror, mixed case", "<IMG SRC=x OnErRoR=alert(document.cookie)>"),
    ("img onerror, unterminated", '<img src="x" onerror="alert(1)"//'),
    ("img inside doubled brackets", "<<img src=x onerror=alert(1)>>"),
    ("javascript: markdown link", "[click me](javascript:alert(1))"),
    ("javascript: upper case", "[click me](JAVASCRIPT:alert(1))"),
    ("javascript: with an entity tab", "[click me](jav&#x09;ascript:alert(1))"),
    ("javascript: with an entity letter", "[click me](&#106;avascript:alert(1))"),
    ("javascript: reference link", "[click me][r]\n\n[r]: javascript:alert(1)"),
    ("javascript: autolink", "<javascript:alert(1)>"),
    ("javascript: anchor tag", '<a href="javascript:alert(1)">click me</a>'),
    ("javascript: after spaces", '<a href="   javascript:alert(1)">click me</a>'),
    ("vbscript: anchor", '<a href="vbscript:msgbox(1)">click me</a>'),
    ("script tag", "<script>alert(1)</script>"),
    ("nested script tag", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script in a code span", "`x` <script src=//evil.example/x.js></script>"),
    ("data: link", "[open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("data: image", "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("data: anchor", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("remote image", "![tracker](https://evil.example/pixel.png)"),
    ("svg onload", "<svg onload=alert(1)><circle r=1 /></svg>"),
    ("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    (
        "style attribute and onclick",
        '<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>',
    ),
    ("details ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("body onload", "<body onload=alert(1)>hi</body>"),
    (
        "form action",
        '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    ),
    ("math xlink", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    ("commented image", "<!--<img src=x onerror=alert(1)>-->"),
    (
        "noscript mutation",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    ),
    (
        "object and embed",
        '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    ),
    ("style tag", "<style>@import 'https://evil.example/x.css';</style>"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base href", '<base href="javascript:alert(1)//">'),
    (
        "event handler on allowed tag",
        '<p onmouseover="alert(1)">hover</p><a href="https://x.example" onclick="alert(1)">x</a>',
    ),
]


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=[n for n, _ in PAYLOADS])
def test_markdown_payload_renders_inert(payload: str) -> None:
    assert_inert(to_safe_html(payload))


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=[n for n, _ in PAYLOADS])
def test_raw_html_payload_is_sanitised_inert(payload: str) -> None:
    assert_inert(sanitize_html(payload))


def test_html_written_in_a_reply_shows_as_text() -> None:
    html = to_safe_html("Use <img src=x onerror=alert(1)> and <script>alert(2)</script>.")
    assert elements(html) == [("p", {})]
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;" in html


def test_sanitiser_drops_script_content_but_keeps_allowed_markup() -> None:
    html = sanitize_html("<p>before<script>alert(1)</script> <strong>after</strong></p>")
    assert html == "<p>before <strong>after</strong></p>"


def test_formatting_lists_tables_and_citation_markers_survive() -> None:
    html = to_safe_html(
        "Take **two** readings [1].\n\n1. seated\n2. standing [2]\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    tags = [tag for tag, _ in elements(html)]
    assert tags[:2] == ["p", "strong"]
    assert {"ol", "li", "table", "th", "td"} <= set(tags)
    assert "[1]" in html and "[2]" in html
    assert "<a" not in html


def test_safe_links_open_in_a_new_tab_without_opener() -> None:
    html = to_safe_html("See [ACSM](https://www.acsm.org/ 'ACSM') or <mailto:team@example.com>.")
    links = [attrs for tag, attrs in elements(html) if tag == "a"]
    assert [a["href"] for a in links] == ["https://www.acsm.org/", "mailto:team@example.com"]
    assert all(a["target"] == "_blank" and a["rel"] == "noopener noreferrer" for a in links)
    assert links[0]["title"] == "ACSM"


def test_relative_links_lose_their_target() -> None:
    html = to_safe_html("[draft](/v1/chat/drafts/abc?format=md)")
    assert elements(html) == [("p", {}), ("a", {"rel": "noopener noreferrer", "target": "_blank"})]


def test_an_image_becomes_its_alt_text() -> None:
    assert to_safe_html("![Chair stand **form**](https://evil.example/x.png)") == (
        "<p>Chair stand form</p>"
    )


def test_empty_input_gives_empty_html() -> None:
    assert to_safe_html("") == ""
