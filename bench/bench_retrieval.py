"""Retrieval figures for issue 2: cold and warm ingest, warm search latency and its floor,
and a synthetic 10,000-chunk corpus. Prints the figures; `--record` appends them to RESULTS.md."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.evaluation import evaluate_retrieval, load_questions
from assistant.services import Services
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MES_AI = str(Path(sys.executable).with_name("mes-ai"))
QUESTIONS = ROOT / "assistant" / "data" / "retrieval_questions.jsonl"


def _timed_command(args: list[str], env_data: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [MES_AI, *args],
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "MES_DATA_DIR": str(env_data), "HOME": str(env_data)},
    )
    return time.perf_counter() - start


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ms = np.array(samples) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def _synthetic_corpus(folder: Path, chunks: int, per_file: int = 100) -> None:
    rng = np.random.default_rng(7)
    words = (
        "client knee balance gait referral physician report session strength chair stand "
        "glucose pressure walk progress discharge goal stairs rail posture hip spine grip "
        "assessment documentation letter clearance precaution outcome measure"
    ).split()
    folder.mkdir(parents=True)
    for f in range(chunks // per_file):
        sections = []
        for s in range(per_file):
            text = " ".join(rng.choice(words, size=60))
            sections.append(f"## Section {s}\n\nFile {f} section {s}: {text}.\n")
        (folder / f"synthetic-{f:04d}.md").write_text(f"# Synthetic {f}\n\n" + "\n".join(sections))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--synthetic", type=int, default=10_000, help="chunks (0 to skip)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mes-bench-"))
    figures: dict[str, float] = {}

    data = work / "kb-data"
    figures["cold_ingest_s"] = _timed_command(["ingest"], data)
    figures["reingest_unchanged_s"] = _timed_command(["ingest"], data)

    embedder = SentenceTransformerEmbedder(cache_size=0)
    services = Services(Settings(data_dir=data), embedder=embedder)
    queries = [json.loads(line)["q"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    figures["chunks"] = services.retriever.chunk_count
    quality = evaluate_retrieval(services.retriever, load_questions(QUESTIONS), k=5)
    figures["questions"] = quality.questions
    figures["recall_at_5"] = quality.recall_at_k
    figures["section_recall_at_5"] = quality.section_recall_at_k
    figures["mrr"] = quality.mrr
    for q in queries[:10]:
        services.search(q, 5)
    ours: list[float] = []
    floor: list[float] = []
    store = services.store
    for _ in range(4):
        for q in queries:
            start = time.perf_counter()
            services.search(q, 5)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            store.query(embedder.embed_query(q), 5)
            floor.append(time.perf_counter() - start)
    figures["search_p50_ms"], figures["search_p95_ms"] = _percentiles(ours)
    figures["floor_p50_ms"], figures["floor_p95_ms"] = _percentiles(floor)
    figures["ratio_p50"] = figures["search_p50_ms"] / figures["floor_p50_ms"]
    figures["searches"] = len(ours)

    if args.synthetic:
        corpus = work / "synthetic"
        _synthetic_corpus(corpus, args.synthetic)
        big = Services(Settings(data_dir=work / "syn-data", chunk_size=2000), embedder=embedder)
        start = time.perf_counter()
        report = big.ingest([corpus])
        elapsed = time.perf_counter() - start
        figures["synthetic_chunks"] = report.chunks_written
        figures["synthetic_ingest_chunks_per_s"] = report.chunks_written / elapsed
        big.search("warm up the index", 5)
        samples = []
        for q in queries * 2:
            start = time.perf_counter()
            big.search(q, 5)
            samples.append(time.perf_counter() - start)
        figures["synthetic_search_p50_ms"], figures["synthetic_search_p95_ms"] = _percentiles(
            samples
        )

    shutil.rmtree(work, ignore_errors=True)
    lines = [f"{name:32s} {value:10.2f}" for name, value in figures.items()]
    print("\n".join(lines))
    if args.record:
        _record(figures)


def _record(f: dict[str, float]) -> None:
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmarks\n"
    block = f"""
## Retrieval ({date.today().isoformat()}, `python bench/bench_retrieval.py`, 2-core CPU)

| figure | target | measured |
|---|---|---|
| cold ingest of knowledge/ ({int(f["chunks"])} chunks, new process, model load included) | < 60 s | {f["cold_ingest_s"]:.1f} s |
| re-ingest, nothing changed (new process) | < 3 s | {f["reingest_unchanged_s"]:.2f} s |
| warm search p50 / p95 ({int(f["searches"])} searches, k=5, no query cache) | < 30 / < 60 ms | {f["search_p50_ms"]:.1f} / {f["search_p95_ms"]:.1f} ms |
| floor: encode one query + one Chroma query, p50 / p95 | — | {f["floor_p50_ms"]:.1f} / {f["floor_p95_ms"]:.1f} ms |
| ratio of our search to the floor (p50) | ≤ 1.5 | {f["ratio_p50"]:.2f} |
| recall@5 over {int(f["questions"])} questions (`mes-ai eval retrieval`) | ≥ 0.90 | {f["recall_at_5"]:.3f} |
| section recall@5 / MRR | — | {f["section_recall_at_5"]:.3f} / {f["mrr"]:.3f} |
"""
    if "synthetic_chunks" in f:
        block += f"""| synthetic corpus: ingest throughput ({int(f["synthetic_chunks"])} chunks) | — | {f["synthetic_ingest_chunks_per_s"]:.0f} chunks/s |
| synthetic corpus: search p50 / p95 | — | {f["synthetic_search_p50_ms"]:.1f} / {f["synthetic_search_p95_ms"]:.1f} ms |
"""
    start = text.find("\n## Retrieval (")
    if start != -1:  # replace the previous run's section, keep the others
        end = text.find("\n## ", start + 1)
        text = text[:start] + (text[end:] if end != -1 else "")
    results.write_text(text.rstrip("\n") + "\n" + block)


if __name__ == "__main__":
    main()
