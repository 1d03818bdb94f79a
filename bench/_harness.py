"""What the benchmarks share: starting `plangraph serve` and `oxigraph serve` on 127.0.0.1 over one
build, the query library, a bounded load generator, and the RSS of a process tree.

Not a benchmark itself (no table): bench/scale.py and bench/endpoint.py import it.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def made_unique(text: str, n: int) -> str:
    """The query as a new query, with the same answer: a prologue line of its own in front, so
    that no result cache can answer it (a comment would not do: plangraph's cache normalises
    comments and white space away, as they change nothing)."""
    return f"PREFIX u{n}: <urn:plangraph:bench:{n}>\n{text}"


def library() -> list[tuple[str, str]]:
    """(name, text) of every query in queries/ (not the qc/ checks)."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(QUERIES.glob("*.rq"))]


# -- memory ----------------------------------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                stat = fh.read().decode("utf-8", "replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids[ppid].append(int(d))
    return kids


def tree_pids(pid: int) -> list[int]:
    kids, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().decode("utf-8", "replace").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its descendants now alive (a server and its query workers)."""
    return sum(cpu_seconds(p) for p in tree_pids(pid))


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants (workers included), MiB."""
    return sum(rss_mib(p) for p in tree_pids(pid))


class PeakSampler:
    """Samples the RSS of a process tree every `interval` s in a thread; .peak is the largest sum."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval, self.peak, self.samples = pid, interval, 0.0, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            v = tree_rss_mib(self.pid)
            self.samples.append(v)
            self.peak = max(self.peak, v)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


# -- servers ---------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server {proc.args} exited with {proc.returncode}")
        try:
            r = httpx.get(url, params={"query": "ASK {}"}, timeout=5)
            if r.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    url: str  # the SPARQL endpoint
    log: Path
    workdir: Path | None = None

    def rss_mib(self) -> float:
        return tree_rss_mib(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def start_plangraph(build: Path, env: dict[str, str] | None = None) -> Server:
    """`plangraph serve --out BUILD` on a free port of 127.0.0.1 (its log in a file beside it)."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="plangraph-serve-", suffix=".log")[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "plangraph.cli", "serve", "--host", "127.0.0.1", "--port",
         str(port), "--out", str(build)],
        stdout=subprocess.DEVNULL, stderr=log.open("wb"), env={**os.environ, **(env or {})},
        start_new_session=True)
    server = Server("plangraph", proc, f"http://127.0.0.1:{port}/sparql", log)
    try:
        wait_ready(server.url, proc)
    except BaseException:
        server.stop()
        raise
    return server


def oxigraph_load(nquads: Path, location: Path) -> float:
    """`oxigraph load` of a dump into a fresh folder; the seconds it took."""
    exe = shutil.which("oxigraph")
    if exe is None:
        raise RuntimeError("oxigraph is not installed (pip install oxigraph)")
    shutil.rmtree(location, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run([exe, "load", "--location", str(location), "--file", str(nquads)], check=True,
                   capture_output=True)
    return time.perf_counter() - t


def start_oxigraph(build: Path, timeout_s: float = 10) -> tuple[Server, float]:
    """`oxigraph serve` over the build's plangraph.nq (loaded with `oxigraph load`), the union of
    the named graphs as its default graph, as plangraph serves it; (server, load seconds)."""
    work = Path(tempfile.mkdtemp(prefix="plangraph-bench-oxigraph-"))
    seconds = oxigraph_load(build / "plangraph.nq", work / "store")
    port = free_port()
    log = work / "serve.log"
    proc = subprocess.Popen(
        [shutil.which("oxigraph") or "oxigraph", "serve", "--location", str(work / "store"),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(timeout_s)],
        stdout=subprocess.DEVNULL, stderr=log.open("wb"), start_new_session=True)
    server = Server("oxigraph", proc, f"http://127.0.0.1:{port}/query", log, work)
    try:
        wait_ready(server.url, proc)
    except BaseException:
        server.stop()
        raise
    return server, seconds


# -- load ------------------------------------------------------------------------------------------

@dataclass
class Run:
    clients: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    client_cpu: float = 0.0  # CPU seconds of the load generator / wall seconds
    cache: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # Cache-Status seen

    @property
    def hit_ratio(self) -> float | None:
        """The share of answers plangraph's cache gave (None: no Cache-Status header seen)."""
        seen = self.cache.get("hit", 0) + self.cache.get("miss", 0)
        return self.cache.get("hit", 0) / seen if seen else None

    @property
    def all(self) -> list[float]:
        return [x for v in self.latencies.values() for x in v]

    @property
    def count(self) -> int:
        return len(self.all)

    @property
    def qps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def p(self, q: float, name: str | None = None) -> float:
        return percentile(self.latencies[name] if name else self.all, q)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, int(q) - 1))] \
        if q < 100 else max(values)


_unique_counter = 0


