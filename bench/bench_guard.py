"""Scope-guard benchmark: cold/warm start and per-message latency (prints figures, asserts nothing).

Run: .venv/bin/python bench/bench_guard.py [--repeat N]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.settings import Settings
from guardrails import MAX_INPUT_CHARS, ScopeGuard
from guardrails.dataset import heldout_examples, training_examples
from guardrails.evaluation import evaluate_guard, format_report


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the messages")
    args = parser.parse_args()

    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    load_s = time.perf_counter() - started
    examples = heldout_examples()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        cold = ScopeGuard(settings, embedder)
        started = time.perf_counter()
        cold.warm()
        train_s = time.perf_counter() - started

        started = time.perf_counter()
        guard = ScopeGuard(settings, embedder)
        guard.warm()
        warm_s = time.perf_counter() - started

        results = evaluate_guard(guard, examples)  # first pass: every embedding is computed
        latencies = list(results[0].latencies_ms)
        for _ in range(args.repeat - 1):  # later passes on a fresh embedder cache
            guard.embedder = SentenceTransformerEmbedder()
            guard.check_input("warm-up")
            for example in examples:
                start = time.perf_counter()
                guard.check_input(example.text)
                latencies.append((time.perf_counter() - start) * 1000)

        long_text = "Client notes: sit-to-stand 3x10, BP 132/84, RPE 5, no pain reported. " * 30
        long_times = []
        for i in range(20):
            start = time.perf_counter()
            guard.check_input(f"{long_text} how should I progress her next week? (note {i})")
            long_times.append((time.perf_counter() - start) * 1000)

        words = "session log balance squat client progress report referral physician plan".split()
        max_times = []
        for i in range(10):
            text = " ".join(words[(i + j) % len(words)] for j in range(MAX_INPUT_CHARS // 6))
            start = time.perf_counter()
            guard.check_input(text[: MAX_INPUT_CHARS - 10] + f" q{i}?")
            max_times.append((time.perf_counter() - start) * 1000)

    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    print(f"model load: {load_s:.2f} s")
    print(
        f"cold start (embed {len(training_examples())} training examples, fit, cache): {train_s:.2f} s"
    )
    print(f"warm start (load cached classifier): {warm_s * 1000:.1f} ms")
    print(
        f"per message, {len(latencies)} uncached checks of {len(examples)} held-out messages: "
        f"p50 {statistics.median(latencies):.2f} ms, p95 {_quantile(latencies, 0.95):.2f} ms, "
        f"max {max(latencies):.2f} ms"
    )
    print(
        f"long message ({len(long_text) + 40} chars): p50 {statistics.median(long_times):.2f} ms, "
        f"p95 {_quantile(long_times, 0.95):.2f} ms"
    )
    print(
        f"maximum-length message ({MAX_INPUT_CHARS} chars): "
        f"p50 {statistics.median(max_times):.2f} ms, p95 {_quantile(max_times, 0.95):.2f} ms"
    )
    print()
    print(format_report(results, "the held-out split"))


if __name__ == "__main__":
    main()
