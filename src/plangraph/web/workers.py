"""SPARQL evaluation in worker processes that can be stopped.

pyoxigraph cannot cancel a running query, and a thread cannot be killed, so each query runs in one
of a few warm worker processes, each holding the store open read-only. The server writes a job to a
worker's stdin and awaits the serialized answer on its stdout through asyncio pipes (no threads; the
event loop never blocks). At the deadline it kills that worker (SIGKILL), answers QueryTimeout at
once, and starts a replacement in the background; the other workers go on serving meanwhile.

A worker is a fresh interpreter (`python -m plangraph.web.workers STORE`), not a fork of the server:
forking a process with threads and an event loop is unsafe, and multiprocessing's spawn and
forkserver re-import the server's main module in every child. Messages on the pipes are
length-prefixed pickles, between our own processes only.

This module is what a worker imports: keep its imports light (no FastAPI).
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ..errors import PlangraphError, QueryError, StoreError
from ..querying.store import store_identity

log = logging.getLogger("plangraph.sparql")


# -- errors ----------------------------------------------------------------------------------------

class QuerySyntaxError(QueryError):
    """The query does not parse; the message is the parser's."""


class NotAcceptable(QueryError):
    """No format the client accepts fits this kind of result ("results", "boolean", "graph")."""

    def __init__(self, message: str, kind: str | None = None):
        self.kind = kind
        super().__init__(message)


class TooManyResults(QueryError):
    """The result has more rows (or triples) than the endpoint returns."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"the result has more than {limit} rows (the endpoint's max_rows); "
                         f"ask for fewer with LIMIT {limit}, and page with ORDER BY and OFFSET")


class QueryTimeout(QueryError):
    """The query ran past its deadline and was stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"the query ran longer than {seconds:g} s and was stopped")


class PoolBusy(PlangraphError):
    """Every worker stayed busy for as long as a query may run."""


class WorkerFailure(PlangraphError):
    """A worker died or failed while evaluating: a fault of ours, not of the query."""


# -- jobs and replies ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    query: str
    base_iri: str | None = None
    # Both None: the default graph is the union of all named graphs. Otherwise the protocol's
    # dataset (default-graph-uri / named-graph-uri), which overrides FROM / FROM NAMED.
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    results_type: str | None = None  # media type for SELECT/ASK; None: the client accepts none
    graph_type: str | None = None  # media type for CONSTRUCT/DESCRIBE; None: none acceptable
    prefixes: dict[str, str] = field(default_factory=dict)  # for Turtle output
    max_rows: int = 10_000


@dataclass(frozen=True)
class Answer:
    media_type: str
    body: bytes
    kind: str  # "results", "boolean" or "graph"


# What travels back up the pipe: ("ok", Answer) or (error kind, detail).
Reply = tuple[str, Any]


# -- the worker side -------------------------------------------------------------------------------

class _TooMany(Exception):
    pass


