"""A real uvicorn server on 127.0.0.1, on a free port, in a thread: for tests where the wire
matters.

    with LiveServer(create_app(settings)) as server:
        httpx.get(server.url + "/sparql", params={"query": "ASK {}"})

The app's lifespan runs (its SPARQL worker pool starts and stops with the server).
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from plangraph.web.serving import config


class LiveServer:
    def __init__(self, app: FastAPI, *, start_timeout: float = 30.0):
        self.app = app
        self.start_timeout = start_timeout
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LiveServer:
        # IPPROTO_TCP, so that asyncio sets TCP_NODELAY (else ~40 ms per response).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        host, port = sock.getsockname()
        self.url = f"http://{host}:{port}"
        self._server = uvicorn.Server(config(self.app, log_level="warning", lifespan="on",
                                             timeout_graceful_shutdown=5))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"uvicorn-{port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the test server on port {port} exited during startup")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the test server on port {port} did not start in time")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
