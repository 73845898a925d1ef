"""Index lifecycle figures (issues 10 and 11): a real server searched in a loop while another
process rebuilds, adds and deletes; 4 concurrent searches right after a change; server RSS at
~16k chunks; ingest chunks/s at 1,000 files against the encode floor.

The 16k-chunk index is built with a fast stand-in embedder (random unit vectors keyed on the
text) so the run stays within minutes: it measures the index lifecycle (refresh, BM25, Chroma,
memory), not ranking quality. The server embeds queries with the real MiniLM. The ingest
throughput figure uses the real MiniLM for both our ingest and the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.settings import Settings

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "client knee balance gait referral physician report session strength chair stand glucose "
    "pressure walk progress discharge goal stairs rail posture hip spine grip assessment "
    "documentation letter clearance precaution outcome measure tandem sarcopenia endurance"
).split()

_FAST_EMBEDDER = '''
import zlib, numpy as np
class FastEmbedder:
    """Random unit vectors keyed on the text: the index lifecycle without the model's cost."""
    dimension = 384
    def embed(self, texts):
        out = np.empty((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            v = np.random.default_rng(zlib.crc32(t.encode())).standard_normal(384)
            out[i] = v / np.linalg.norm(v)
        return out
    def embed_query(self, text):
        return self.embed([text])[0]
'''

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

_WRITER = (
    _FAST_EMBEDDER
    + """
import json, sys
from pathlib import Path
from assistant.services import Services
from assistant.settings import Settings
services = Services(Settings(data_dir=Path(sys.argv[1])), embedder=FastEmbedder())
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    paths = [Path(p) for p in cmd["paths"]]
    if cmd["op"] == "remove":
        out = {"removed": len(services.remove(paths))}
    else:
        out = services.ingest(paths, rebuild=cmd.get("rebuild", False)).summary()
    print(json.dumps(out), flush=True)
"""
)


def synthetic_corpus(
    folder: Path, files: int, sections: int, seed: int = 7, lo: int = 30, hi: int = 120
) -> None:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        parts = [
            f"## Section {s}\n\nFile {f} section {s}: {' '.join(rng.choice(WORDS, size=int(rng.integers(lo, hi))))}.\n"
            for s in range(sections)
        ]
        (folder / f"doc-{f:04d}.md").write_text(f"# Synthetic {f}\n\n" + "\n".join(parts))


def _pct(samples: Sequence[float]) -> tuple[float, float]:
    if not samples:
        return float("nan"), float("nan")
    ms = np.array(samples) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MES_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


class Writer:
    def __init__(self, data: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(data)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=_env(),
        )
        assert json.loads(self._line())["ready"]

    def _line(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline()

    def send(self, op: str, *paths: Path, rebuild: bool = False) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, "paths": [str(p) for p in paths], "rebuild": rebuild}) + "\n")
        self.proc.stdin.flush()
        return dict(json.loads(self._line()))

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def lifecycle(work: Path, files: int, sections: int) -> dict[str, float]:
    """A server on ~files*sections chunks, searched while another process changes the index."""
    figures: dict[str, float] = {}
    data, corpus = work / "big-data", work / "big"
    synthetic_corpus(corpus, files, sections)
    writer = Writer(data)
    start = time.perf_counter()
    built = writer.send("ingest", corpus)
    figures["big_chunks"] = built["chunks_written"]
    figures["big_build_s"] = time.perf_counter() - start

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", _SERVER, str(data), str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env())
    url = f"http://127.0.0.1:{port}"
    http = httpx.Client(base_url=url, timeout=120)
    try:
        while True:
            try:
                if http.get("/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        # Distinct queries throughout, so the server's query-embedding cache never answers.
        queries = [" ".join(w) for w in np.random.default_rng(1).choice(WORDS, (20_000, 4))]
        queries = list(dict.fromkeys(queries))
        for q in queries[:20]:
            http.get("/v1/search", params={"q": q, "k": 5})
        figures["rss_idle_mb"] = _rss_mb(server.pid)

        quiet: list[float] = []
        for q in queries[20:120]:
            t = time.perf_counter()
            http.get("/v1/search", params={"q": q, "k": 5})
            quiet.append(time.perf_counter() - t)
        figures["quiet_p50_ms"], figures["quiet_p95_ms"] = _pct(quiet)

        # 4 concurrent searches right after one index change (the server refreshes behind them).
        extra = work / "extra"
        extra.mkdir()
        (extra / "one.md").write_text("# One\n\n## Added\n\nTandem stance for thirty seconds.")
        generation = http.get("/healthz").json()["generation"]
        writer.send("ingest", extra)
        changed = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            def one(q: str) -> float:
                with httpx.Client(base_url=url, timeout=120) as c:
                    t = time.perf_counter()
                    c.get("/v1/search", params={"q": q, "k": 5}).raise_for_status()
                    return time.perf_counter() - t
            concurrent = list(pool.map(one, queries[120:124]))
        figures.update({f"after_change_{i + 1}_ms": s * 1000 for i, s in enumerate(sorted(concurrent))})
        while http.get("/healthz").json()["generation"] == generation:
            time.sleep(0.05)
        figures["refresh_visible_s"] = time.perf_counter() - changed

        # A client loop through a rebuild, an add and a delete done by the other process.
        samples: list[float] = []
        errors: list[str] = []
        stop = threading.Event()

        def loop() -> None:
            with httpx.Client(base_url=url, timeout=120) as c:
                i = 0
                while not stop.is_set():
                    t = time.perf_counter()
                    try:
                        r = c.get("/v1/search", params={"q": queries[200 + i % (len(queries) - 200)], "k": 5})
                        if r.status_code != 200:
                            errors.append(f"{r.status_code}: {r.text[:120]}")
                    except httpx.HTTPError as exc:
                        errors.append(repr(exc))
                    samples.append(time.perf_counter() - t)
                    i += 1

        thread = threading.Thread(target=loop)
        thread.start()
        t0 = time.perf_counter()
        writer.send("ingest", corpus, extra, rebuild=True)
        figures["rebuild_s"] = time.perf_counter() - t0
        (extra / "two.md").write_text("# Two\n\n## Added\n\nSingle-leg stance on foam.")
        writer.send("ingest", extra)
        (corpus / "doc-0000.md").unlink()
        writer.send("ingest", corpus)
        writer.send("remove", extra / "one.md")
        final = writer.send("ingest", corpus)  # nothing left to do: generation stays
        assert final["chunks_written"] == 0
        time.sleep(3)  # let the last refresh land while the loop keeps going
        stop.set()
        thread.join()
        figures["loop_searches"] = len(samples)
        figures["loop_errors"] = len(errors)
        figures["loop_slow_over_1s"] = sum(s > 1.0 for s in samples)
        figures["loop_p50_ms"], figures["loop_p95_ms"] = _pct(samples)
        figures["loop_max_ms"] = max(samples) * 1000
        figures["rss_after_changes_mb"] = _rss_mb(server.pid)
        for e in errors[:5]:
            print("error:", e)
    finally:
        http.close()
        server.terminate()
        server.wait()
        writer.close()
    return figures


def chunk_texts(corpus: Path, settings: Settings) -> list[str]:
    """The texts ingest embeds for `corpus`: the encode floor is measured on exactly these."""
    from assistant.chunking import chunk_document
    from assistant.ingest import discover
    from assistant.loaders import load_document

    found, _ = discover([corpus])
    return [
        c.context_text
        for f in found
        for c in chunk_document(load_document(f.path), f.source, settings.chunk_size, settings.chunk_overlap)
    ]


def throughput(work: Path, files: int, sections: int) -> dict[str, float]:
    """Our ingest of `files` files against SentenceTransformer.encode of the same chunks."""
    from assistant.embeddings import SentenceTransformerEmbedder
    from assistant.services import Services
    from assistant.settings import Settings

    corpus = work / "tp"
    synthetic_corpus(corpus, files, sections, seed=11, lo=20, hi=60)
    embedder = SentenceTransformerEmbedder(cache_size=0)
    embedder.embed(["warm up"] * 8)
    settings = Settings(data_dir=work / "tp-data")
    services = Services(settings, embedder=embedder)
    start = time.perf_counter()
    report = services.ingest([corpus])
    ours = time.perf_counter() - start

    texts = chunk_texts(corpus, settings)
    start = time.perf_counter()
    embedder._model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    floor = time.perf_counter() - start
    return {
        "tp_files": files,
        "tp_chunks": report.chunks_written,
        "tp_ingest_chunks_per_s": report.chunks_written / ours,
        "tp_floor_chunks_per_s": len(texts) / floor,
        "tp_ratio": (report.chunks_written / ours) / (len(texts) / floor),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big-files", type=int, default=2000)
    parser.add_argument("--big-sections", type=int, default=8)
    parser.add_argument("--files", type=int, default=1000, help="files for the throughput run")
    parser.add_argument("--sections", type=int, default=2)
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mes-bench-index-"))
    figures: dict[str, float] = {}
    try:
        figures.update(lifecycle(work, args.big_files, args.big_sections))
        print("\n".join(f"{k:28s} {v:10.2f}" for k, v in figures.items()), flush=True)
        if not args.skip_throughput:
            tp = throughput(work, args.files, args.sections)
            figures.update(tp)
            print("\n".join(f"{k:28s} {v:10.2f}" for k, v in tp.items()), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