class _CountingSink:
    """A write target for pyoxigraph's serializers that stops after `limit` lines.

    TSV (results) and N-Triples (graphs) have exactly one line per row or triple — line breaks
    inside literals are escaped — so counting newlines counts rows without a Python object per row.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.lines = 0
        self.data = bytearray()

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        self.lines += chunk.count(b"\n")
        if self.lines > self.limit:
            raise _TooMany
        return len(chunk)

    def flush(self) -> None:
        pass


def evaluate(store: ox.Store, job: Job) -> Reply:
    """Run one job on an open store: the serialized answer, or the reason there is none."""
    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is None and job.named_graphs is None:
        options["use_default_graph_as_union"] = True
    else:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    try:
        result = store.query(job.query, **options)
        if isinstance(result, ox.QueryBoolean):
            if job.results_type is None:
                return ("not_acceptable", "boolean")
            fmt = ox.QueryResultsFormat.from_media_type(job.results_type)
            return ("ok", Answer(job.results_type, result.serialize(format=fmt), "boolean"))
        if isinstance(result, ox.QuerySolutions):
            if job.results_type is None:
                return ("not_acceptable", "results")
            return ("ok", Answer(job.results_type, _solutions(result, job), "results"))
        if job.graph_type is None:
            return ("not_acceptable", "graph")
        return ("ok", Answer(job.graph_type, _triples(result, job), "graph"))
    except SyntaxError as e:
        return ("syntax", str(e))
    except _TooMany:
        return ("too_many", job.max_rows)


def _solutions(result: ox.QuerySolutions, job: Job) -> bytes:
    # Serialize to TSV under a row cap (header + max_rows lines), then convert: every format
    # pyoxigraph writes, at Rust speed, with an exact row count and an early stop.
    sink = _CountingSink(job.max_rows + 1)
    result.serialize(sink, format=ox.QueryResultsFormat.TSV)
    tsv = bytes(sink.data)
    fmt = ox.QueryResultsFormat.from_media_type(job.results_type or "")
    if fmt == ox.QueryResultsFormat.TSV:
        return tsv
    return ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=fmt) or b""


def _triples(result: ox.QueryTriples, job: Job) -> bytes:
    sink = _CountingSink(job.max_rows)
    result.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
    nt = bytes(sink.data)
    fmt = ox.RdfFormat.from_media_type(job.graph_type or "")
    if fmt == ox.RdfFormat.N_TRIPLES:
        return nt
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    try:  # the query's own prefixes make the Turtle readable…
        return ox.serialize(triples, format=fmt, prefixes=job.prefixes) or b""
    except ValueError:  # …unless the format cannot use one of them
        return ox.serialize(triples, format=fmt) or b""


def _frame(message: Any) -> bytes:
    """A message on a pipe: its length (8 bytes, big-endian), then its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(8, "big") + data


def send(pipe: IO[bytes], message: Any) -> None:
    pipe.write(_frame(message))
    pipe.flush()


def receive(pipe: IO[bytes]) -> Any:
    header = pipe.read(8)
    if len(header) < 8:
        raise EOFError("the pipe closed")
    size = int.from_bytes(header, "big")
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError("the pipe closed mid-message")
    return pickle.loads(data)


def serve(store_path: str, jobs: IO[bytes], replies: IO[bytes]) -> None:
    """A worker's life: open the store, say ready, answer jobs until the pipe closes; reopen the
    store when a rebuild has swapped a new one in."""
    try:
        store, opened = ox.Store.read_only(store_path), store_identity(store_path)
    except OSError as e:
        send(replies, ("failed", f"cannot open the store at {store_path}: {e}"))
        return
    send(replies, ("ready", os.getpid()))
    while True:
        try:
            job = receive(jobs)
        except EOFError:
            return
        current = store_identity(store_path)
        if current is not None and current != opened:
            try:
                store, opened = ox.Store.read_only(store_path), current
            except OSError:
                pass   # caught mid-swap: keep answering from the build already open
        try:
            reply = evaluate(store, job)
        except Exception as e:  # noqa: BLE001 — reported to the server, which logs it as a 500
            reply = ("error", f"{type(e).__name__}: {e}")
        send(replies, reply)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    # The replies own the real stdout; anything else printed goes to stderr, not into the pipe.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.argv[1], sys.stdin.buffer, replies)


# -- the server side -------------------------------------------------------------------------------

def default_pool_size() -> int:
    """One worker per CPU, at least two (a runaway query must not stop the others) and at most
    three: a worker holds ~45 MB, and the whole server should stay under 200 MB."""
    return max(2, min(3, os.cpu_count() or 2))


_START_SECONDS = 30.0


