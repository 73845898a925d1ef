"""Scope-guard benchmark: setup (training) time and size, per-message latency, and the figures
on the held-out split and the blind set beside both baselines. Prints figures, asserts nothing.

Run: .venv/bin/python bench/bench_guard.py [--repeat N] [--blind tests/data/guard_blind.jsonl]
The blind set is only ever summarised (counts and shares), never printed line by line.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.settings import Settings
from guardrails import MAX_INPUT_CHARS, ScopeGuard
from guardrails.dataset import guard_training_examples, heldout_examples, read_jsonl
from guardrails.evaluation import evaluate_guard, format_report
from guardrails.model import validation_report

BLIND = Path(__file__).resolve().parents[1] / "tests" / "data" / "guard_blind.jsonl"


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the messages")
    parser.add_argument("--blind", type=Path, default=BLIND, help="blind labelled JSONL")
    parser.add_argument(
        "--model-cache",
        type=Path,
        help="reuse a trained data_dir/guard folder instead of timing a fresh training",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    load_s = time.perf_counter() - started
    examples = heldout_examples()
    load_avg = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        if args.model_cache:
            shutil.copytree(args.model_cache, Path(tmp) / "guard")
        cold = ScopeGuard(settings, embedder)
        started = time.perf_counter()
        trained = cold.warm()
        train_s = time.perf_counter() - started
        size = _size(Path(tmp) / "guard")
        validation = validation_report(Path(tmp) / "guard")

        started = time.perf_counter()
        guard = ScopeGuard(settings, embedder)
        guard.warm()
        warm_s = time.perf_counter() - started

        guard.embedder = SentenceTransformerEmbedder()
        guard.check_input("warm-up")
        latencies: list[float] = []
        for _ in range(args.repeat):
            guard.embedder = SentenceTransformerEmbedder()  # a fresh embedding cache each pass
            guard.classifier.forget()  # and no remembered scores
            guard.check_input("warm-up")
            for example in examples:
                start = time.perf_counter()
                guard.check_input(example.text)
                latencies.append((time.perf_counter() - start) * 1000)

        words = "session log balance squat client progress report referral physician plan".split()
        max_times = []
        for i in range(10):
            text = " ".join(words[(i + j) % len(words)] for j in range(MAX_INPUT_CHARS // 6))
            start = time.perf_counter()
            guard.check_input(text[: MAX_INPUT_CHARS - 10] + f" q{i}?")
            max_times.append((time.perf_counter() - start) * 1000)

        held = evaluate_guard(guard, examples)
        blind = evaluate_guard(guard, read_jsonl(args.blind)) if args.blind.exists() else None
        load_after = os.getloadavg()[0]

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"load average while measuring: {load_avg:.1f} at start, {load_after:.1f} at the end")
    print(f"model load: {load_s:.2f} s")
    what = "setup on a fresh data dir" if trained else f"loaded from {args.model_cache}"
    print(
        f"{what} (read {len(guard_training_examples())} training messages, tune the top "
        f"layers, calibrate, cache): {train_s:.1f} s; size on disk {size / 1e6:.2f} MB"
    )
    print(f"validation split (by pair group): {validation}")
    print(f"warm start (load the cached model): {warm_s * 1000:.1f} ms")
    print(
        f"per message, {len(latencies)} uncached checks of {len(examples)} held-out messages: "
        f"p50 {statistics.median(latencies):.2f} ms, p95 {_quantile(latencies, 0.95):.2f} ms, "
        f"max {max(latencies):.2f} ms"
    )
    print(
        f"maximum-length message ({MAX_INPUT_CHARS} chars): "
        f"p50 {statistics.median(max_times):.2f} ms, p95 {_quantile(max_times, 0.95):.2f} ms"
    )
    print()
    print(format_report(held, "the held-out split"))
    if blind is not None:
        print()
        print(format_report(blind, f"the blind set ({args.blind.name})"))


if __name__ == "__main__":
    main()
