"""/: the query console. YASGUI, served from our own package (static/vendor/, filled by
scripts/vendor-yasgui from the npm package), pointed at /sparql, one tab per queries/*.rq.

Without static/vendor/ the page still answers: it says how to install YASGUI and lists the
queries as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from .deps import LOCAL_PREFIX, SiteDep
from .layout import bilingual, esc, json_script, page
from .openapi import get_and_head

router = APIRouter()

# the files scripts/vendor-yasgui copies; the console needs both
YASGUI_JS = "yasgui.min.js"
YASGUI_CSS = "yasgui.min.css"
ENDPOINT = "/sparql"
OPEN_LIBRARY = 8   # the list of ready queries starts folded when it is longer
# the editor's tab when queries/ holds no query
FALLBACK_QUERY = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
# How many measures does each plan version have?
SELECT ?version (COUNT(?m) AS ?measures) WHERE {
  ?m a pg:Measure ; <http://www.w3.org/2004/02/skos/core#inScheme> ?version .
} GROUP BY ?version
"""


@dataclass(frozen=True)
class LibraryQuery:
    name: str          # the file name without .rq: the tab name
    question: str      # the first comment line
    text: str          # the whole file


# "# Question: …" → "…" (the library's files label their first line)
_QUESTION_LABEL = re.compile(r"^(question|q)\s*[:：]\s*", re.IGNORECASE)


def read_query(path: Path) -> LibraryQuery:
    text = path.read_text(encoding="utf-8")
    question = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            question = _QUESTION_LABEL.sub("", stripped.lstrip("#").strip())
            break
        if stripped:
            break
    return LibraryQuery(path.stem, question, text)


def library(queries_dir: Path) -> list[LibraryQuery]:
    """Every queries/*.rq, by file name."""
    if not queries_dir.is_dir():
        return []
    return [read_query(p) for p in sorted(queries_dir.glob("*.rq")) if p.is_file()]


def vendored(vendor: Path) -> bool:
    return (vendor / YASGUI_JS).is_file() and (vendor / YASGUI_CSS).is_file()


@get_and_head(router, "/", response_class=HTMLResponse, summary="The query console")
def console(site: SiteDep) -> HTMLResponse:
    queries = library(site.settings.queries_dir)
    listing = "".join(
        f'<li><button type="button" class="query-pick" data-tab="{esc(q.name)}">'
        f'<code>{esc(q.name)}</code></button> <span class="question">{esc(q.question)}</span>'
        f"</li>" for q in queries)
    intro = (f'<h1 class="console-title">{bilingual("查詢主控台", "Query console")}</h1>'
             '<p class="lead" lang="en">Ask the knowledge graph in SPARQL. Each ready query '
             'below is a tab of the editor; run it with the ▶ button or Ctrl+Enter. Results link '
             'to the page of each resource.</p>')
    if not vendored(site.vendor):
        items = "".join(
            f'<li><h3><code>{esc(q.name)}</code> <span class="question">{esc(q.question)}</span>'
            f'</h3><pre class="query">{esc(q.text)}</pre></li>' for q in queries)
        body = (intro + '<section class="notice" role="alert"><h2 lang="en">The query editor '
                'is not installed</h2><p lang="en">YASGUI is installed from npm into this '
                'package, not fetched from the network. From the project folder run:</p>'
                '<pre><code>npm ci\nscripts/vendor-yasgui</code></pre><p lang="en">then reload '
                'this page. Until then the SPARQL endpoint answers at <code>/sparql</code> '
                'and the ready queries are listed below.</p></section>'
                f'<ol class="library-text">{items}</ol>')
        return page(site, "Query console 查詢主控台", body, body_class="console no-editor")
    head = (f'<link rel="stylesheet" href="/static/vendor/{YASGUI_CSS}">\n'
            f'<script src="/static/vendor/{YASGUI_JS}" defer></script>\n'
            '<script src="/static/console.js" defer></script>\n')
    data = {"endpoint": ENDPOINT, "base": site.base, "localPrefix": LOCAL_PREFIX,
            "fallback": FALLBACK_QUERY,
            "queries": [{"name": q.name, "question": q.question, "query": q.text}
                        for q in queries]}
    body = (intro
            + (f'<details class="library"{" open" if len(queries) <= OPEN_LIBRARY else ""}>'
               f'<summary lang="en">Ready queries <span class="count">{len(queries)}</span> '
               f'<span class="hint">each is also a tab below</span></summary>'
               f'<ul class="library">{listing}</ul></details>' if queries else "")
            + '<div id="yasgui" class="yasgui-host"></div>'
            + json_script("console-data", data))
    return page(site, "Query console 查詢主控台", body, head=head, body_class="console")
