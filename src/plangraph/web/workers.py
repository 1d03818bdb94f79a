"""SPARQL evaluation in worker processes that can be stopped.

pyoxigraph cannot cancel a running query, and a thread cannot be killed, so each query runs in one
of a few warm worker processes. The server writes a job to a worker's stdin and awaits the
serialized answer on its stdout through asyncio pipes (no threads; the event loop never blocks). At
the deadline it kills that worker (SIGKILL), answers QueryTimeout at once, and starts a replacement
in the background; the other workers go on serving meanwhile.

A worker is a fresh interpreter (`python -m plangraph.web.workers STORE CONFIG`), not a fork of the
server: forking a process with threads and an event loop is unsafe, and multiprocessing's spawn and
forkserver re-import the server's main module in every child. Messages on the pipes are
length-prefixed pickles, between our own processes only.

A worker guards itself too, whatever becomes of the server:
- it dies with the server (PR_SET_PDEATHSIG: the kernel sends it SIGKILL when the server goes);
- each job has its own deadline: a wall-clock alarm and a CPU-time limit a second past the
  query timeout, whose signals end the process;
- its address space may grow by `memory` bytes past what it holds once ready (RLIMIT_AS);
- it evaluates on a thread with a 64 MiB stack, far more than the deepest query the guard lets
  through needs (querying/guard.py, Limits).

A build small enough (at most `memory_quads` quads) is copied into memory in each worker: the same
queries run three times faster on pyoxigraph's in-memory store than on RocksDB, and a worker of the
seed stays under 50 MB.

This module is what a worker imports: keep its imports light (no FastAPI).
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import logging
import math
import os
import pickle
import resource
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from ..build.folder import Manifest
from ..errors import PlangraphError, QueryError, StoreError
from ..querying.store import dataset_options, store_identity
from ..querying.syntax import short_syntax_error

log = logging.getLogger("plangraph.sparql")


# -- errors ----------------------------------------------------------------------------------------

class QuerySyntaxError(QueryError):
    """The query does not parse; the message says where and what to do."""


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


class ResultTooLarge(QueryError):
    """The serialized answer is over the endpoint's byte cap."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"the answer is larger than {limit} bytes (the endpoint's "
                         "max_response_bytes); ask for less: fewer rows (LIMIT, and page with "
                         "ORDER BY and OFFSET), fewer or shorter values")


class QueryTooLarge(QueryError):
    """Evaluating the query needed more memory than a worker may use."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"the query needed more than {limit // (1 << 20)} MiB of memory (the "
                         "endpoint's worker_memory) and was stopped; ask for less: fewer rows, "
                         "fewer or shorter values, no cross products")


class QueryTimeout(QueryError):
    """The query ran past its deadline and was stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"the query ran longer than {seconds:g} s and was stopped")


class ServiceFailed(QueryError):
    """A SERVICE endpoint the query calls (on the allow list) failed or could not be reached."""


class PoolBusy(PlangraphError):
    """Every worker stayed busy for as long as a query may run."""


class NoWorkers(PlangraphError):
    """No worker is running (they cannot be started: the store is missing or broken)."""

    def __init__(self, message: str, retry_after: float):
        self.retry_after = retry_after
        super().__init__(message)


class WorkerFailure(PlangraphError):
    """A worker died or failed while evaluating: a fault of ours, not of the query."""


# -- jobs and replies ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    query: str
    base_iri: str | None = None
    # The protocol's dataset (default-graph-uri / named-graph-uri), both None when not given;
    # else the query's FROM / FROM NAMED if it `declares_dataset`; else the union of the named
    # graphs as the default graph (querying/store.py, dataset_options).
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    declares_dataset: bool = False
    results_type: str | None = None  # media type for SELECT/ASK; None: the client accepts none
    graph_type: str | None = None  # media type for CONSTRUCT/DESCRIBE; None: none acceptable
    prefixes: dict[str, str] = field(default_factory=dict)  # predeclared ones the query uses
    output_prefixes: dict[str, str] = field(default_factory=dict)  # for Turtle output
    services: tuple[str, ...] = ()  # the SERVICE endpoints it calls (a failure there is a 502)
    max_rows: int = 10_000
    max_bytes: int = 16 << 20


@dataclass(frozen=True)
class Answer:
    media_type: str
    body: bytes
    kind: str  # "results", "boolean" or "graph"


