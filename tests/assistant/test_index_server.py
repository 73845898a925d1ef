"""One index shared by a running server and another process that ingests, rebuilds and deletes.

A real server (uvicorn in a subprocess) and a real writer process (Services.ingest / remove
driven over stdin) share one data folder. The tests run in file order on that shared state.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

_SERVER = """
import sys, uvicorn
from pathlib import Path
from api.app import create_app
from assistant.services import Services
from assistant.settings import Settings

settings = Settings(data_dir=Path(sys.argv[1]))
services = Services(settings)
services.embedder.embed_query("warm up")
services.retriever.refresh()
uvicorn.run(create_app(settings, services), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""

_WRITER = """
import json, sys
from pathlib import Path
import assistant.ingest
from assistant.services import Services
from assistant.settings import Settings

assistant.ingest.WINDOW_CHUNKS = 8
services = Services(Settings(data_dir=Path(sys.argv[1])))
services.embedder.embed(["warm up"])
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    paths = [Path(p) for p in cmd["paths"]]
    if cmd["op"] == "remove":
        out = {"removed": services.remove(paths)}
    else:
        report = services.ingest(paths, rebuild=cmd.get("rebuild", False))
        out = {**report.summary(), "failures": dict(report.failed), "removals": report.removed}
    print(json.dumps(out), flush=True)
"""

DOCS = {
    "billing.md": "# Billing\n\n## Codes\n\nTherapeutic exercise is billed under CPT 97110.",
    "falls.md": "# Falls\n\n## Screening\n\nA timed up-and-go of twelve seconds or more signals fall risk.",
    "tiers.md": "# Tiers\n\n## Essential\n\nPerform 50–75 supervised assessments before moving on.",
    "stairs.md": "# Stairs\n\n## Rails\n\nPractise stair climbing with one rail and a step-to pattern.",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MES_")}
    env["PYTHONPATH"] = str(REPO)
    return env


class Writer:
    """The other process: ingests, rebuilds and removes on command."""

    def __init__(self, data_dir: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(data_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, env=_env(), cwd=data_dir.parent,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)

    def reply(self, timeout: float = 300) -> dict[str, Any]:
        try:
            return dict(json.loads(self._lines.get(timeout=timeout)))
        except queue.Empty:
            pytest.fail("the writer process did not answer (hung on a file?)")

    def send(self, op: str, *paths: Path, rebuild: bool = False) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, "paths": [str(p) for p in paths],
                                          "rebuild": rebuild}) + "\n")
        self.proc.stdin.flush()
        return self.reply()

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(30)


