"""`plangraph publish`: push the built graph to a triple store, one named graph at a time.

Two protocols, both replacing what the store held under the same graph name, so that publishing
twice never duplicates a triple:

- `gsp` (default): the SPARQL 1.1 Graph Store HTTP Protocol, one `PUT {gsp}?graph=IRI` per graph.
  A PUT replaces the graph's content in one request.
- `update`: SPARQL 1.1 Update, `DROP SILENT GRAPH <IRI>` then `INSERT DATA` in chunks of triples.
  A graph that fits in one chunk is dropped and inserted in a single request; a larger one is
  briefly incomplete on the server between its chunks. Triples that share a blank node always go
  in the same chunk (a blank node label means one node only inside one request).

The data is read from the built pyoxigraph store (`plangraph build`), never re-parsed. Library code:
it reports progress through a callback and raises `PublishError`; the CLI prints and picks the
exit code.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from .errors import PlangraphError
from .querying.store import open_store

Progress = Callable[[str], None]

PROTOCOLS = ("gsp", "update")
# Oxigraph server (`oxigraph serve`): the Graph Store at /store, SPARQL Update at /update
DEFAULT_GSP_PATH = "/store"
DEFAULT_UPDATE_PATH = "/update"
DEFAULT_CHUNK = 5000          # triples per INSERT DATA request
DEFAULT_TIMEOUT = 120.0       # seconds per request
# N-Triples is a subset of Turtle; every Graph Store implementation reads text/turtle
GSP_MEDIA_TYPE = "text/turtle; charset=utf-8"
UPDATE_MEDIA_TYPE = "application/sparql-update; charset=utf-8"
SERVER_MESSAGE_CHARS = 400    # of the server's error body, quoted in our message


@dataclass(frozen=True)
class Target:
    """Where and how to publish."""

    endpoint: str                         # the store's base URL, e.g. http://127.0.0.1:7878
    protocol: str = "gsp"
    gsp_path: str = DEFAULT_GSP_PATH      # joined to `endpoint`, unless an absolute URL
    update_path: str = DEFAULT_UPDATE_PATH
    into: str | None = None               # publish every triple into this one graph instead
    user: str | None = None
    password: str | None = None
    auth: str = "basic"                   # basic | digest (Virtuoso's *-auth endpoints)
    token: str | None = None              # sent as `Authorization: Bearer …` (QLever)
    chunk: int = DEFAULT_CHUNK
    timeout: float = DEFAULT_TIMEOUT

    def mask(self, text: str) -> str:
        """`text` with every credential hidden: the password in a URL's user:password@, and
        the password and token given, wherever they appear (a server may echo them)."""
        text = re.sub(r"(?<=://)([^/@\s:]*):[^/@\s]*@", r"\1:***@", text)
        text = re.sub(r"\b(Basic|Bearer|Digest)\s+[^\s,]+", r"\1 ***", text)
        for secret in (self.password, self.token, _url_password(self.endpoint)):
            if secret:
                text = text.replace(secret, "***")
        return text

    def url(self, path: str) -> str:
        """`path` joined to the endpoint; an absolute URL is taken as it is."""
        if re.match(r"^https?://", path):
            return path
        if not path or path == "/":
            return self.endpoint
        return self.endpoint.rstrip("/") + "/" + path.lstrip("/")

    @property
    def service(self) -> str:
        return self.url(self.gsp_path if self.protocol == "gsp" else self.update_path)


@dataclass(frozen=True)
class Published:
    graph: str
    triples: int
    seconds: float


@dataclass
class PublishError(PlangraphError):
    """A request failed. Says what was published before it, and what is left half done."""

    message: str
    cannot_run: bool                      # unreachable or a server fault (exit 2), else 1
    published: list[Published] = field(default_factory=list)
    failed: str | None = None             # the graph being published when it failed
    incomplete: bool = False              # that graph was changed on the server, not finished
    pending: list[str] = field(default_factory=list)
    unknown: bool = False                 # the failed request may have been applied

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [self.message]
        if self.failed is not None:
            if self.incomplete:
                state = "is INCOMPLETE on the server (dropped, partly inserted): publish again"
            elif self.unknown:
                state = ("state unknown: the store may have applied the request: publish again "
                         "or check")
            else:
                state = "was not changed"
            lines.append(f"  failed: {self.failed} ({state})")
        if self.published:
            lines.append("  published before the failure (complete, replaced):")
            lines += [f"    {p.graph} ({p.triples} triples)" for p in self.published]
        if self.pending:
            lines.append("  not published:")
            lines += [f"    {g}" for g in self.pending]
        if not self.published and not self.incomplete and not self.unknown:
            lines.append("  nothing was published")
        return "\n".join(lines)


def graphs_to_publish(store: ox.Store, into: str | None = None
                      ) -> list[tuple[str, list[ox.Triple]]]:
    """(graph IRI, its triples) for every named graph of the store, sorted by IRI; or one graph
    `into` holding every distinct triple of them all."""
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    graphs = [(name, [q.triple for q in store.quads_for_pattern(None, None, None,
                                                                ox.NamedNode(name))])
              for name in names]
    if into is None:
        return graphs
    union = list(dict.fromkeys(t for _, triples in graphs for t in triples))
    return [(into, union)]


def publish(store_path: Path, target: Target, progress: Progress = lambda _: None
            ) -> list[Published]:
    """Publish every named graph of the built store at `store_path` to `target`."""
    if target.protocol not in PROTOCOLS:
        raise PublishError(f"unknown protocol {target.protocol!r}: use one of "
                           f"{', '.join(PROTOCOLS)}", cannot_run=False)
    if target.chunk < 1:
        raise PublishError(f"--chunk {target.chunk}: a chunk holds at least 1 triple",
                           cannot_run=False)
    if target.into is not None:
        _check_iri(target.into)
    store = open_store(store_path)
    graphs = graphs_to_publish(store, target.into)
    del store
    done: list[Published] = []
    progress(f"publishing {len(graphs)} graph(s) to {target.mask(target.service)} "
             f"({'Graph Store Protocol' if target.protocol == 'gsp' else 'SPARQL Update'})")
    with _client(target) as client:
        for i, (graph, triples) in enumerate(graphs):
            started = time.perf_counter()
            sent = 0
            try:
                if target.protocol == "gsp":
                    _put(client, target, graph, triples)
                else:
                    for request in update_requests(graph, triples, target.chunk):
                        _post_update(client, target, request)
                        sent += 1
            except _Failed as e:
                raise PublishError(target.mask(e.message), e.cannot_run, done, graph, sent > 0,
                                   [g for g, _ in graphs[i + 1:]], e.maybe_applied) from None
            seconds = time.perf_counter() - started
            done.append(Published(graph, len(triples), seconds))
            progress(f"  {graph}: {len(triples)} triples in {seconds:.2f} s")
    return done


# -- the two protocols ---------------------------------------------------------------------------

def _put(client: httpx.Client, target: Target, graph: str, triples: list[ox.Triple]) -> None:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    url = target.url(target.gsp_path)
    _send(client, "PUT", url, params={"graph": graph}, content=body,
          headers={"Content-Type": GSP_MEDIA_TYPE})


def _post_update(client: httpx.Client, target: Target, request: str) -> None:
    _send(client, "POST", target.url(target.update_path), content=request.encode("utf-8"),
          headers={"Content-Type": UPDATE_MEDIA_TYPE})


def update_requests(graph: str, triples: list[ox.Triple], chunk: int) -> Iterator[str]:
    """SPARQL Update requests that replace `graph` by `triples`: the first one drops the graph."""
    _check_iri(graph)
    first = True
    for part in chunks(triples, chunk):
        body = (ox.serialize(part, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        insert = f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"
        yield f"DROP SILENT GRAPH <{graph}> ;\n{insert}" if first else insert
        first = False
    if first:  # no triples: the graph is just dropped
        yield f"DROP SILENT GRAPH <{graph}>"


def chunks(triples: Iterable[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Runs of about `size` triples; triples linked by blank nodes are never split apart (a chunk
    may exceed `size` to keep such a group whole)."""
    groups: dict[object, list[ox.Triple]] = {}
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    triples = list(triples)
    for t in triples:
        labels = [x.value for x in (t.subject, t.object) if isinstance(x, ox.BlankNode)]
        for other in labels[1:]:
            parent[root(other)] = root(labels[0])
    for i, t in enumerate(triples):
        blank = next((x.value for x in (t.subject, t.object) if isinstance(x, ox.BlankNode)), None)
        groups.setdefault(root(blank) if blank is not None else i, []).append(t)
    current: list[ox.Triple] = []
    for group in groups.values():
        if current and len(current) + len(group) > size:
            yield current
            current = []
        current.extend(group)
    if current:
        yield current


