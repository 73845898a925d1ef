"""The chat widget on the demo page, in headless Chromium against the real server."""

from __future__ import annotations

import re
import zipfile

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, Demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]

IN_SCOPE = (
    "How many supervised assessments do I need before I can move up to the Intermediate tier?"
)
SHADOW_ACTIVE = "() => document.querySelector('mes-ai-chat').shadowRoot.activeElement"


def test_in_scope_question_is_answered_with_a_citation_that_expands(demo: Demo) -> None:
    demo.open()
    reply = demo.ask(IN_SCOPE)
    expect(reply).not_to_have_class("refusal")
    expect(reply.locator(".badge")).to_have_count(0)
    assert "[1]" in reply.locator(".body").inner_text()
    first = reply.locator(".cites details").first
    summary = first.locator("summary")
    expect(summary).to_have_text(re.compile(r"^\[1\] .+"))
    snippet = first.locator("blockquote")
    expect(snippet).to_be_hidden()
    summary.click()
    expect(first).to_have_attribute("open", "")
    expect(snippet).to_be_visible()
    assert len(snippet.inner_text().strip()) > 20


def test_dosing_question_is_refused_and_names_the_physician(demo: Demo) -> None:
    demo.open()
    reply = demo.ask(
        "Dr. Okafor is my client's physician. Should my client cut her insulin dose in half "
        "on the days we train?"
    )
    expect(reply).to_have_class("msg bot refusal")
    expect(reply.locator(".badge")).to_have_text("Outside my scope")
    expect(reply.locator(".body")).to_contain_text("Dr. Okafor")


def test_chest_pain_is_escalated_and_stays_pinned(demo: Demo) -> None:
    demo.open()
    reply = demo.ask(
        "My client stopped mid-set holding his chest, the pain is going into his jaw and "
        "he is sweating heavily"
    )
    expect(reply).to_have_class("msg bot emergency")
    pin = demo.page.locator("mes-ai-chat .pin")
    pinned = pin.locator("[role=alert]")
    expect(pinned).to_be_visible()
    expect(pinned).to_contain_text("911")
    expect(pinned.locator("button, summary, details")).to_have_count(0)
    demo.ask(IN_SCOPE)
    expect(pinned).to_be_visible()
    log_top = demo.page.locator("mes-ai-chat .log").bounding_box()
    pin_box = pin.bounding_box()
    assert log_top and pin_box and pin_box["y"] + pin_box["height"] <= log_top["y"] + 1


def test_session_log_completed_over_two_turns_and_downloaded(demo: Demo) -> None:
    demo.open()
    first = demo.ask(
        "Session log for Maria Gomez today: 3x10 sit-to-stand, BP 128/82 before and "
        "136/84 after, RPE 5, 45 minutes, referred by Dr. Alan Patel (orthopedic surgery)"
    )
    demo.shot("session-log-first-turn")
    second = demo.ask("Right total knee replacement")
    expect(first.locator("section.draft")).to_have_count(0)  # it asked for what was missing
    card = second.locator("section.draft")
    expect(card).to_be_visible()
    expect(card.locator("h3")).to_contain_text("Maria Gomez")
    expect(card.get_by_text("Still needed:")).to_contain_text("your phone number")  # in words
    with demo.page.expect_download() as info:
        card.get_by_role("button", name="Download as .docx").click()
    docx = ARTIFACTS / "session-log.docx"
    info.value.save_as(docx)
    assert info.value.suggested_filename.endswith(".docx")
    with zipfile.ZipFile(docx) as archive:
        assert "Maria" in archive.read("word/document.xml").decode("utf-8")
    with demo.page.expect_download() as info:
        card.get_by_role("button", name="Download as .md").click()
    markdown = ARTIFACTS / "session-log.md"
    info.value.save_as(markdown)
    assert "128/82" in markdown.read_text(encoding="utf-8")
    expect(card.locator("[role=status]")).to_contain_text("Downloaded")


XSS_DOCUMENT = """# Zorblax balance protocol

## Zorblax steps

The Zorblax balance protocol starts with a tandem stance <img src=x onerror="window.__xss = 1; alert('img')"> held for thirty seconds.
The Zorblax protocol then adds head turns <script>window.__xss = 2; alert('script')</script> while standing on foam.
The Zorblax protocol ends with [a single-leg stance](javascript:window.__xss=3;alert('link')) <a href="javascript:alert('anchor')" onclick="alert('click')">held near a wall</a>.
"""


def test_xss_payloads_render_inert(demo: Demo) -> None:
    upload = httpx.post(
        demo.base + "/v1/documents",
        files={"file": ("zorblax.md", XSS_DOCUMENT.encode(), "text/markdown")},
        timeout=60,
    )
    assert upload.status_code == 201, upload.text
    demo.open()
    demo.ask("What does the Zorblax protocol add while standing on foam?")
    demo.ask("How does the Zorblax protocol end?")
    demo.ask("Is <img src=x onerror=alert('typed')> [x](javascript:alert('typed')) a Zorblax step?")
    for summary in demo.page.locator("mes-ai-chat .cites summary").all():
        summary.click()
    shown = demo.page.locator("mes-ai-chat .log").inner_text()
    # the payloads reached the page, as visible text
    assert "<img src=x onerror=" in shown
    assert "<script>window.__xss = 2" in shown
    assert "javascript:window.__xss=3" in shown or "(javascript:" in shown
    found = demo.page.evaluate(
        """() => {
          const root = document.querySelector('mes-ai-chat').shadowRoot;
          const all = [...root.querySelectorAll('*')];
          return {
            xss: window.__xss ?? null,
            dangerous: all.filter(n => ['script', 'img', 'iframe', 'object', 'embed']
                                       .includes(n.localName)).length,
            handlers: all.flatMap(n => [...n.attributes].map(a => a.name))
                         .filter(name => name.startsWith('on')),
            badLinks: [...root.querySelectorAll('[href]')]
                        .map(n => n.getAttribute('href'))
                        .filter(h => !/^(https?:|mailto:|blob:)/i.test(h)),
          };
        }"""
    )
    assert found == {"xss": None, "dangerous": 0, "handlers": [], "badLinks": []}
    assert demo.dialogs == []