def _next_unique() -> int:
    global _unique_counter
    _unique_counter += 1
    return _unique_counter


class _Connection:
    """One keep-alive HTTP/1.1 connection, as lean as a client can be (plain asyncio streams):
    httpx costs ~1.5 ms of CPU a request, as much as a cached answer costs the server, and the
    load generator shares the machine's two cores with it."""

    def __init__(self, url: str):
        parts = httpx.URL(url)
        self.host, self.port, self.path = parts.host, parts.port or 80, parts.raw_path.decode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/sparql-query\r\nAccept: {ACCEPT}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1") + body)
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            if "content-length" in headers:
                data = await self.reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    chunks.append(await self.reader.readexactly(size + 2))
                    if size == 0:
                        break
                data = b"".join(c[:-2] for c in chunks)
            else:
                data = await self.reader.read()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _cache_status(headers: dict[str, str]) -> str:
    status = headers.get("cache-status", "")
    return "hit" if "; hit" in status else "miss" if status else "-"


async def _load(url: str, queries: list[tuple[str, str]], clients: int, seconds: float,
                max_requests: int, seed: int, unique: bool) -> Run:
    run = Run(clients, 0.0)
    deadline = time.monotonic() + seconds
    sent = 0
    encoded = {name: text.encode("utf-8") for name, text in queries}

    async def one(index: int) -> None:
        nonlocal sent
        order = list(queries)
        random.Random(seed + index).shuffle(order)
        connection = _Connection(url)
        i = 0
        try:
            while time.monotonic() < deadline and sent < max_requests:
                name, text = order[i % len(order)]
                i += 1
                sent += 1
                body = made_unique(text, _next_unique()).encode("utf-8") if unique \
                    else encoded[name]
                t = time.perf_counter()
                try:
                    status, headers, data = await asyncio.wait_for(connection.post(body), 60)
                    # Oxigraph answers 200, then cuts the body off at its timeout
                    ok = status == 200 and not data.endswith(b"has been cancelled")
                    run.cache[_cache_status(headers)] += 1
                except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError):
                    connection.close()
                    ok = False
                dt = time.perf_counter() - t
                if ok:
                    run.latencies[name].append(dt)
                else:
                    run.errors[name] += 1
        finally:
            connection.close()

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(clients)))
    run.seconds = time.perf_counter() - wall
    run.client_cpu = (time.process_time() - cpu) / run.seconds
    return run


def load(url: str, queries: list[tuple[str, str]], clients: int, seconds: float,
         max_requests: int = 200_000, seed: int = 0, unique: bool = False) -> Run:
    """`clients` concurrent clients, each cycling through the queries in its own shuffled order,
    for at most `seconds` s and `max_requests` requests in all; `unique`: each query sent as a
    new one (made_unique), which no cache can answer."""
    return _run(_load(url, queries, clients, seconds, max_requests, seed, unique))


def _run(main: Any) -> Any:
    """asyncio.run, on uvloop when it is installed (a cheaper event loop for the load generator)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def sequential(url: str, queries: list[tuple[str, str]], rounds: int,
               unique: bool = False) -> Run:
    """Every query `rounds` times, one at a time: the latency of each without contention."""
    run = Run(1, 0.0)
    wall = time.perf_counter()
    with httpx.Client(timeout=120) as client:
        for _ in range(rounds):
            for name, text in queries:
                if unique:
                    text = made_unique(text, _next_unique())
                t = time.perf_counter()
                r = client.post(url, content=text.encode("utf-8"), headers={
                    "Content-Type": "application/sparql-query", "Accept": ACCEPT})
                dt = time.perf_counter() - t
                if r.status_code == 200:
                    run.latencies[name].append(dt)
                else:
                    run.errors[name] += 1
    run.seconds = time.perf_counter() - wall
    return run


def same_answers(a: str, b: str, queries: list[tuple[str, str]]) -> list[str]:
    """The queries whose result sizes differ between two endpoints (rows, or triples)."""
    differ = []
    with httpx.Client(timeout=120) as client:
        for name, text in queries:
            sizes = []
            for url in (a, b):
                r = client.post(url, content=text.encode("utf-8"), headers={
                    "Content-Type": "application/sparql-query", "Accept": ACCEPT})
                if r.status_code != 200:
                    sizes.append(f"status {r.status_code}")
                elif "json" in r.headers.get("content-type", ""):
                    try:
                        body = r.json()
                    except ValueError:  # Oxigraph cancels at its timeout mid-body, after a 200
                        sizes.append("a cut-off body")
                        continue
                    sizes.append(len(body["results"]["bindings"]) if "results" in body
                                 else body.get("boolean"))
                else:  # Turtle: count the statements roughly by their terminating " ."
                    sizes.append(len(re.findall(r"\s\.\s*$", r.text, re.M)) > 0)
            if sizes[0] != sizes[1]:
                differ.append(f"{name}: {sizes[0]} vs {sizes[1]}")
    return differ


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"
