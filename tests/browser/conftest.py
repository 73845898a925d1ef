"""A real MES AI server on loopback and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn

from api.app import create_app
from assistant.embeddings import SentenceTransformerEmbedder
from assistant.services import Services
from assistant.settings import Settings
from tests.conftest import seed_guard_model

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

if not CHROMIUM.exists():  # `make test` and `make browser-deps` install it
    pytest.skip(
        "Debian chromium is not installed: run `make browser-deps`", allow_module_level=True
    )

from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder
) -> Iterator[str]:
    """uvicorn serving the app on a free 127.0.0.1 port, with the shipped knowledge indexed."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("browser-server"))
    seed_guard_model(settings.data_dir)
    services = Services(settings, embedder=embedder)
    report = services.ingest([settings.knowledge_dir])
    assert not report.failed, report.failed
    services.warm()
    config = uvicorn.Config(
        create_app(settings, services), host="127.0.0.1", port=_free_port(), log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{config.port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Demo:
    """The demo page in one browser context, with what it reported."""

    page: Page
    base: str
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def replies(self) -> Locator:
        return self.page.locator("mes-ai-chat .log .msg.bot")

    def open(self) -> None:
        self.page.get_by_role("button", name="Ask MES AI").click()
        expect(self.page.get_by_role("dialog", name="MES AI")).to_be_visible()

    def ask(self, text: str) -> Locator:
        """Send a message and wait until its reply has finished streaming."""
        before = self.replies.count()
        box = self.page.get_by_role("textbox", name="Message")
        box.fill(text)
        box.press("Enter")
        expect(self.replies).to_have_count(before + 1)
        reply = self.replies.nth(before)
        expect(reply).to_have_attribute("aria-busy", "false", timeout=30_000)
        return reply

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture()
def demo(request: pytest.FixtureRequest, browser: Browser, server: str) -> Iterator[Demo]:
    """A fresh context (empty localStorage) on the demo page at desktop size."""
    size = getattr(request, "param", {"width": 1280, "height": 800})
    context = browser.new_context(viewport=size, accept_downloads=True)
    page = context.new_page()
    demo = Demo(page, server)
    page.on("dialog", lambda d: (demo.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: demo.errors.append(str(exc)))
    page.goto(server + "/")
    yield demo
    demo.shot(request.node.name.replace("[", "-").rstrip("]"))
    context.close()
    assert demo.errors == [], demo.errors
