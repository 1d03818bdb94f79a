"""How the app is served: uvicorn's configuration, for `plangraph serve` and the tests' LiveServer.

uvicorn runs on uvloop with the httptools parser (C) when they are installed (they are
dependencies): about half the CPU per request of asyncio's loop with h11 (pure Python), measured
in bench/README.md. llhttp (httptools) reads a request head of any size, where h11 stops at
64 KiB; BoundedHttpTools puts that bound back, so that a client cannot hold the server's memory
with an endless header.
"""

from __future__ import annotations

from typing import Any

import uvicorn

MAX_HEAD = 64 * 1024  # request line and headers, as h11 bounds them


def _bounded_httptools() -> type | None:
    try:
        import httptools  # noqa: F401
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return None

    class BoundedHttpTools(HttpToolsProtocol):  # type: ignore[misc]
        """uvicorn's httptools protocol, refusing a request head over MAX_HEAD bytes (400, and
        the connection closed, as uvicorn answers a request it cannot parse)."""

        _in_head = False
        _head_bytes = 0

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._in_head, self._head_bytes = True, 0

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()

        def data_received(self, data: bytes) -> None:
            reading_head = self._in_head or not self._head_bytes
            super().data_received(data)
            if reading_head and self._in_head:  # still in the head after this chunk
                self._head_bytes += len(data)
                if self._head_bytes > MAX_HEAD and not self.transport.is_closing():
                    self.send_400_response("Request head too large.")

    return BoundedHttpTools


def config(app: Any, **options: Any) -> uvicorn.Config:
    """uvicorn's Config for the app: uvloop and httptools (bounded) when installed."""
    protocol = _bounded_httptools()
    if protocol is not None:
        options.setdefault("http", protocol)
    return uvicorn.Config(app, **options)
