"""Real servers for the API tests: uvicorn on a free 127.0.0.1 port, real storage, the real index.

By default each server runs in a thread of this process (embedded Chroma, SQLite in its own
folder) and shares one index of the shipped knowledge base, built once per session. With
`MESAI_SCALE_CHROMA_URL` and `MESAI_SCALE_PG_URL` set (`make test-scale`), each server is
`mes-ai serve --workers 2` in a subprocess against that Chroma server and a fresh PostgreSQL
database.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from assistant.embeddings import SentenceTransformerEmbedder
from assistant.services import Services
from assistant.settings import Settings
from assistant.storage import Database
from tests.conftest import seed_guard_model

SCALE_CHROMA = os.environ.get("MESAI_SCALE_CHROMA_URL")
SCALE_PG = os.environ.get("MESAI_SCALE_PG_URL")
SCALE = bool(SCALE_CHROMA and SCALE_PG)
WORKERS = int(os.environ.get("MESAI_SCALE_WORKERS", "2"))
STARTUP_S = 900  # every worker loads torch and the model; slow on a busy machine


class LiveServer:
    """One running server; `start()` again after `stop()` is a restart on the same data."""

    def __init__(self, settings: Settings, embedder: SentenceTransformerEmbedder) -> None:
        self.settings = settings
        self._embedder = embedder
        self._db: Database | None = None
        self._thread: threading.Thread | None = None
        self._server: uvicorn.Server | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._services: Services | None = None
        self.url = ""

    @property
    def db(self) -> Database:
        """The server's database, opened from this process (keys are created through it)."""
        if self._db is None:
            self._db = Database(self.settings)
        return self._db

    def key(
        self, tenant: str, role: str = "practitioner", origins: list[str] | None = None,
        rate: int = 100_000,
    ) -> str:
        return self.db.create_key(tenant, role, origins or [], rate)[1]

    def client(self, secret: str | None = None, **headers: str) -> httpx.Client:
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)

    def start(self) -> LiveServer:
        if SCALE:
            self._start_process()
        else:
            self._start_thread()
        return self

    def _start_thread(self) -> None:
        self._services = Services(self.settings, embedder=self._embedder)
        self._services.warm()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            create_app(self.settings, self._services), log_level="warning",
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]})
        self._thread.daemon = True
        self._thread.start()
        deadline = time.monotonic() + 60
        while not self._server.started:
            assert self._thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)

    def _start_process(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {
            **os.environ,
            "MES_DATA_DIR": str(self.settings.data_dir),
            "MES_CHROMA_URL": self.settings.chroma_url or "",
            "MES_COLLECTION": self.settings.collection,
            "MES_DATABASE_URL": self.settings.database_url or "",
        }
        cmd = [str(Path(sys.executable).with_name("mes-ai")), "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(WORKERS)]
        # Its own process group: stop() reaches the uvicorn workers too, even mid-startup.
        self._proc = subprocess.Popen(cmd, env=env, start_new_session=True)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_S
        while True:
            problem = (
                "mes-ai serve exited" if self._proc.poll() is not None
                else "mes-ai serve did not answer /healthz" if time.monotonic() > deadline
                else None
            )
            if problem:
                _stop_group(self._proc)
                self._proc = None
                pytest.fail(problem)
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(30)
            self._server = self._thread = None
        if self._proc is not None:
            _stop_group(self._proc)
            self._proc = None
        if self._services is not None and "db" in self._services.__dict__:
            self._services.db.close()
        self._services = None
        if self._db is not None:
            self._db.close()
            self._db = None


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to `mes-ai serve` and its workers, SIGKILL to whatever is left after 60 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def _fresh_database(tmp: Path) -> str:
    """A new, empty database URL: SQLite in `tmp`, or a new PostgreSQL database."""
    if not SCALE:
        return f"sqlite:///{tmp / 'mes.db'}"
    import psycopg

    name = f"mes_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(str(SCALE_PG), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = str(SCALE_PG).rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def api_data_dir(
    tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder
) -> Path:
    """One data folder (index, guard model, uploads) shared by every server of the session."""
    data_dir = tmp_path_factory.mktemp("api-data")
    extra: dict[str, object] = {}
    if SCALE:
        extra = {"chroma_url": SCALE_CHROMA, "collection": f"mes_{uuid.uuid4().hex[:8]}"}
    settings = Settings(data_dir=data_dir, **extra)
    services = Services(settings, embedder=embedder)
    report = services.ingest([settings.knowledge_dir])
    assert not report.failed, report.failed
    seed_guard_model(data_dir)
    if SCALE:  # the guard's model is loaded once here, not trained by every worker at start-up
        services.guard.warm()
    (data_dir / "settings.json").write_text(settings.model_dump_json())
    return data_dir


class ServerFactory:
    """Starts servers that share the session's index and each have their own database."""

    def __init__(self, data_dir: Path, embedder: SentenceTransformerEmbedder, tmp: Path) -> None:
        self.base = Settings.model_validate_json((data_dir / "settings.json").read_text())
        self.embedder, self.tmp = embedder, tmp
        self.started: list[LiveServer] = []

    def __call__(self, **overrides: object) -> LiveServer:
        folder = self.tmp / f"db-{len(self.started)}"
        folder.mkdir(parents=True)
        settings = self.base.model_copy(
            update={"database_url": _fresh_database(folder), **overrides}
        )
        server = LiveServer(settings, self.embedder).start()
        self.started.append(server)
        return server

    def close(self) -> None:
        for server in self.started:
            server.stop()


@pytest.fixture(scope="module")
def servers(
    api_data_dir: Path, embedder: SentenceTransformerEmbedder,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ServerFactory]:
    factory = ServerFactory(api_data_dir, embedder, tmp_path_factory.mktemp("servers"))
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def server(servers: ServerFactory) -> LiveServer:
    """A server in keyed mode: tests make their own keys and tenants."""
    live = servers()
    live.key("bootstrap", "admin")
    return live


@pytest.fixture(scope="module")
def local_server(servers: ServerFactory) -> LiveServer:
    """A server without any key: local mode, tenant "local", admin."""
    return servers()


def say(http: httpx.Client, message: str, conversation_id: str | None = None) -> dict[str, Any]:
    """POST one chat message (optionally into a conversation); the 200 reply's JSON."""
    body: dict[str, Any] = {"message": message}
    if conversation_id:
        body["conversation_id"] = conversation_id
    response = http.post("/v1/chat", json=body)
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply


def tenant_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


__all__ = ["SCALE", "LiveServer", "ServerFactory", "tenant_name"]