# -- HTTP ------------------------------------------------------------------------------------------

class _Failed(Exception):
    def __init__(self, message: str, cannot_run: bool, maybe_applied: bool = False):
        super().__init__(message)
        self.message = message
        self.cannot_run = cannot_run
        self.maybe_applied = maybe_applied     # the request reached the store: it may have acted


def _client(target: Target) -> httpx.Client:
    auth: httpx.Auth | None = None
    if target.user is not None:
        cls = httpx.DigestAuth if target.auth == "digest" else httpx.BasicAuth
        auth = cls(target.user, target.password or "")
    headers = {"Authorization": f"Bearer {target.token}"} if target.token else {}
    return httpx.Client(auth=auth, headers=headers, timeout=target.timeout,
                        follow_redirects=False)


def _send(client: httpx.Client, method: str, url: str, **kw: object) -> None:
    # Whether the store may have acted on the request: not when it was never sent (no
    # connection), nor when the store refused it (4xx); when the answer never came (a timeout,
    # a dropped connection) or was a server fault (5xx), it may well have.
    try:
        response = client.request(method, url, **kw)  # type: ignore[arg-type]
    except httpx.ConnectError as e:
        raise _Failed(f"cannot connect to {url}: {_reason(e)}; is the store running there?",
                      cannot_run=True) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:
        raise _Failed(f"{url}: not an http(s) URL of a store: {e}", cannot_run=False) from None
    except (httpx.ConnectTimeout, httpx.PoolTimeout):
        raise _Failed(f"cannot connect to {url}: no connection within the timeout",
                      cannot_run=True) from None
    except httpx.TimeoutException:
        raise _Failed(f"{method} {url}: no answer within the timeout", cannot_run=True,
                      maybe_applied=True) from None
    except httpx.HTTPError as e:
        raise _Failed(f"{method} {url}: {_reason(e)}", cannot_run=True,
                      maybe_applied=True) from None
    if response.is_success:
        return
    status = f"{response.status_code} {response.reason_phrase}".strip()
    message = f"{method} {url} answered {status}"
    detail = _server_message(response)
    if detail:
        message += f": {detail}"
    if response.status_code == 401:
        message += (" (give --user and --password, or --token; Virtuoso's *-auth endpoints "
                    "need --auth digest)")
    elif response.status_code in (404, 405):
        message += " (is the endpoint path right? see --gsp-path, --update-path)"
    elif response.is_redirect:
        message += f" (redirected to {response.headers.get('location', '?')})"
    raise _Failed(message, cannot_run=response.status_code >= 500,
                  maybe_applied=response.status_code >= 500)


def _server_message(response: httpx.Response) -> str:
    text = response.text
    if "html" in response.headers.get("content-type", ""):
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    if len(text) > SERVER_MESSAGE_CHARS:
        text = text[:SERVER_MESSAGE_CHARS] + " …"
    return text


def _url_password(url: str) -> str | None:
    m = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@\s:]*:([^/@\s]*)@", url)
    return m.group(1) if m and m.group(1) else None


def _reason(e: Exception) -> str:
    text = str(e) or type(e).__name__
    if "refused" in text.lower():
        return "connection refused"
    return text


def _check_iri(iri: str) -> None:
    """A graph IRI goes into a query string and between < >: it must be an absolute IRI."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", iri):
        raise PublishError(f"not an absolute IRI: {iri!r}", cannot_run=False)