# What travels back up the pipe: ("ok", Answer) or (error kind, detail).
Reply = tuple[str, Any]


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker is started with (as JSON on its command line)."""

    parent: int  # the server's process id: the worker exits if it is not its parent
    timeout: float  # the query timeout; the worker's own deadline is a second later
    memory: int  # bytes its address space may grow by once ready (RLIMIT_AS)
    memory_quads: int  # a build of at most this many quads is copied into memory


# -- the worker side -------------------------------------------------------------------------------

class _TooMany(Exception):
    pass


class _TooBig(Exception):
    pass


class _CountingSink:
    """A write target for pyoxigraph's serializers that stops after `limit` lines or `max_bytes`.

    TSV (results) and N-Triples (graphs) have exactly one line per row or triple — line breaks
    inside literals are escaped — so counting newlines counts rows without a Python object per row.
    """

    def __init__(self, limit: int, max_bytes: int):
        self.limit = limit
        self.max_bytes = max_bytes
        self.lines = 0
        self.data = bytearray()

    def write(self, chunk: bytes) -> int:
        if len(self.data) + len(chunk) > self.max_bytes:
            raise _TooBig
        self.data += chunk
        self.lines += chunk.count(b"\n")
        if self.lines > self.limit:
            raise _TooMany
        return len(chunk)

    def flush(self) -> None:
        pass


def evaluate(store: ox.Store, job: Job) -> Reply:
    """Run one job on an open store: the serialized answer, or the reason there is none."""
    options = dataset_options(job.default_graphs, job.named_graphs, job.declares_dataset)
    converting = False
    try:
        result = store.query(job.query, base_iri=job.base_iri, prefixes=job.prefixes or None,
                             **options)
        if isinstance(result, ox.QueryBoolean):
            if job.results_type is None:
                return ("not_acceptable", "boolean")
            fmt = ox.QueryResultsFormat.from_media_type(job.results_type)
            return ("ok", Answer(job.results_type, result.serialize(format=fmt) or b"", "boolean"))
        if isinstance(result, ox.QuerySolutions):
            if job.results_type is None:
                return ("not_acceptable", "results")
            data, converting = _solutions(result, job)
            body = _converted(data, job, graph=False) if converting else data
            return ("ok", Answer(job.results_type, body, "results"))
        if job.graph_type is None:
            return ("not_acceptable", "graph")
        data, converting = _triples(result, job)
        body = _converted(data, job, graph=True) if converting else data
        return ("ok", Answer(job.graph_type, body, "graph"))
    except SyntaxError as e:
        return ("syntax", short_syntax_error(str(e), job.query))
    except _TooMany:
        return ("too_many", job.max_rows)
    except _TooBig:
        return ("too_big", job.max_bytes)
    except OSError as e:
        if converting:  # the format cannot carry the answer (JSON-LD and RDF 1.2 triple terms)
            return ("not_acceptable_terms", f"{job.graph_type or job.results_type}: {e}")
        if job.services:
            return ("service", f"a SERVICE call failed ({', '.join(job.services)}): {e}")
        raise


def _solutions(result: ox.QuerySolutions, job: Job) -> tuple[bytes, bool]:
    # Serialize to TSV under a row cap (header + max_rows lines), then convert: every format
    # pyoxigraph writes, at Rust speed, with an exact row count and an early stop.
    sink = _CountingSink(job.max_rows + 1, job.max_bytes)
    result.serialize(cast(IO[bytes], sink), format=ox.QueryResultsFormat.TSV)
    return bytes(sink.data), job.results_type != "text/tab-separated-values"


def _triples(result: ox.QueryTriples, job: Job) -> tuple[bytes, bool]:
    sink = _CountingSink(job.max_rows, job.max_bytes)
    result.serialize(cast(IO[bytes], sink), format=ox.RdfFormat.N_TRIPLES)
    return bytes(sink.data), job.graph_type != "application/n-triples"


def _converted(data: bytes, job: Job, graph: bool) -> bytes:
    """TSV results or N-Triples, as counted, in the negotiated format, under the byte cap."""
    if graph:
        body = _graph_body(data, job)
    else:
        fmt = ox.QueryResultsFormat.from_media_type(job.results_type or "")
        body = ox.parse_query_results(data, ox.QueryResultsFormat.TSV).serialize(format=fmt) or b""
    if len(body) > job.max_bytes:
        raise _TooBig
    return body


def _graph_body(nt: bytes, job: Job) -> bytes:
    fmt = ox.RdfFormat.from_media_type(job.graph_type or "")
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    try:  # the query's own prefixes make the Turtle readable…
        return ox.serialize(triples, format=fmt, prefixes=job.output_prefixes) or b""
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


def open_for_queries(store_path: str, memory_quads: int) -> ox.Store:
    """The build's store, read-only; copied into memory when it holds at most `memory_quads`
    (as its manifest counts them, when there is one)."""
    disk = ox.Store.read_only(store_path)
    if memory_quads <= 0:
        return disk
    try:
        manifest = Manifest.read_if_present(Path(store_path).parent)
    except StoreError:
        manifest = None
    if manifest is not None and manifest.graphs and sum(manifest.graphs.values()) > memory_quads:
        return disk
    copied = 0

    def counted() -> Any:
        nonlocal copied
        for quad in disk.quads_for_pattern(None, None, None, None):
            copied += 1
            if copied > memory_quads:
                return
            yield quad

    memory = ox.Store()
    memory.bulk_extend(counted())
    return disk if copied > memory_quads else memory


def _vm_size() -> int:
    """The process's address space now, in bytes (VmSize)."""
    with open("/proc/self/status", "rb") as f:
        for line in f:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _limit_memory(budget: int) -> None:
    """Let the address space grow by `budget` bytes from here (RLIMIT_AS), no more."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = _vm_size() + budget
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _unlimit_memory() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _deadline(seconds: float | None) -> None:
    """Arm (or with None, disarm) this job's own deadline: SIGALRM after `seconds` of wall time
    and SIGXCPU after as much CPU time; both end the process (their default action)."""
    if seconds is None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(cpu + seconds)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def serve(store_path: str, config: WorkerConfig, jobs: IO[bytes], replies: IO[bytes]) -> None:
    """A worker's life: open the store, say ready, answer jobs until the pipe closes; reopen the
    store when a rebuild has swapped a new one in."""
    try:
        opened = store_identity(store_path)
        store = open_for_queries(store_path, config.memory_quads)
    except OSError as e:
        send(replies, ("failed", f"cannot open the store at {store_path}: {e}"))
        return
    _limit_memory(config.memory)
    send(replies, ("ready", os.getpid()))
    own_deadline = config.timeout + 1.0
    while True:
        try:
            job = receive(jobs)
        except EOFError:
            return
        current = store_identity(store_path)
        if current is not None and current != opened:
            _unlimit_memory()
            try:
                store, opened = open_for_queries(store_path, config.memory_quads), current
            except OSError:
                pass   # caught mid-swap: keep answering from the build already open
            _limit_memory(config.memory)
        _deadline(own_deadline)
        try:
            reply = evaluate(store, job)
        except MemoryError:
            reply = ("memory", config.memory)
        except Exception as e:  # noqa: BLE001 — reported to the server, which logs it as a 500
            reply = ("error", f"{type(e).__name__}: {e}")
        finally:
            _deadline(None)
        try:
            send(replies, reply)
        except MemoryError:
            send(replies, ("memory", config.memory))
        if reply[0] != "ok" or len(reply[1].body) > _TRIM_AFTER:
            del reply
            _trim()


PR_SET_PDEATHSIG = 1
STACK = 64 << 20
_TRIM_AFTER = 1 << 20  # after a larger answer (or a failure), give freed memory back


def _trim() -> None:
    """Return the memory freed by a large answer to the system (glibc keeps it otherwise, and a
    worker's RSS would stay at its largest answer's)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc


