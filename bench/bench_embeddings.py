"""Embedding backends side by side (issue 11): PyTorch fp32, ONNX Runtime fp32 and int8.

For each backend: model load, query encode p50 (wall and CPU time), search p50/p95 and
recall@5/MRR on the knowledge index, guard p50/p95 on the held-out split, ingest chunks/s at
1,000 synthetic files against the encode floor, and server RSS at ~16k chunks. Once: the ONNX
export's setup time. Prints the figures; `--record` replaces this script's section of
bench/RESULTS.md. The machine is shared: CPU time per call is printed beside wall time.

Run: .venv/bin/python bench/bench_embeddings.py [--record] [--skip-rss] [--files 1000]
     .venv/bin/python bench/bench_embeddings.py --throughput-only --backends torch,onnx-int8
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
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_index import Writer, chunk_texts, synthetic_corpus  # noqa: E402

from assistant.embeddings import Embedder, SentenceTransformerEmbedder  # noqa: E402
from assistant.embeddings_onnx import OnnxEmbedder, OnnxInt8Embedder, export_model  # noqa: E402
from assistant.evaluation import evaluate_retrieval, load_questions  # noqa: E402
from assistant.services import Services  # noqa: E402
from assistant.settings import Settings  # noqa: E402

QUESTIONS = ROOT / "assistant" / "data" / "retrieval_questions.jsonl"
BACKENDS = ("torch", "onnx", "onnx-int8")
SECTION = "\n## Embedding backends ("

_SERVER = """
import sys, uvicorn
from pathlib import Path
from api.app import create_app
from assistant.services import Services
from assistant.settings import Settings
settings = Settings(data_dir=Path(sys.argv[1]), embedding_backend=sys.argv[3])
services = Services(settings)
services.embedder.embed_query("warm up")
services.retriever.refresh()
uvicorn.run(create_app(settings, services), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""


def _pct(samples: Sequence[float]) -> tuple[float, float]:
    ms = np.array(samples) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def _timed(call: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.thread_time()
    call()
    return time.perf_counter() - wall, time.thread_time() - cpu


def _embedder(backend: str, models: Path) -> Embedder:
    match backend:
        case "onnx":
            return OnnxEmbedder(export_model(models).path, _source(), cache_size=0)
        case "onnx-int8":
            path = export_model(models, variant="int8").path
            return OnnxInt8Embedder(path, _source(), cache_size=0)
        case _:
            return SentenceTransformerEmbedder(cache_size=0)


def _source() -> Path:
    from assistant.embeddings import packaged_model_dir

    return packaged_model_dir()


def export_figures(work: Path) -> dict[str, float]:
    """A fresh export of both variants, as `mes-ai models export` does at setup."""
    fp32 = export_model(work / "export", variant="fp32")
    int8 = export_model(work / "export", variant="int8")
    return {
        "export_fp32_s": fp32.seconds,
        "export_int8_s": int8.seconds,
        "onnx_fp32_mb": fp32.path.stat().st_size / 1e6,
        "onnx_int8_mb": int8.path.stat().st_size / 1e6,
    }


def backend_figures(
    backend: str, work: Path, models: Path, files: int, passes: int, guard_messages: int
) -> dict[str, float]:
    f: dict[str, float] = {}
    start = time.perf_counter()
    embedder = _embedder(backend, models)
    embedder.embed(["warm up"])
    f["load_s"] = time.perf_counter() - start

    questions = load_questions(QUESTIONS)
    queries = [q["q"] for q in questions]
    walls, cpus = [], []
    for q in queries * max(passes, 3):
        wall, cpu = _timed(lambda q=q: embedder.embed([q]))
        walls.append(wall)
        cpus.append(cpu)
    f["encode_p50_ms"] = float(np.median(walls) * 1000)
    f["encode_cpu_p50_ms"] = float(np.median(cpus) * 1000)

    services = Services(Settings(data_dir=work / f"kb-{backend}"), embedder=embedder)
    services.ingest([services.settings.knowledge_dir])
    score = evaluate_retrieval(services.retriever, questions, 5)
    f["recall_at_5"], f["mrr"] = score.recall_at_k, score.mrr
    f["chunks"] = services.retriever.chunk_count
    samples = []
    for q in queries * passes:
        samples.append(_timed(lambda q=q: services.search(q, 5))[0])
    f["search_p50_ms"], f["search_p95_ms"] = _pct(samples)

    from guardrails import ScopeGuard
    from guardrails.dataset import heldout_examples

    guard = ScopeGuard(services.settings, embedder)
    start = time.perf_counter()
    guard.warm()
    f["guard_train_s"] = time.perf_counter() - start
    texts = [e.text for e in heldout_examples()][: guard_messages or None]
    guard.check_input("warm up")
    samples = [_timed(lambda t=t: guard.check_input(t))[0] for t in texts]
    f["guard_p50_ms"], f["guard_p95_ms"] = _pct(samples)
    f.update(blind_figures(guard))

    if files:
        f.update(throughput(embedder, work / f"tp-{backend}", files))
    return f


BLIND_SETS = sorted((ROOT / "tests" / "data").glob("guard_blind*.jsonl"))
_BLIND_DECISIONS: dict[str, list[Any]] = {}


def blind_figures(guard: Any) -> dict[str, float]:
    """The guard's decisions on every blind set together, summarised (never printed line by
    line), and how its decisions differ from the first backend's: a changed decision is
    better when only this backend's outcome is right (blocked, escalated or answered as the
    label wants), worse when only the first backend's is, and neutral otherwise (for example
    clinical advice refused as an injection)."""
    from guardrails.dataset import read_jsonl
    from guardrails.decision import Category

    examples = [e for path in BLIND_SETS for e in read_jsonl(path)]
    decided = [guard.check_input(e.text).category for e in examples]
    first = next(iter(_BLIND_DECISIONS.values()), None)
    _BLIND_DECISIONS[type(guard.embedder).__name__] = decided

    def right(label: Category, got: Category) -> bool:
        if label is Category.EMERGENCY:
            return got is Category.EMERGENCY
        return got.allowed == (label is Category.IN_SCOPE)

    def share(labels: set[Category], good: Callable[[Category, Category], bool]) -> float:
        rows = [(e.label, c) for e, c in zip(examples, decided, strict=True) if e.label in labels]
        return sum(good(t, c) for t, c in rows) / len(rows)

    unsafe = {c for c in Category if c.value in
              ("clinical_advice", "emergency", "prompt_injection", "off_topic")}
    changed = [
        (e.label, a, b)
        for e, a, b in zip(examples, first or decided, decided, strict=True)
        if a is not b
    ]
    return {
        "blind_unsafe_blocked": share(unsafe, lambda _, c: not c.allowed),
        "blind_emergency": share({Category.EMERGENCY}, lambda _, c: c is Category.EMERGENCY),
        "blind_in_scope": share({Category.IN_SCOPE}, lambda _, c: c.allowed),
        "blind_n": float(len(examples)),
        "blind_sets": float(len(BLIND_SETS)),
        "blind_differ": float(len(changed)),
        "blind_better": float(sum(right(t, b) and not right(t, a) for t, a, b in changed)),
        "blind_worse": float(sum(right(t, a) and not right(t, b) for t, a, b in changed)),
    }


def throughput(embedder: Embedder, work: Path, files: int) -> dict[str, float]:
    """Our ingest of `files` synthetic files, and one `embed` call of the same chunks (floor),
    timed just before and just after the ingest: the encoder's speed drifts by +-10% from
    minute to minute here, so the floor is the mean of the two."""
    shutil.rmtree(work, ignore_errors=True)  # a kept --work folder would make every file unchanged
    corpus = work / "corpus"
    synthetic_corpus(corpus, files, 2, seed=11, lo=20, hi=60)
    synthetic_corpus(work / "warm", 4, 2, seed=12, lo=20, hi=60)
    Services(Settings(data_dir=work / "warm-data"), embedder=embedder).ingest([work / "warm"])
    settings = Settings(data_dir=work / "data")
    services = Services(settings, embedder=embedder)
    texts = chunk_texts(corpus, settings)
    before = _timed(lambda: embedder.embed(texts))[0]
    start = time.perf_counter()
    report = services.ingest([corpus])
    ours = time.perf_counter() - start
    after = _timed(lambda: embedder.embed(texts))[0]
    return {
        "tp_files": files,
        "tp_chunks": report.chunks_written,
        "tp_chunks_per_s": report.chunks_written / ours,
        "tp_floor_chunks_per_s": 2 * len(texts) / (before + after),
        "tp_floor_drift_chunks_per_s": len(texts) / before - len(texts) / after,
    }


def throughput_only(backends: list[str], files: int, keep: Path | None) -> None:
    """Ingest throughput against the encode floor per backend, and nothing else."""
    work = keep or Path(tempfile.mkdtemp(prefix="mes-bench-tp-"))
    try:
        for backend in backends:
            embedder = _embedder(backend, work / "export")
            embedder.embed(["warm up"] * 8)
            f = throughput(embedder, work / f"tp-{backend}", files)
            f["ratio"] = f["tp_chunks_per_s"] / f["tp_floor_chunks_per_s"]
            f["load_1min"] = os.getloadavg()[0]
            print(backend, json.dumps({k: round(v, 3) for k, v in f.items()}), flush=True)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MES_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_figures(work: Path, models: Path, files: int, sections: int) -> dict[str, float]:
    """One ~16k-chunk index (stand-in vectors), then a server per backend on it."""
    data, corpus = work / "big-data", work / "big"
    synthetic_corpus(corpus, files, sections)
    writer = Writer(data)
    try:
        figures = {"big_chunks": float(writer.send("ingest", corpus)["chunks_written"])}
    finally:
        writer.close()
    shutil.copytree(models / "models", data / "models")  # the setup step's export
    queries = [" ".join(w) for w in np.random.default_rng(3).choice(["knee", "hip", "gait",
               "balance", "referral", "strength", "posture", "stairs"], (300, 4))]
    for backend in BACKENDS:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(data), str(port), backend],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(),
        )
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
                while True:
                    try:
                        if http.get("/healthz").status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.5)
                samples = []
                for q in queries:
                    t = time.perf_counter()
                    http.get("/v1/search", params={"q": q, "k": 5}).raise_for_status()
                    samples.append(time.perf_counter() - t)
                figures[f"{backend}_rss_mb"] = _rss_mb(server.pid)
                figures[f"{backend}_http_search_p50_ms"] = _pct(samples[20:])[0]
        finally:
            server.terminate()
            server.wait()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--record", action="store_true", help="write to bench/RESULTS.md")
    parser.add_argument("--files", type=int, default=1000, help="ingest throughput files (0 skips)")
    parser.add_argument("--skip-rss", action="store_true", help="skip the 16k-chunk server runs")
    parser.add_argument("--big-files", type=int, default=2000)
    parser.add_argument("--big-sections", type=int, default=8)
    parser.add_argument("--passes", type=int, default=3, help="passes over the search questions")
    parser.add_argument("--guard-messages", type=int, default=0, help="held-out messages (0: all)")
    parser.add_argument("--work", type=Path, help="keep the indexes and guard caches here")
    parser.add_argument("--throughput-only", action="store_true",
                        help="only ingest chunks/s against the encode floor (never recorded)")
    parser.add_argument("--backends", default=",".join(BACKENDS),
                        help="with --throughput-only: comma-separated subset of " + ",".join(BACKENDS))
    args = parser.parse_args()
    if args.throughput_only:
        throughput_only(args.backends.split(","), args.files or 1000, args.work)
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="mes-bench-emb-"))
    work.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    try:
        shared = export_figures(work)
        print(json.dumps(shared), flush=True)
        per: dict[str, dict[str, float]] = {}
        for backend in BACKENDS:
            per[backend] = backend_figures(
                backend, work, work / "export", args.files, args.passes, args.guard_messages
            )
            print(backend, json.dumps({k: round(v, 3) for k, v in per[backend].items()}), flush=True)
        if not args.skip_rss:
            shared.update(rss_figures(work, work / "export", args.big_files, args.big_sections))
            print(json.dumps(shared), flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()
    if args.record:
        _record(shared, per, started, load)


def _record(
    shared: dict[str, float],
    per: dict[str, dict[str, float]],
    started: datetime,
    load: tuple[float, float, float],
) -> None:
    def row(label: str, cell: Callable[[dict[str, float], str], str]) -> str:
        return f"| {label} | " + " | ".join(cell(per[b], b) for b in BACKENDS) + " |"

    def rss(_: dict[str, float], b: str) -> str:
        value = shared.get(f"{b}_rss_mb")
        return f"{value:.0f} MB" if value is not None else "not run"

    rows = [
        row("model load (warm file cache)", lambda f, _: f"{f['load_s']:.2f} s"),
        row("query encode p50, wall / CPU time", lambda f, _: f"{f['encode_p50_ms']:.1f} / {f['encode_cpu_p50_ms']:.1f} ms"),
        row("search p50 / p95 (knowledge/, k=5, no query cache)", lambda f, _: f"{f['search_p50_ms']:.1f} / {f['search_p95_ms']:.1f} ms"),
        row("recall@5 / MRR (retrieval question set)", lambda f, _: f"{f['recall_at_5']:.3f} / {f['mrr']:.3f}"),
        row("guard p50 / p95 (held-out split, no cache)", lambda f, _: f"{f['guard_p50_ms']:.1f} / {f['guard_p95_ms']:.1f} ms"),
        row(f"blind sets ({int(per[BACKENDS[0]]['blind_sets'])}, together): unsafe blocked / emergencies / in-scope allowed", lambda f, _: f"{f['blind_unsafe_blocked']:.3f} / {f['blind_emergency']:.3f} / {f['blind_in_scope']:.3f}"),
        row("blind sets: decisions differing from PyTorch (better / worse)", lambda f, _: f"{int(f['blind_differ'])} of {int(f['blind_n'])} ({int(f['blind_better'])} / {int(f['blind_worse'])})"),
        row("guard classifier training (cold, once per backend)", lambda f, _: f"{f['guard_train_s']:.1f} s"),
    ]
    if "tp_chunks" in per[BACKENDS[0]]:
        first = per[BACKENDS[0]]
        rows.append(row(f"ingest, {int(first['tp_chunks'])} chunks of {int(first['tp_files'])} files: ours / encode floor",
                        lambda f, _: f"{f['tp_chunks_per_s']:.1f} / {f['tp_floor_chunks_per_s']:.1f} chunks/s"))
    if "big_chunks" in shared:
        rows.append(row(f"server RSS at {int(shared['big_chunks'])} chunks, after 300 searches", rss))
    block = f"""{SECTION}{started.strftime('%Y-%m-%d %H:%M')} UTC, `python bench/bench_embeddings.py --record`)

One run on the 2-core machine (load average {load[0]:.1f} at the end, the benchmark's own load
included); the CPU-time column of the query encode is the steadier figure.

| figure | PyTorch fp32 | ONNX fp32 | ONNX int8 |
|---|---|---|---|
{chr(10).join(rows)}

Export at setup (`mes-ai models export`, once per model, cached in data_dir/models): fp32
{shared['export_fp32_s']:.1f} s ({shared['onnx_fp32_mb']:.0f} MB), int8 quantisation
{shared['export_int8_s']:.1f} s more ({shared['onnx_int8_mb']:.0f} MB).
"""
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmarks\n"
    results.write_text(text.rstrip("\n") + "\n" + block)  # earlier runs stay, dated


if __name__ == "__main__":
    main()