class _Worker:
    """One worker process, driven through asyncio pipes: nothing here blocks the event loop."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        assert process.stdin is not None and process.stdout is not None
        self.jobs: asyncio.StreamWriter = process.stdin
        self.replies: asyncio.StreamReader = process.stdout

    @classmethod
    async def start(cls, store_path: Path) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", __name__, str(store_path),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        worker = cls(process)
        try:
            status, detail = await asyncio.wait_for(worker.receive(), _START_SECONDS)
        except (TimeoutError, EOFError, asyncio.IncompleteReadError, pickle.UnpicklingError) as e:
            await worker.kill()
            raise WorkerFailure(f"a query worker did not start ({e!r})") from None
        if status != "ready":
            await worker.kill()
            raise StoreError(detail)
        return worker

    async def receive(self) -> Any:
        header = await self.replies.readexactly(8)
        return pickle.loads(await self.replies.readexactly(int.from_bytes(header, "big")))

    async def call(self, job: Job) -> Reply:
        self.jobs.write(_frame(job))
        await self.jobs.drain()
        return await self.receive()

    async def kill(self) -> None:
        if self.process.returncode is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass  # it died on its own meanwhile
        await self.process.wait()
        self.jobs.close()


class WorkerPool:
    """A fixed number of warm workers; each job gets one worker, or waits for one."""

    def __init__(self, store_path: Path, *, size: int, timeout: float):
        self.store_path = store_path
        self.size = size
        self.timeout = timeout
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._respawning: set[asyncio.Task[None]] = set()
        self._started = False
        self._start_lock = asyncio.Lock()

    @property
    def pids(self) -> set[int]:
        """The process ids of the live workers (for tests and monitoring)."""
        return {w.process.pid for w in list(self._all)}  # list(): one atomic copy

    async def start(self) -> None:
        async with self._start_lock:
            if self._started:
                return
            started = await asyncio.gather(
                *(_Worker.start(self.store_path) for _ in range(self.size)),
                return_exceptions=True)
            for w in started:
                if isinstance(w, _Worker):
                    self._all.add(w)
                    self._idle.put_nowait(w)
            failures = [w for w in started if isinstance(w, BaseException)]
            if failures:
                await self.close()
                raise failures[0]
            self._started = True

    async def close(self) -> None:
        for task in list(self._respawning):
            task.cancel()
        workers, self._all = list(self._all), set()
        await asyncio.gather(*(w.kill() for w in workers))
        self._idle = asyncio.Queue()
        self._started = False

    async def run(self, job: Job) -> Answer:
        """Evaluate a job in a worker; raises the typed error for every answer but a result."""
        if not self._started:
            await self.start()
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {self.timeout:g} s; "
                           "try again shortly") from None
        try:
            reply = await asyncio.wait_for(worker.call(job), self.timeout)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(self.timeout) from None
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as e:
            self._replace(worker)
            raise WorkerFailure(f"a query worker died during the query ({e!r})") from None
        except BaseException:
            # Cancelled mid-query: the worker's pipe may still carry this job's answer.
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return _unwrap(reply)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its successor, in the background."""
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._respawning.add(task)
        task.add_done_callback(self._respawning.discard)

    async def _respawn(self, worker: _Worker) -> None:
        self._all.discard(worker)
        await worker.kill()
        try:
            fresh = await _Worker.start(self.store_path)
        except (StoreError, WorkerFailure):
            log.exception("could not start a replacement query worker; the pool is smaller now")
            return
        self._all.add(fresh)
        self._idle.put_nowait(fresh)


def _unwrap(reply: Reply) -> Answer:
    status, detail = reply
    if status == "ok":
        return detail
    if status == "syntax":
        raise QuerySyntaxError(detail)
    if status == "too_many":
        raise TooManyResults(detail)
    if status == "not_acceptable":
        raise NotAcceptable(f"no acceptable format for this result ({detail})", kind=detail)
    raise WorkerFailure(f"the query failed in the worker: {detail}")


if __name__ == "__main__":
    # Run the worker from the module under its own name, not as __main__, so that what it pickles
    # (Answer) unpickles in the server.
    from plangraph.web.workers import main as worker_main

    worker_main()
