"""/data/: the dumps `plangraph build` writes, listed and served with their media types.

Only the files named in DUMPS are served, looked up by exact name: a request for anything else
(another file of the build folder, `..`, an encoded slash) is a 404 and never touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ..build.folder import JSONLD, MANIFEST, NQUADS, NTRIPLES, TURTLE
from .deps import SiteDep
from .layout import bilingual, error, esc, page
from .openapi import get_and_head, ok, site_error

router = APIRouter()


@dataclass(frozen=True)
class Dump:
    name: str
    media_type: str
    en: str
    zh: str


DUMPS = {d.name: d for d in (
    Dump(NQUADS, "application/n-quads", "every named graph, as N-Quads (the canonical dump)",
         "所有具名圖（N-Quads，標準傾印）"),
    Dump(TURTLE, "text/turtle; charset=utf-8",
         "the whole dataset merged, data and ontology, as Turtle", "全部資料與本體合併（Turtle）"),
    Dump(NTRIPLES, "application/n-triples; charset=utf-8",
         "the data graphs merged, without the ontology, as sorted N-Triples",
         "資料圖合併（排序之 N-Triples，不含本體）"),
    Dump(JSONLD, "application/ld+json", "the whole dataset merged, data and ontology, as JSON-LD",
         "全部資料與本體合併（JSON-LD）"),
    Dump(MANIFEST, "application/json", "what was built: versions, checksums, counts, base IRI",
         "建置資訊：版本、雜湊值、數量、基底 IRI"),
)}


def dump_url(name: str) -> str:
    return f"/data/{name}"


@router.api_route("/data", methods=["GET", "HEAD"], include_in_schema=False)
def data_redirect() -> RedirectResponse:
    return RedirectResponse("/data/", status_code=308)


@get_and_head(router, "/data/", response_class=HTMLResponse, summary="The list of the dumps")
def listing(site: SiteDep) -> Response:
    rows = []
    for dump in DUMPS.values():
        path = site.settings.out / dump.name
        if not path.is_file():
            continue
        size = path.stat().st_size
        rows.append(f'<tr><td><a href="{esc(dump_url(dump.name))}" type="'
                    f'{esc(dump.media_type.split(";")[0])}"><code>{esc(dump.name)}</code></a></td>'
                    f'<td><code>{esc(dump.media_type.split(";")[0])}</code></td>'
                    f'<td class="num">{size:,}</td><td>{bilingual(dump.zh, dump.en, sep="<br>")}'
                    f"</td></tr>")
    if rows:
        table = ('<table class="dumps"><thead><tr><th>file 檔案</th><th>media type 媒體類型</th>'
                 '<th class="num">bytes 位元組</th><th>content 內容</th></tr></thead><tbody>'
                 + "".join(rows) + "</tbody></table>")
    else:
        table = ('<p class="error" lang="en">No dumps yet: run <code>plangraph build</code> '
                 f'(output folder <code>{esc(site.settings.out)}</code>).</p>')
    body = (f'<h1>{bilingual("資料傾印", "Data dumps")}</h1>'
            '<p lang="en">The whole dataset, as written by <code>plangraph build</code>. '
            'The N-Quads dump keeps the named graphs apart (one per plan version, the registry, '
            'the ontology); Turtle and JSON-LD merge them all, data and ontology, the triples '
            'VoID counts; N-Triples merges the data graphs alone, as the shapes check them. '
            'The same data can be queried at '
            '<code>/sparql</code> and is described in <a href="/.well-known/void">VoID</a>.</p>'
            + table)
    return page(site, "Data 資料", body)


@get_and_head(router, "/data/{name}", response_class=Response, summary="One dump", responses={
    200: ok("the file, with its own media type",
            dict.fromkeys(d.media_type.split(";")[0] for d in DUMPS.values()),
            {"application/json": {"type": "object"}}),
    404: site_error("no dump of that name (or the build has not written it)")})
def dump(request: Request, site: SiteDep,
         name: str = Path(description="the file name of a dump", examples=list(DUMPS))
         ) -> Response:
    entry = DUMPS.get(name)
    path = site.settings.out / entry.name if entry else None
    if entry is None or path is None or not path.is_file():
        return error(request, site, 404, f"no dump named {name!r}; see /data/")
    return FileResponse(path, media_type=entry.media_type,
                        headers={"Content-Disposition": f'inline; filename="{entry.name}"'})
