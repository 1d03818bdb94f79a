"""The headers every response of the site gets, set in one place (an ASGI middleware).

- CORS: every resource is public and read-only, so any origin may read it
  (`Access-Control-Allow-Origin: *`, the headers a linked-data client reads exposed), and a CORS
  preflight (OPTIONS with Access-Control-Request-Method) is answered for any path.
- `X-Content-Type-Options: nosniff` everywhere; HTML may not be framed by another site
  (`X-Frame-Options: DENY`, `Content-Security-Policy: frame-ancestors 'none'`) and sends no
  referrer elsewhere.
- Conditional GET on what comes from the build (/sparql, /id/…, /data/…, VoID, /ontology,
  /charts): an ETag made of the build's identity, this server process and the request (path,
  query string, Accept), so that a request whose If-None-Match names it is answered 304 before any
  work is done; `Cache-Control` lets caches keep the answer and tells them to ask again (the
  build may be swapped at any time). Errors are not to be stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CORS = {"access-control-allow-origin": "*",
        "access-control-expose-headers": "ETag, Link, Content-Location, Cache-Status, "
                                         "Retry-After, Location"}
PREFLIGHT = {**CORS, "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
             "access-control-allow-headers": "Accept, Content-Type, If-None-Match",
             "access-control-max-age": "86400"}
NOSNIFF = {"x-content-type-options": "nosniff"}
HTML_ONLY = {"x-frame-options": "DENY", "content-security-policy": "frame-ancestors 'none'",
             "referrer-policy": "strict-origin-when-cross-origin"}
CACHE_CONTROL = "public, max-age=0, must-revalidate"
# What comes from the build, and so has an ETag.
CONDITIONAL = ("/sparql", "/id/", "/data/", "/.well-known/void", "/ontology", "/charts")

Identity = Callable[[], object]  # the build being served now (None: no build)


class SiteHeaders:
    def __init__(self, app: ASGIApp, build: Identity):
        self.app = app
        self.build = build
        self.salt = secrets.token_hex(8)  # this process: its code may render a page otherwise

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        request_headers = Headers(scope=scope)
        if method == "OPTIONS" and "access-control-request-method" in request_headers:
            await _answer(send, 204, PREFLIGHT)
            return
        etag = None
        if method in ("GET", "HEAD") and path.startswith(CONDITIONAL):
            etag = self.etag(scope, request_headers)
            if etag is not None and _matches(request_headers.get("if-none-match"), etag):
                await _answer(send, 304, {**CORS, "etag": etag, "cache-control": CACHE_CONTROL,
                                          "vary": "Accept"})
                return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in (*CORS.items(), *NOSNIFF.items()):
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    for name, value in HTML_ONLY.items():
                        headers.setdefault(name, value)
                if etag is not None:
                    if message["status"] == 200:
                        headers["etag"] = etag
                        headers["cache-control"] = CACHE_CONTROL
                    elif message["status"] >= 400:
                        headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)

    def etag(self, scope: Scope, headers: Headers) -> str | None:
        build = self.build()
        if build is None:
            return None
        key = "\n".join((self.salt, repr(build), scope["path"],
                         scope.get("query_string", b"").decode("latin-1"),
                         headers.get("accept", "")))
        return f'W/"{hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=12).hexdigest()}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match names this ETag (weak comparison, RFC 9110 §13.1.2), or is `*`."""
    if not if_none_match:
        return False
    opaque = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == opaque:
            return True
    return False


async def _answer(send: Send, status: int, headers: dict[str, str]) -> None:
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b""})