def _die_with(parent: int) -> None:
    """Ask the kernel for SIGKILL when the server dies (Linux); exit if it is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the pipes closing still ends the worker when it next reads
    if os.getppid() != parent:
        os._exit(0)


def main() -> None:
    store_path, raw = sys.argv[1], sys.argv[2]
    config = WorkerConfig(**json.loads(raw))
    _die_with(config.parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker ended by a limit leaves no core
    # The replies own the real stdout; anything else printed goes to stderr, not into the pipe.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    threading.stack_size(STACK)
    worker = threading.Thread(target=serve, args=(store_path, config, sys.stdin.buffer, replies),
                              name="plangraph-query")
    worker.start()
    worker.join()


# -- the server side -------------------------------------------------------------------------------

def default_pool_size() -> int:
    """One worker per CPU, at least two (a runaway query must not stop the others) and at most
    three: the whole server should stay well under 250 MB."""
    return max(2, min(3, os.cpu_count() or 2))


_START_SECONDS = 30.0
_BACKOFF_FIRST, _BACKOFF_MAX = 0.25, 10.0


class _Worker:
    """One worker process, driven through asyncio pipes: nothing here blocks the event loop."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        assert process.stdin is not None and process.stdout is not None
        self.jobs: asyncio.StreamWriter = process.stdin
        self.replies: asyncio.StreamReader = process.stdout

    @classmethod
    async def start(cls, store_path: Path, config: WorkerConfig) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", __name__, str(store_path),
            json.dumps(config.__dict__, ensure_ascii=False),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        worker = cls(process)
        try:
            status, detail = await asyncio.wait_for(worker.receive(), _START_SECONDS)
        except (TimeoutError, EOFError, asyncio.IncompleteReadError, pickle.UnpicklingError) as e:
            await worker.kill()
            raise WorkerFailure(f"a query worker did not start ({e!r})") from None
        except BaseException:  # cancelled (the pool is closing): no process left behind
            await asyncio.shield(worker.kill())
            raise
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

    async def exit_signal(self) -> int | None:
        """The signal that ended the process (it has closed its pipe), if it is one."""
        try:
            code = await asyncio.wait_for(self.process.wait(), 2.0)
        except TimeoutError:
            return None
        return -code if code < 0 else None

    async def kill(self) -> None:
        if self.process.returncode is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass  # it died on its own meanwhile
        await self.process.wait()
        self.jobs.close()


