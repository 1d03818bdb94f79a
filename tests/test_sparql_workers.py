"""The query workers' lives (web/workers.py), with real processes: they die with their server, stop
a query past its deadline on their own, keep to their memory limit, and the pool refills itself
when its build folder comes back; meanwhile "no workers" is its own 503, not "busy".
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from plangraph.config import Settings
from plangraph.web.app import create_app

from .server import LiveServer

PG = "https://w3id.org/plangraph/ontology#"
COUNT = f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?m a <{PG}Measure> }}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
_fresh = itertools.count()


def fresh_count() -> str:
    """The measure count, as a query the result cache has not seen (so a worker answers it)."""
    return COUNT.replace("?n", f"?n{next(_fresh)}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (dead, not yet reaped by a parent that is stopped or gone) counts as dead
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def children(pid: int) -> set[int]:
    found = set()
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(d))
            except OSError:
                pass
    return found


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.fixture
def serve(built: Settings, tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """`plangraph serve` in its own process (2 s timeout), on a copy of the seed's build."""
    out = tmp_path / "build"
    shutil.copytree(built.out, out)
    env = {**os.environ, "PLANGRAPH_QUERY_TIMEOUT": "2", "PLANGRAPH_WORKERS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "plangraph.cli", "serve", "--port", "0",
                             "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    assert "serving" in line, line
    url = line.split(" at ", 1)[1].split("/ ", 1)[0]
    try:
        wait_until(lambda: len(children(proc.pid)) == 2, 30, "the workers did not start")
        wait_until(lambda: _answers(url), 30, "the server does not answer")
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code \
            == 200
    except httpx.TransportError:
        return False


def test_a_killed_server_leaves_no_worker(serve: tuple[subprocess.Popen, str]) -> None:
    proc, url = serve
    assert httpx.get(url + "/sparql", params={"query": fresh_count()}, timeout=30).status_code \
        == 200
    workers = children(proc.pid)
    assert len(workers) == 2 and all(alive(w) for w in workers)
    proc.kill()  # kill -9: no shutdown code runs in the server
    proc.wait()
    # The kernel sends each worker SIGKILL as its parent dies (PR_SET_PDEATHSIG).
    wait_until(lambda: not any(alive(w) for w in workers), 5, "a worker outlived its server")


def test_a_worker_stops_a_query_past_its_deadline_by_itself(
        serve: tuple[subprocess.Popen, str]) -> None:
    """With its server frozen (SIGSTOP: it cannot kill anything), a worker running a runaway query
    ends itself a second after the query timeout (2 s)."""
    proc, url = serve
    workers = children(proc.pid)
    with httpx.Client(timeout=0.5) as c:
        try:
            c.get(url + "/sparql", params={"query": RUNAWAY})
        except httpx.TimeoutException:
            pass
    # One worker now runs the runaway query; the server is frozen before its timeout fires.
    proc.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        wait_until(lambda: any(not alive(w) for w in workers), 6,
                   "the worker ran past its own deadline")
        assert time.monotonic() - started < 4.5
        assert sum(alive(w) for w in workers) == 1  # the idle one lives on
    finally:
        proc.send_signal(signal.SIGCONT)
    # The server, thawed, replaces it and answers again.
    deadline = time.monotonic() + 15
    while True:
        r = httpx.get(url + "/sparql", params={"query": fresh_count()}, timeout=30)
        if r.status_code == 200:
            break
        assert time.monotonic() < deadline, r.text
        time.sleep(0.2)
    wait_until(lambda: len(children(proc.pid)) == 2, 15, "the pool did not refill")


# -- the pool without its build folder -------------------------------------------------------------

@pytest.fixture
def moved(built: Settings, tmp_path: Path) -> Iterator[tuple[LiveServer, Path]]:
    out = tmp_path / "build"
    shutil.copytree(built.out, out)
    settings = dataclasses.replace(built, out=out, query_timeout=2.0, workers=2)
    with LiveServer(create_app(settings)) as live:
        yield live, out


def test_the_pool_refills_when_its_build_folder_comes_back(
        moved: tuple[LiveServer, Path]) -> None:
    live, out = moved
    pool = live.app.state.sparql_pool
    with httpx.Client(base_url=live.url, timeout=30) as c:
        assert c.get("/sparql", params={"query": fresh_count()}).status_code == 200
        away = out.with_name("away")
        out.rename(away)  # the build folder is briefly missing (a botched deploy, a swap)
        for pid in pool.pids:  # and the workers die
            os.kill(pid, signal.SIGKILL)
        # Dead workers leave the pool at once; none can start again now.
        wait_until(lambda: not pool.pids, 5, "the dead workers are still counted")
        time.sleep(0.5)  # a failed restart has been seen
        started = time.monotonic()
        r = c.get("/sparql", params={"query": fresh_count()})
        assert time.monotonic() - started < 1.0
        assert r.status_code == 503, r.text
        error = r.json()["error"]
        assert error["title"] == "No workers"
        assert "no query worker is running" in error["detail"]
        assert int(r.headers["retry-after"]) >= 1
        # The build comes back: the pool refills itself (backoff), with no restart.
        away.rename(out)
        wait_until(lambda: len(pool.pids) == pool.size, 20, "the pool did not refill")
        r = c.get("/sparql", params={"query": fresh_count()})
        assert r.status_code == 200, r.text
        assert list(r.json()["results"]["bindings"][0].values())[0]["value"] == "91"


def test_busy_is_not_no_workers(built: Settings) -> None:
    """Every worker busy for the whole timeout: 503 "Busy", Retry-After 1."""
    settings = dataclasses.replace(built, query_timeout=1.5, workers=2)
    with LiveServer(create_app(settings)) as live:
        pool = live.app.state.sparql_pool
        before = pool.jobs
        results: list[httpx.Response] = []

        def run_away(i: int) -> None:
            with httpx.Client(base_url=live.url, timeout=30) as c:
                results.append(c.get("/sparql", params={"query": RUNAWAY.replace(
                    "?n", f"?r{i}")}))

        threads = [threading.Thread(target=run_away, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        # both workers have their runaway query: this one waits, and no worker is free before
        # its timeout (the runaways are stopped then, and replacements take longer to start)
        wait_until(lambda: pool.jobs - before == 2, 10, "the runaway queries did not start")
        with httpx.Client(base_url=live.url, timeout=30) as c:
            r = c.get("/sparql", params={"query": fresh_count()})
        for t in threads:
            t.join()
        assert r.status_code == 503 and r.json()["error"]["title"] == "Busy", r.text
        assert r.headers["retry-after"] == "1"
        assert {x.json()["error"]["title"] for x in results} == {"Query timeout"}


# -- memory ----------------------------------------------------------------------------------------

# A ten-character string concatenated ten times over, eight times: 1 GB, in one row.
ONE_GB_STRING = ('SELECT (STRLEN(?a8) AS ?n) WHERE { BIND("0123456789" AS ?a0) '
                 + " ".join(f"BIND(CONCAT({', '.join([f'?a{i}'] * 10)}) AS ?a{i + 1})"
                            for i in range(8)) + " }")


def test_a_query_over_the_worker_memory_limit_is_a_422(built: Settings) -> None:
    settings = dataclasses.replace(built, query_timeout=20.0, workers=2, worker_memory=128)
    with LiveServer(create_app(settings)) as live, \
            httpx.Client(base_url=live.url, timeout=60) as c:
        pool = live.app.state.sparql_pool
        r = c.get("/sparql", params={"query": ONE_GB_STRING})
        assert r.status_code == 422, r.text
        assert "more than 128 MiB of memory" in r.json()["error"]["detail"]
        wait_until(lambda: len(pool.pids) == pool.size, 20, "the pool did not refill")
        assert c.get("/sparql", params={"query": fresh_count()}).status_code == 200


# -- where workers read the build from -------------------------------------------------------------

def test_workers_answer_alike_from_memory_and_from_disk(built: Settings) -> None:
    """A small build is copied into each worker's memory; with memory_store_quads=0 (or a build
    larger than it) they read the store on disk. The answers are the same."""
    answers = []
    for quads in (0, 100_000):
        settings = dataclasses.replace(built, memory_store_quads=quads, workers=2)
        with LiveServer(create_app(settings)) as live, \
                httpx.Client(base_url=live.url, timeout=30) as c:
            r = c.get("/sparql", params={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g "
                                                  "{ ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"},
                      headers={"Accept": "text/csv"})
            assert r.status_code == 200, r.text
            answers.append(r.text)
            assert c.get("/sparql", params={"query": fresh_count()}).json()[
                "results"]["bindings"][0].popitem()[1]["value"] == "91"  # read from the document
    assert answers[0] == answers[1] and len(answers[0].splitlines()) == 6  # five graphs
