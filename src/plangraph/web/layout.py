"""The shared page layout (templates/page.html) and small HTML helpers.

Templates are `string.Template` files: every value put into one is escaped by the caller with
`esc` (or is HTML this module built from escaped parts). Nothing else renders HTML.
"""

from __future__ import annotations

import html
import json
from functools import cache
from http import HTTPStatus
from string import Template

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from . import conneg
from .deps import TEMPLATES, Site
from .problems import ERROR_MEDIA_TYPE, error_response


def esc(value: object) -> str:
    """Text (or an attribute value) made safe for HTML."""
    return html.escape(str(value), quote=True)


@cache
def template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def lang_tag(tag: str) -> str:
    """A BCP 47 tag in its conventional case (pyoxigraph lower-cases them): zh-hant → zh-Hant."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def bilingual(zh: str | None, en: str | None, *, sep: str = " ") -> str:
    """A zh-Hant and an English text side by side, each with its lang attribute."""
    parts = []
    if zh:
        parts.append(f'<span lang="zh-Hant">{esc(zh)}</span>')
    if en:  # beside a zh-Hant text, the English one is the quieter of the two
        css = ' class="en"' if zh else ""
        parts.append(f'<span lang="en"{css}>{esc(en)}</span>')
    return sep.join(parts)


def render_page(site: Site, title: str, body: str, *, lang: str = "zh-Hant", head: str = "",
                body_class: str = "") -> str:
    """A whole page: `body` is HTML; `title` and `lang` are text."""
    plan = site.href(site.base + "plan") or "/"
    return template("page.html").substitute(
        lang=esc(lang), title=esc(title), head=head, body=body, body_class=esc(body_class),
        plan_href=esc(plan))


def page(site: Site, title: str, body: str, *, status: int = 200, lang: str = "zh-Hant",
         head: str = "", body_class: str = "", headers: dict[str, str] | None = None
         ) -> HTMLResponse:
    return HTMLResponse(render_page(site, title, body, lang=lang, head=head,
                                    body_class=body_class),
                        status_code=status, headers=headers)


ZH_TITLES = {400: "請求有誤", 404: "找不到", 406: "無法提供所要求之格式", 500: "伺服器錯誤"}


def error(request: Request, site: Site, status: int, detail: str, *,
          headers: dict[str, str] | None = None) -> Response:
    """An error as a page for browsers; otherwise the JSON body every error of the server has
    (web/problems.py: {"error": {"status", "title", "detail"}})."""
    title = HTTPStatus(status).phrase
    want = conneg.negotiate(request.headers.get("accept"),
                            [conneg.HTML, conneg.Variant("json", ERROR_MEDIA_TYPE)])
    if want is conneg.HTML:
        body = (f'<h1>{status} {bilingual(ZH_TITLES.get(status), title)}</h1>\n'
                f'<p class="error" lang="en">{esc(detail)}</p>\n'
                f'<p lang="en">Request: <code>{esc(request.url.path)}</code></p>')
        return page(site, f"{status} {title}", body, status=status, headers=headers)
    return error_response(status, title, detail, headers)


def not_acceptable(request: Request, site: Site, variants: list[conneg.Variant]) -> Response:
    offered = ", ".join(v.media_type for v in variants)
    return error(request, site, 406, f"none of the media types in the Accept header "
                 f"({request.headers.get('accept', '')!r}) can be served here; available: "
                 f"{offered}", headers={"Vary": "Accept"})


def json_script(element_id: str, data: object) -> str:
    """Data for our scripts, as a JSON <script> block that cannot end early (`</` is escaped)."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'