class WorkerPool:
    """A fixed number of warm workers; each job gets one worker, or waits for one. A worker that
    is killed or dies is replaced in the background; when replacements cannot start (the build
    folder is gone), the pool keeps trying, with backoff, until it is whole again."""

    def __init__(self, store_path: Path, *, size: int, timeout: float,
                 memory: int = 1 << 30, memory_quads: int = 0):
        self.store_path = store_path
        self.size = size
        self.timeout = timeout
        self.config = WorkerConfig(os.getpid(), timeout, memory, memory_quads)
        self.jobs = 0  # jobs given to workers so far (for tests and monitoring)
        # idle workers; None wakes a request waiting for one when the pool has lost its last
        # worker and cannot start another
        self._idle: asyncio.Queue[_Worker | None] = asyncio.Queue()
        self._waiting = 0  # requests waiting for an idle worker
        self._all: set[_Worker] = set()
        self._refilling: asyncio.Task[None] | None = None
        self._killing: set[asyncio.Task[None]] = set()
        self._watching: set[asyncio.Task[None]] = set()
        self._failure: str | None = None  # why the last start failed, while it keeps failing
        self._backoff = _BACKOFF_FIRST
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
                *(_Worker.start(self.store_path, self.config) for _ in range(self.size)),
                return_exceptions=True)
            for w in started:
                if isinstance(w, _Worker):
                    self._add(w)
            failures = [w for w in started if isinstance(w, BaseException)]
            if failures:
                await self.close()
                raise failures[0]
            self._started = True

    async def close(self) -> None:
        self._started = False
        if self._refilling is not None:
            self._refilling.cancel()
            await asyncio.gather(self._refilling, return_exceptions=True)
            self._refilling = None
        workers, self._all = list(self._all), set()
        await asyncio.gather(*(w.kill() for w in workers), *self._killing, *self._watching,
                             return_exceptions=True)
        self._idle = asyncio.Queue()
        self._started = False

    async def run(self, job: Job) -> Answer:
        """Evaluate a job in a worker; raises the typed error for every answer but a result."""
        if not self._started:
            await self.start()
        while True:
            worker = self._idle.get_nowait() if not self._idle.empty() else await self._wait()
            if worker is not None and worker in self._all and worker.process.returncode is None:
                break  # (one that died while idle is gone from the pool: skip it)
        self.jobs += 1
        try:
            async with asyncio.timeout(self.timeout):  # (no task per query, as wait_for makes)
                reply = await worker.call(job)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(self.timeout) from None
        except (asyncio.IncompleteReadError, ConnectionError, OSError, RuntimeError) as e:
            # (uvloop raises RuntimeError for a write to the pipe of a process that is gone)
            self._replace(worker)
            raise await self._died(worker, e) from None
        except BaseException:
            # Cancelled mid-query: the worker's pipe may still carry this job's answer.
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return _unwrap(reply)

    async def _wait(self) -> _Worker | None:
        """An idle worker, once one is free (None: look again); NoWorkers when the pool has none
        and cannot start any, PoolBusy when none was free within the timeout."""
        if not self._all and self._failure is not None:
            raise NoWorkers(f"no query worker is running: {self._failure}; retrying every "
                            f"{self._backoff:g} s at most", retry_after=self._backoff)
        self._waiting += 1
        try:
            async with asyncio.timeout(self.timeout):
                return await self._idle.get()
        except TimeoutError:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {self.timeout:g} s; "
                           "try again shortly") from None
        finally:
            self._waiting -= 1

    async def _died(self, worker: _Worker, error: BaseException) -> PlangraphError:
        """Why a worker closed its pipe mid-query: one of its own limits, or a fault."""
        signum = await worker.exit_signal()
        if signum in (signal.SIGALRM, signal.SIGXCPU):
            return QueryTimeout(self.timeout)
        if signum == signal.SIGABRT:  # Rust aborts when an allocation fails (RLIMIT_AS)
            return QueryTooLarge(self.config.memory)
        return WorkerFailure(f"a query worker died during the query ({error!r}, signal "
                             f"{signum})")

    def _add(self, worker: _Worker) -> None:
        self._all.add(worker)
        self._idle.put_nowait(worker)
        watching = asyncio.get_running_loop().create_task(self._watch(worker))
        self._watching.add(watching)
        watching.add_done_callback(self._watching.discard)

    async def _watch(self, worker: _Worker) -> None:
        """A worker that dies while idle (killed from outside, a fault) leaves the pool at once,
        and is replaced; the next query does not find it dead."""
        code = await worker.process.wait()
        if worker in self._all:
            log.error("a query worker (pid %d) died while idle (exit %d); replacing it",
                      worker.process.pid, code)
            self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and have the pool refill itself, in the background."""
        self._all.discard(worker)
        loop = asyncio.get_running_loop()
        killing = loop.create_task(worker.kill())
        self._killing.add(killing)
        killing.add_done_callback(self._killing.discard)
        if self._started and (self._refilling is None or self._refilling.done()):
            self._refilling = loop.create_task(self._refill())

    async def _refill(self) -> None:
        """Start workers until the pool is whole; after a failure, wait longer each time (up to
        _BACKOFF_MAX) and try again."""
        while self._started and len(self._all) < self.size:
            try:
                fresh = await _Worker.start(self.store_path, self.config)
            except (StoreError, WorkerFailure, OSError) as e:
                if self._failure is None:
                    log.error("could not start a query worker (%s); the pool has %d of %d, "
                              "retrying with backoff", e, len(self._all), self.size)
                self._failure = str(e)
                if not self._all:  # wake every request waiting: none will get a worker now
                    for _ in range(self._waiting):
                        self._idle.put_nowait(None)
                await asyncio.sleep(self._backoff)
                self._backoff = min(self._backoff * 2, _BACKOFF_MAX)
                continue
            if not self._started:  # closed meanwhile
                await fresh.kill()
                return
            if self._failure is not None:
                log.warning("query workers start again; the pool is refilling")
            self._failure, self._backoff = None, _BACKOFF_FIRST
            self._add(fresh)


def _unwrap(reply: Reply) -> Answer:
    status, detail = reply
    if status == "ok":
        return detail
    if status == "syntax":
        raise QuerySyntaxError(detail)
    if status == "too_many":
        raise TooManyResults(detail)
    if status == "too_big":
        raise ResultTooLarge(detail)
    if status == "memory":
        raise QueryTooLarge(detail)
    if status == "service":
        raise ServiceFailed(detail)
    if status == "not_acceptable":
        raise NotAcceptable(f"no acceptable format for this result ({detail})", kind=detail)
    if status == "not_acceptable_terms":
        raise NotAcceptable(f"the answer holds RDF 1.2 triple terms, which {detail.split(':')[0]} "
                            "cannot carry: ask for Turtle or N-Triples (graphs), SPARQL JSON or "
                            "XML (results)", kind="terms")
    raise WorkerFailure(f"the query failed in the worker: {detail}")


if __name__ == "__main__":
    # Run the worker from the module under its own name, not as __main__, so that what it pickles
    # (Answer) unpickles in the server.
    from plangraph.web.workers import main as worker_main

    worker_main()
