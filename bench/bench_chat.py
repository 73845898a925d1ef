"""/v1/chat over HTTP: p50/p95 at concurrency 1 and 8, ratio to /v1/search, requests/s, soak.

Starts `mes-ai serve` (local mode, loopback) on a data dir with the knowledge index, then
measures with httpx clients in threads. The soak repeats in-scope questions for --soak seconds
and reports errors and the server's RSS growth.

    python bench/bench_chat.py [--data-dir .mes-data] [--n 40] [--soak 600]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

QUESTIONS = [
    "How many supervised assessments do I need before the intermediate tier?",
    "What should a session log contain?",
    "When is a progress report due to the physician?",
    "What does the Advanced tier require?",
]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def timed(client: httpx.Client, kind: str, i: int) -> tuple[float, bool]:
    q = QUESTIONS[i % len(QUESTIONS)]
    start = time.perf_counter()
    if kind == "chat":
        r = client.post("/v1/chat", json={"message": q})
        ok = r.status_code == 200 and r.json()["category"] == "in_scope"
    else:
        r = client.get("/v1/search", params={"q": q, "k": 5})
        ok = r.status_code == 200
    return (time.perf_counter() - start) * 1000, ok


def run(url: str, kind: str, n: int, concurrency: int) -> dict[str, float]:
    clients = [httpx.Client(base_url=url, timeout=60) for _ in range(concurrency)]
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda i: timed(clients[i % concurrency], kind, i), range(n)))
    wall = time.perf_counter() - start
    for c in clients:
        c.close()
    ms = sorted(r[0] for r in results)
    return {
        "p50": statistics.median(ms),
        "p95": ms[min(len(ms) - 1, int(0.95 * len(ms)))],
        "rps": n / wall,
        "errors": sum(1 for r in results if not r[1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=".mes-data")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--soak", type=float, default=600.0, help="seconds")
    args = parser.parse_args()
    env = {**os.environ, "MES_DATA_DIR": args.data_dir}
    mes = str(Path(sys.executable).with_name("mes-ai"))
    subprocess.run([mes, "ingest"], env=env, check=True, stdout=subprocess.DEVNULL)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [mes, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        run(url, "chat", 8, 1)  # warm-up
        run(url, "search", 8, 1)
        for concurrency in (1, 8):
            n = args.n * (2 if concurrency == 8 else 1)
            chat = run(url, "chat", n, concurrency)
            search = run(url, "search", n, concurrency)
            print(
                f"concurrency {concurrency}: /v1/chat p50 {chat['p50']:.1f} ms p95 {chat['p95']:.1f} ms "
                f"{chat['rps']:.1f} req/s errors {chat['errors']} | /v1/search p50 {search['p50']:.1f} ms "
                f"p95 {search['p95']:.1f} ms {search['rps']:.1f} req/s | p50 ratio chat/search "
                f"{chat['p50'] / search['p50']:.2f}"
            )
        rss0 = rss_kib(server.pid)
        deadline = time.monotonic() + args.soak
        done = errors = 0
        with httpx.Client(base_url=url, timeout=60) as client:
            while time.monotonic() < deadline:
                _, ok = timed(client, "chat", done)
                done += 1
                errors += not ok
        rss1 = rss_kib(server.pid)
        print(
            f"soak {args.soak:.0f} s: {done} /v1/chat requests, {errors} errors, server RSS "
            f"{rss0 / 1024:.0f} MiB -> {rss1 / 1024:.0f} MiB ({(rss1 - rss0) / rss0 * 100:+.1f}%)"
        )
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
