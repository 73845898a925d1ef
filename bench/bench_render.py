"""Render time p50 per format: Markdown (draft), DOCX and PDF export. Prints the figures.

Then the slowest draft the models allow: the largest cases of bench/worst_case.py (every list
and text at its limit, mixed scripts) drafted as every kind, timed per format (target < 2 s).

Usage: .venv/bin/python bench/bench_render.py [--runs N] [--worst-only]
Targets: Markdown < 20 ms, DOCX < 150 ms, PDF < 400 ms per document; worst case < 2 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
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


def worst() -> None:
    """The slowest draft per format over the largest cases the models accept."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from worst_case import SHAPES, largest

    slowest: dict[str, tuple[float, float, str]] = {f: (0.0, 0.0, "") for f in ("md", "docx", "pdf")}
    for name, shape in SHAPES.items():
        case = largest(shape)
        size = len(case.model_dump_json())
        for kind, opts in DOCS:
            options = DraftOptions(date="2026-11-23").model_copy(update=opts)
            label = f"{name} ({size:,} chars), {kind} {opts.get('letter_type', '')}".strip()
            start, cpu = time.perf_counter(), time.process_time()
            result = draft(kind, case, options)
            timings = {"md": (time.perf_counter() - start, time.process_time() - cpu)}
            for fmt in ("docx", "pdf"):
                start, cpu = time.perf_counter(), time.process_time()
                export(result, fmt)
                wall, spent = time.perf_counter() - start, time.process_time() - cpu
                timings[fmt] = (wall + timings["md"][0], spent + timings["md"][1])
            for fmt, (seconds, spent) in timings.items():
                if seconds > slowest[fmt][0]:
                    slowest[fmt] = (seconds, spent, label)
    print("\nslowest draft the models allow (draft for md, draft + export for the files);")
    print("wall seconds, and the CPU seconds of this process (the same under other load)")
    print(f"{'format':<8}{'wall s':>8}{'cpu s':>8}  {'target':<8}case")
    for fmt, (seconds, spent, label) in slowest.items():
        print(f"{fmt:<8}{seconds:>8.2f}{spent:>8.2f}  {'< 2 s':<8}{label}")


DOCS = [
    ("session-log", {}),
    ("progress-summary", {}),
    ("discharge-summary", {"discharge_reason": "Goals met"}),
    *[("referral-letter", {"letter_type": t}) for t in LETTER_TYPES],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="rounds over all cases and kinds")
    parser.add_argument("--worst-only", action="store_true", help="only the worst-case table")
    args = parser.parse_args()
    if args.worst_only:
        worst()
        return
    cases = [parse_case(json.loads(p.read_text())) for p in sorted(CASES.glob("*.json"))]
    docs = DOCS
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
    worst()


if __name__ == "__main__":
    main()