class Server:
    def __init__(self, data_dir: Path) -> None:
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(data_dir), self.url.rsplit(":", 1)[1]],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(), cwd=data_dir.parent,
        )
        self.http = httpx.Client(base_url=self.url, timeout=60)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 300
        while True:
            assert self.proc.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not start"
            try:
                if self.http.get("/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)

    def sources(self, q: str, k: int = 5) -> list[str]:
        response = self.http.get("/v1/search", params={"q": q, "k": k})
        assert response.status_code == 200, response.text
        return [r["source"] for r in response.json()["results"]]

    def close(self) -> None:
        self.http.close()
        self.proc.terminate()
        self.proc.wait(30)


def eventually(check: Callable[[], bool], what: str, deadline_s: float = 90) -> None:
    """Poll until the server shows the change (a deadline for failure, not a timing check)."""
    end = time.monotonic() + deadline_s
    while not check():
        if time.monotonic() > end:
            pytest.fail(f"the server never showed: {what}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Writer, Path]]:
    base = tmp_path_factory.mktemp("shared-index")
    data, corpus = base / "data", base / "kb"
    data.mkdir()
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text)
    server, writer = Server(data), Writer(data)
    try:
        assert writer.reply()["ready"]
        server.wait_ready()
        yield server, writer, corpus
    finally:
        server.close()
        writer.close()


def test_a_server_on_an_empty_index_answers_with_no_results(world: tuple[Server, Writer, Path]) -> None:
    server, _, _ = world
    assert server.http.get("/healthz").json()["chunks"] == 0
    response = server.http.get("/v1/search", params={"q": "red flags"})
    assert response.status_code == 200 and response.json() == {"results": []}


def test_another_process_ingest_refreshes_dense_and_lexical_views_together(
    world: tuple[Server, Writer, Path],
) -> None:
    server, writer, corpus = world
    assert writer.send("ingest", corpus)["added"] == len(DOCS)
    eventually(lambda: server.sources("97110", 1) == ["kb/billing.md"], "the first ingest")

    (corpus / "grip.md").write_text(
        "# Sarcopenia\n\n## Grip\n\nHandgrip dynamometry below 16 kg in women suggests sarcopenia."
    )
    assert writer.send("ingest", corpus)["added"] == 1
    eventually(lambda: "kb/grip.md" in server.sources("dynamometry", 1), "the new file, lexically")
    # No word in common with the new file: only the dense view can find it.
    assert server.sources("weak hand squeeze and muscle wasting", 1) == ["kb/grip.md"]


def test_indexing_one_path_updates_that_file_and_removes_nothing(
    world: tuple[Server, Writer, Path],
) -> None:
    server, writer, corpus = world
    (corpus / "stairs.md").write_text("# Stairs\n\n## Rails\n\nUse a handrail; lead up with the stronger leg.")
    report = writer.send("ingest", corpus / "stairs.md")
    assert (report["updated"], report["removed"], report["added"]) == (1, 0, 0)
    eventually(lambda: server.sources("handrail stronger leg", 1) == ["kb/stairs.md"], "the update")
    assert server.http.get("/healthz").json()["documents"] == len(DOCS) + 1
    assert server.sources("97110", 1) == ["kb/billing.md"]


def test_fifos_broken_docx_and_outside_symlinks_are_reported_and_the_rest_is_indexed(
    world: tuple[Server, Writer, Path], tmp_path: Path
) -> None:
    server, writer, corpus = world
    os.mkfifo(corpus / "pipe.md")
    with zipfile.ZipFile(corpus / "broken.docx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><unclosed")
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    secret = tmp_path / "outside.md"
    secret.write_text("# Private\n\nZebra quartz marmalade password list.")
    (corpus / "link.md").symlink_to(secret)
    (corpus / "gait.md").write_text("# Gait\n\n## Speed\n\nGait speed under 0.8 m/s flags frailty.")

    report = writer.send("ingest", corpus)
    failures = report["failures"]
    assert set(failures) == {"kb/pipe.md", "kb/broken.docx", "kb/link.md"}
    assert "FIFO" in failures["kb/pipe.md"] and "DOCX" in failures["kb/broken.docx"]
    assert "outside" in failures["kb/link.md"]
    assert report["added"] == 1 and report["removed"] == 0
    assert writer.send("ingest", corpus / "pipe.md")["failures"] == {"kb/pipe.md": failures["kb/pipe.md"]}
    eventually(lambda: server.sources("gait speed frailty", 1) == ["kb/gait.md"], "the good file")
    assert "kb/link.md" not in server.sources("zebra quartz marmalade password", 5)
    for name in ("pipe.md", "broken.docx", "link.md"):
        (corpus / name).unlink()


def test_searches_never_fail_while_another_process_rebuilds_adds_and_deletes(
    world: tuple[Server, Writer, Path],
) -> None:
    server, writer, corpus = world
    errors: list[str] = []
    slow: list[float] = []
    stop = threading.Event()

    def client_loop() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            while not stop.is_set():
                start = time.perf_counter()
                try:
                    response = http.get("/v1/search", params={"q": "supervised assessments", "k": 5})
                    if response.status_code != 200 or not response.json()["results"]:
                        errors.append(f"{response.status_code} {response.text[:200]}")
                    health = http.get("/healthz")
                    if health.status_code != 200:
                        errors.append(f"healthz {health.status_code} {health.text[:200]}")
                except httpx.HTTPError as exc:
                    errors.append(repr(exc))
                if time.perf_counter() - start > 1.0:
                    slow.append(time.perf_counter() - start)

    thread = threading.Thread(target=client_loop)
    thread.start()
    try:
        before = server.http.get("/healthz").json()["generation"]
        assert writer.send("ingest", corpus, rebuild=True)["failed"] == 0
        (corpus / "balance.md").write_text("# Balance\n\n## Stance\n\nTandem stance for 30 seconds.")
        assert writer.send("ingest", corpus)["added"] == 1
        (corpus / "falls.md").unlink()
        assert writer.send("ingest", corpus)["removals"] == ["kb/falls.md"]
        assert writer.send("remove", corpus / "billing.md")["removed"] == ["kb/billing.md"]
        eventually(lambda: server.sources("tandem stance", 1) == ["kb/balance.md"], "the add")
        eventually(lambda: not {"kb/falls.md", "kb/billing.md"} & set(
            server.sources("97110 billing timed up-and-go", 10)), "the deletes")
    finally:
        stop.set()
        thread.join(60)
    assert errors == []
    assert server.http.get("/healthz").json()["generation"] > before
    print(f"\nBENCHMARK searches slower than 1 s during rebuild/add/delete: {len(slow)}")
