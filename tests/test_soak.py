"""Soak: 32 concurrent clients against a real `plangraph serve` (its own process, 127.0.0.1) for a
bounded time, cycling through the query library. Zero errors; memory flat: the server's RSS (server
and query workers) over the last third of the run no more than a small margin above the first third.

Every other query is sent as a new one (a prologue line of its own), so that the workers answer
half of them and the result cache keeps taking in answers; the cache is bounded to 4 MiB here, so
that it is full after the warm-up and what it holds cannot pass for growth.

Short form in the normal run (20 s); the full form:

    PLANGRAPH_SOAK_SECONDS=300 python -m pytest tests/test_soak.py
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from plangraph.config import Settings

from .conftest import PROJECT

SECONDS = float(os.environ.get("PLANGRAPH_SOAK_SECONDS", "20"))
CLIENTS = 32
WARM_UP = 3.0
MARGIN_MIB = 8.0        # growth allowed from the first third to the last, absolute …
MARGIN_RATIO = 0.05     # … plus this share of the first third
MAX_REQUESTS = 1_000_000
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
CACHE_BYTES = 4 << 20


def tree_rss_mib(pid: int) -> float:
    """RSS of a process and its descendants (the query workers), from /proc."""
    parents: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text(errors="replace")
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(d))
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(parents.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


@pytest.fixture(scope="module")
def serve(built: Settings) -> Iterator[tuple[subprocess.Popen, str]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "plangraph.cli", "serve", "--host",
                             "127.0.0.1", "--port", str(port), "--out", str(built.out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PLANGRAPH_CACHE_BYTES": str(CACHE_BYTES)})
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "plangraph serve did not start"
            time.sleep(0.1)
        yield proc, url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def soak(url: str, pid: int, seconds: float) -> tuple[Counter, Counter, list[float]]:
    queries = [(p.stem, p.read_text(encoding="utf-8"))
               for p in sorted((PROJECT / "queries").glob("*.rq"))]
    done: Counter = Counter()
    errors: Counter = Counter()
    samples: list[float] = []
    start = time.monotonic()
    deadline = start + WARM_UP + seconds
    sent = 0

    async def client(k: int, http: httpx.AsyncClient) -> None:
        nonlocal sent
        order = random.Random(k).sample(queries, len(queries))
        i = 0
        while time.monotonic() < deadline and sent < MAX_REQUESTS:
            name, text = order[i % len(order)]
            i += 1
            sent += 1
            if sent % 2:  # a new query: a worker answers it, the cache takes it in
                text = f"PREFIX soak{sent}: <urn:soak:{sent}>\n{text}"
            try:
                r = await http.post(url, content=text.encode("utf-8"), headers={
                    "Content-Type": "application/sparql-query", "Accept": ACCEPT})
                if r.status_code == 200:
                    done[name] += 1
                else:
                    errors[f"{name}: {r.status_code} {r.text[:120]}"] += 1
            except httpx.HTTPError as e:
                errors[f"{name}: {type(e).__name__} {e}"] += 1

    async def sampler() -> None:
        await asyncio.sleep(WARM_UP)
        while time.monotonic() < deadline:
            samples.append(await asyncio.to_thread(tree_rss_mib, pid))
            await asyncio.sleep(max(0.2, seconds / 60))

    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await asyncio.gather(sampler(), *(client(k, http) for k in range(CLIENTS)))
    return done, errors, samples


def test_soak(serve: tuple[subprocess.Popen, str]) -> None:
    proc, url = serve
    done, errors, samples = asyncio.run(soak(url, proc.pid, SECONDS))
    total = sum(done.values())
    assert not errors, f"{sum(errors.values())} errors of {total + sum(errors.values())}: " \
                       f"{errors.most_common(5)}"  # each: query, status, body
    assert total > CLIENTS, f"only {total} answers in {SECONDS} s"
    assert len(done) == len(list((PROJECT / "queries").glob("*.rq"))), "some query never answered"
    assert proc.poll() is None, "the server exited during the soak"
    third = max(1, len(samples) // 3)
    first, last = statistics.mean(samples[:third]), statistics.mean(samples[-third:])
    allowed = first * (1 + MARGIN_RATIO) + MARGIN_MIB
    print(f"\nsoak: {total} answers in {SECONDS:g} s ({total / SECONDS:.0f}/s) by {CLIENTS} "
          f"clients, 0 errors; server RSS first third {first:.0f} MiB, last third {last:.0f} MiB, "
          f"max {max(samples):.0f} MiB ({len(samples)} samples)")
    assert last <= allowed, f"memory grew: {first:.0f} MiB → {last:.0f} MiB (allowed {allowed:.0f})"