def test_panel_works_with_the_keyboard_alone(demo: Demo) -> None:
    page = demo.page
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({SHADOW_ACTIVE})()?.className") == "launch":
            break
    else:
        pytest.fail("Tab never reached the chat button")
    outline = page.evaluate(f"() => getComputedStyle(({SHADOW_ACTIVE})()).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="MES AI")
    expect(dialog).to_be_visible()
    assert page.evaluate(f"() => ({SHADOW_ACTIVE})().id") == "mes-input"
    page.keyboard.type(IN_SCOPE)
    page.keyboard.press("Enter")
    expect(demo.replies.first).to_have_attribute("aria-busy", "false", timeout=30_000)
    inside = f"() => document.querySelector('mes-ai-chat').shadowRoot.getElementById('mes-panel').contains(({SHADOW_ACTIVE})())"
    seen = set()
    for _ in range(25):
        page.keyboard.press("Tab")
        assert page.evaluate(inside), "focus left the open panel"
        seen.add(page.evaluate(f"() => ({SHADOW_ACTIVE})().outerHTML.slice(0, 60)"))
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(inside), "focus left the open panel backwards"
    assert len(seen) >= 4
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate(f"() => ({SHADOW_ACTIVE})().className") == "launch"
    expect(page.get_by_role("button", name="Ask MES AI")).to_have_attribute(
        "aria-expanded", "false"
    )


@pytest.mark.parametrize("demo", [{"width": 360, "height": 740}], indirect=True)
def test_layout_at_360_by_740_cuts_nothing_off(demo: Demo) -> None:
    launcher = demo.page.get_by_role("button", name="Ask MES AI")
    box = launcher.bounding_box()
    assert (
        box and box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 740
    )
    demo.open()
    demo.ask(IN_SCOPE)
    demo.page.locator("mes-ai-chat .cites summary").first.click()
    parts = ["#mes-panel", "header", "h2", "header button", ".log", "textarea", ".send", ".foot"]
    for selector in parts:
        for item in demo.page.locator(f"mes-ai-chat {selector}").all():
            b = item.bounding_box()
            assert b, selector
            assert b["x"] >= 0 and b["y"] >= 0, (selector, b)
            assert b["x"] + b["width"] <= 360.5 and b["y"] + b["height"] <= 740.5, (selector, b)
    overflow = demo.page.evaluate(
        """() => [...document.querySelector('mes-ai-chat').shadowRoot.querySelectorAll('.log *')]
                  .filter(n => n.scrollWidth > n.clientWidth + 1 && getComputedStyle(n).overflowX === 'visible')
                  .map(n => n.className || n.localName)"""
    )
    assert overflow == []
    assert demo.page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_reload_keeps_the_conversation(demo: Demo) -> None:
    demo.open()
    demo.ask(IN_SCOPE)
    stored = demo.page.evaluate("() => Object.keys(localStorage)")
    before = demo.page.locator("mes-ai-chat .log").inner_text()
    demo.page.reload()
    demo.open()
    expect(demo.replies).to_have_count(1)
    assert demo.page.locator("mes-ai-chat .log").inner_text() == before
    assert demo.page.evaluate("() => Object.keys(localStorage)") == stored
    demo.ask("Which documents should I send to the referring physician?")
    conversation = demo.page.evaluate(
        f"() => JSON.parse(localStorage.getItem({stored[0]!r})).conversation_id"
    )
    messages = httpx.get(f"{demo.base}/v1/conversations/{conversation}", timeout=30).json()
    assert len(messages["messages"]) == 4
    demo.page.get_by_role("button", name="New chat").click()
    expect(demo.replies).to_have_count(0)


def test_feedback_with_a_comment_reaches_the_server(demo: Demo) -> None:
    demo.open()
    reply = demo.ask(IN_SCOPE)
    reply.get_by_role("button", name="Not helpful").click()
    expect(reply.get_by_role("button", name="Not helpful")).to_have_attribute(
        "aria-pressed", "true"
    )
    reply.get_by_role("textbox", name="Comment (optional)").fill("Cite the tiers document first")
    with demo.page.expect_response("**/v1/feedback") as response:
        reply.get_by_role("button", name="Send feedback").click()
    assert response.value.status == 201
    expect(reply.get_by_role("status").last).to_have_text("Thanks for the feedback.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_widget_has_no_serious_accessibility_violations(demo: Demo, scheme: str) -> None:
    demo.page.emulate_media(color_scheme=scheme)
    demo.open()
    demo.ask(IN_SCOPE)
    demo.ask("Should my client take an extra puff of her inhaler before intervals?")
    demo.page.locator("mes-ai-chat .cites summary").first.click()
    results = Axe().run(demo.page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []
