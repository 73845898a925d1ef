"""The chat widget in headless Chromium on loopback: time from pressing Send to the first streamed
characters on screen and to the complete reply, and the size of widget.js. Prints the figures.

Usage: .venv/bin/python bench/bench_widget.py [--rounds N] [--url http://127.0.0.1:8000]
Without --url it indexes the shipped knowledge into a temporary folder and serves it itself.
Targets: first characters < 150 ms for an in-scope question without an LLM; widget.js < 30 KB.
"""

from __future__ import annotations

import argparse
import gzip
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import sync_playwright

from api.app import create_app
from assistant.services import Services
from assistant.settings import Settings

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUESTIONS = [
    "How many supervised assessments do I need before moving up to the Intermediate tier?",
    "What goes into a session log?",
    "When should a progress report be sent to the referring physician?",
    "What blood pressure is too high to start a resistance session?",
    "Which red flags mean I should stop and refer the client back?",
]
# Runs in the page: press Send, then note when the reply shows its first characters and when
# it is complete (aria-busy false). Times are performance.now() differences in milliseconds.
MEASURE = """async (question) => {
  const root = document.querySelector('mes-ai-chat').shadowRoot;
  const log = root.querySelector('.log');
  const before = log.querySelectorAll('.msg.bot').length;
  root.querySelector('textarea').value = question;
  return await new Promise((resolve) => {
    let first = null;
    const t0 = performance.now();
    const check = () => {
      const reply = log.querySelectorAll('.msg.bot')[before];
      if (!reply) return;
      const body = reply.querySelector('.body');
      if (first === null && body && !body.querySelector('.dots') && body.textContent.trim()) {
        first = performance.now() - t0;
      }
      if (reply.getAttribute('aria-busy') === 'false') {
        observer.disconnect();
        resolve({first: first ?? performance.now() - t0, done: performance.now() - t0,
                 category: reply.className});
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(log, {subtree: true, childList: true, characterData: true, attributes: true});
    root.querySelector('.send').click();
  });
}"""


@contextmanager
def local_server() -> Iterator[str]:
    """Index the shipped knowledge into a temporary folder and serve it on a free port."""
    with tempfile.TemporaryDirectory(prefix="bench-widget-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        services = Services(settings)
        services.ingest([settings.knowledge_dir])
        services.warm()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, services), host="127.0.0.1", port=port, log_level="warning"
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(url: str, rounds: int) -> None:
    script = httpx.get(url + "/widget.js", timeout=30).content
    print(
        f"widget.js: {len(script):,} bytes unminified ({len(script) / 1024:.1f} KiB), "
        f"{len(gzip.compress(script)):,} bytes gzipped (target < 30 KB)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url + "/")
        page.get_by_role("button", name="Ask MES AI").click()
        page.evaluate(MEASURE, "What is the Essential tier?")  # warm-up
        firsts: list[float] = []
        dones: list[float] = []
        for i in range(rounds):
            if i % 10 == 0:  # a long conversation is not what is measured: start afresh
                page.get_by_role("button", name="New chat").click()
            result = page.evaluate(MEASURE, QUESTIONS[i % len(QUESTIONS)])
            if "refusal" in result["category"] or "clarify" in result["category"]:
                print(f"  note: not answered in scope: {QUESTIONS[i % len(QUESTIONS)]!r}")
            firsts.append(result["first"])
            dones.append(result["done"])
        browser.close()
    for name, values in (("first characters on screen", firsts), ("complete reply", dones)):
        print(
            f"send -> {name}: p50 {statistics.median(values):.1f} ms, "
            f"p95 {pct(values, 0.95):.1f} ms, max {max(values):.1f} ms (n={len(values)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=40, help="questions sent")
    parser.add_argument("--url", help="a running MES AI server (default: start one)")
    args = parser.parse_args()
    if args.url:
        run(args.url.rstrip("/"), args.rounds)
        return
    with local_server() as url:
        run(url, args.rounds)


if __name__ == "__main__":
    main()
