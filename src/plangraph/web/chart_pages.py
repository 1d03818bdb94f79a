"""/charts: the pictures drawn from the query library (workload per agency and area, the
co-assignment network), as SVG and on an HTML page."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from ..querying import charts
from .deps import StoreSiteDep
from .layout import error, page
from .openapi import get_and_head, ok, site_error

router = APIRouter()

DRAWINGS = {
    "workload": (charts.workload_svg, "各機關於各領域之執行措施數", "Measures per agency and area"),
    "network": (charts.agency_network_svg, "機關共同辦理網絡", "Agencies assigned to the same measures"),
}


def _svg(site, name: str) -> str:
    key = f"chart:{name}"
    if key not in site.cache:   # the store is read-only: draw once per app
        site.cache[key] = DRAWINGS[name][0](site.store, queries_dir=site.settings.queries_dir)
    return site.cache[key]


@get_and_head(router, "/charts/{name}.svg", response_class=Response, summary="One chart, as SVG",
              responses={200: ok("the picture", ["image/svg+xml"]),
                         404: site_error("no chart of that name")})
def chart_svg(request: Request, site: StoreSiteDep,
              name: str = Path(description="workload or network", examples=list(DRAWINGS))
              ) -> Response:
    if name not in DRAWINGS:
        return error(request, site, 404, f"no chart {name!r}: there are "
                     f"{', '.join(DRAWINGS)}")
    return Response(_svg(site, name), media_type="image/svg+xml")


@get_and_head(router, "/charts", response_class=HTMLResponse, summary="The charts, on a page")
def chart_page(site: StoreSiteDep) -> Response:
    figures = "".join(
        f'<figure><figcaption lang="zh-Hant">{zh}</figcaption><p lang="en">{en}</p>'
        f'<img src="/charts/{name}.svg" alt="{en}"></figure>'
        for name, (_, zh, en) in DRAWINGS.items())
    return page(site, "圖表 Charts", f"<h1>圖表 <span lang='en'>Charts</span></h1>{figures}")
