"""Render time p50 per format: Markdown (draft), DOCX and PDF export. Prints the figures.

Usage: .venv/bin/python bench/bench_render.py [--runs N]
Targets: Markdown < 20 ms, DOCX < 150 ms, PDF < 400 ms per document.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from assistant.drafting import LETTER_TYPES, DraftOptions, draft, export
from assistant.models import parse_case

CASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "cases"
TARGETS_MS = {"md": 20.0, "docx": 150.0, "pdf": 400.0}


def _timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="rounds over all cases and kinds")
    args = parser.parse_args()
    cases = [parse_case(json.loads(p.read_text())) for p in sorted(CASES.glob("*.json"))]
    docs = [
        ("session-log", {}),
        ("progress-summary", {}),
        ("discharge-summary", {"discharge_reason": "Goals met"}),
        *[("referral-letter", {"letter_type": t}) for t in LETTER_TYPES],
    ]
    base = DraftOptions(date="2026-11-23")
    # warm-up: templates, YAML and fonts load once per process
    for kind, opts in docs:
        warm = draft(kind, cases[0], base.model_copy(update=opts))
        export(warm, "docx")
        export(warm, "pdf")

    times: dict[str, list[float]] = {"md": [], "docx": [], "pdf": []}
    for _ in range(args.runs):
        for case in cases:
            for kind, opts in docs:
                options = base.model_copy(update=opts)
                times["md"].append(_timed(lambda: draft(kind, case, options)))  # noqa: B023
                result = draft(kind, case, options)
                times["docx"].append(_timed(lambda: export(result, "docx")))  # noqa: B023
                times["pdf"].append(_timed(lambda: export(result, "pdf")))  # noqa: B023

    count = len(times["md"])
    print(
        f"render time over {count} documents ({len(cases)} cases x {len(docs)} kinds"
        f" x {args.runs} runs)"
    )
    print(f"{'format':<9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'target':>9}")
    for fmt, values in times.items():
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(
            f"{fmt:<9}{statistics.median(values):>9.1f}{p95:>9.1f}{ordered[-1]:>9.1f}"
            f"{'<' + format(TARGETS_MS[fmt], '.0f'):>9}"
        )


if __name__ == "__main__":
    main()
