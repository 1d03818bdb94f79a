"""The console and the resource pages in a real browser: headless Chromium through Playwright.

Nothing may leave 127.0.0.1: every request the pages make is recorded, anything not for the test
server is aborted, and the test fails if there was any. Screenshots go to /tmp for a look.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from plangraph.config import Settings
from plangraph.web.app import create_app
from plangraph.web.console import library, vendored
from plangraph.web.deps import VENDOR

from .server import LiveServer

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
COUNT_MEASURES = ("PREFIX pg: <https://w3id.org/plangraph/ontology#>\n"
                  "SELECT (COUNT(*) AS ?n) WHERE { ?m a pg:Measure }")
SCREENSHOTS = Path("/tmp")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")


@pytest.fixture(scope="module")
def server(built: Settings) -> Iterator[str]:
    assert vendored(VENDOR), ("src/plangraph/web/static/vendor/ has no YASGUI: run "
                              "`npm ci --ignore-scripts && scripts/vendor-yasgui` first")
    with LiveServer(create_app(built)) as live:
        yield live.url


@pytest.fixture(scope="module")
def browser() -> Iterator[playwright_api.Browser]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Offline:
    """Records every request of a browser context and aborts any not for the test server."""

    def __init__(self, server: str):
        self.origin = urlsplit(server).netloc
        self.seen: list[str] = []
        self.outside: list[str] = []

    def route(self, route: playwright_api.Route) -> None:
        url = route.request.url
        self.seen.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.netloc == self.origin:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture
def page(browser: playwright_api.Browser, server: str) -> Iterator[tuple[playwright_api.Page,
                                                                        Offline]]:
    context = browser.new_context(viewport={"width": 1280, "height": 960}, locale="zh-TW")
    offline = Offline(server)
    context.route("**/*", offline.route)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p, offline
    context.close()
    assert not offline.outside, f"requests left 127.0.0.1: {offline.outside}"
    assert not errors, f"script errors: {errors}"
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in offline.seen
               if not u.startswith(("data:", "blob:")))


def test_console_runs_a_query_and_shows_91_measures(page, server: str, built: Settings) -> None:
    p, offline = page
    p.goto(server + "/")
    p.wait_for_selector(".yasqe .CodeMirror >> visible=true")
    # a tab per library query, named after its file
    tabs = p.locator(".yasgui .tabsList .tab").all_inner_texts()
    for query in library(built.queries_dir):
        assert any(query.name in t for t in tabs), (query.name, tabs)
    # type a query into the editor and run it
    p.click(".yasqe .CodeMirror-code >> visible=true")
    p.keyboard.press("Control+A")
    p.keyboard.press("Delete")
    p.keyboard.insert_text(COUNT_MEASURES)
    p.click(".yasqe_queryButton >> visible=true")
    cell = p.locator(".yasr table.dataTable tbody td", has_text="91")
    cell.first.wait_for(timeout=20_000)
    assert '"91"' in p.inner_text(".yasr table.dataTable tbody")
    p.screenshot(path=str(SCREENSHOTS / "plangraph-console.png"), full_page=True)
    assert any(u.endswith("/sparql") for u in offline.seen)
    assert any("/static/vendor/yasgui.min.js" in u for u in offline.seen)


def editor_text(p) -> str:
    return p.evaluate("() => window.plangraphConsole.getTab().getQuery()")


def replace_query(p, text: str) -> None:
    p.click(".yasqe .CodeMirror-code >> visible=true")
    p.keyboard.press("Control+A")
    p.keyboard.press("Delete")
    p.keyboard.insert_text(text)


def test_the_console_keeps_the_users_tabs_across_reloads(page, server: str,
                                                          built: Settings) -> None:
    p, _ = page
    p.goto(server + "/")
    p.wait_for_selector(".yasqe .CodeMirror >> visible=true")
    names = [q.name for q in library(built.queries_dir)]
    # a tab of the user's own, with a query typed into it
    tabs = p.locator(".yasgui .tabsList .tab")
    count = tabs.count()
    p.click(".yasgui .tabsList .addTab")
    p.wait_for_function(f"() => document.querySelectorAll('.yasgui .tabsList .tab').length "
                        f"== {count + 1}")
    mine = "# mine\n" + COUNT_MEASURES
    replace_query(p, mine)
    own_id = p.evaluate("() => window.plangraphConsole.getTab().getId()")
    # and an edit of a library tab
    p.locator(".yasgui .tabsList .tab", has_text="measure-by-key").first.click()
    edited = "# edited by hand\nASK {}"
    replace_query(p, edited)
    p.wait_for_timeout(300)  # YASGUI stores on its change events

    p.reload()
    p.wait_for_selector(".yasqe .CodeMirror >> visible=true")
    texts = [t.split("\n")[0].strip()  # the name, without the ✖ that closes the tab
             for t in p.locator(".yasgui .tabsList .tab").all_inner_texts()]
    for name in names:  # every library tab is still there, once
        assert texts.count(name) == 1, (name, texts)
    assert len(texts) == count + 1
    kept = p.evaluate(f"() => window.plangraphConsole.getTab('{own_id}').getPersistedJson()"
                      ".yasqe.value")
    assert kept == mine
    p.locator(".yasgui .tabsList .tab", has_text="measure-by-key").first.click()
    assert editor_text(p) == edited
    # an unedited library tab shows the library's text
    p.locator(".yasgui .tabsList .tab", has_text="measures-by-area").first.click()
    assert editor_text(p) == (built.queries_dir / "measures-by-area.rq").read_text(
        encoding="utf-8")


def test_unedited_library_tabs_follow_the_library(browser, built: Settings, tmp_path) -> None:
    queries = tmp_path / "queries"
    queries.mkdir()
    for name in ("measure-by-key", "measures-by-area"):
        (queries / f"{name}.rq").write_text((built.queries_dir / f"{name}.rq").read_text(
            encoding="utf-8"), encoding="utf-8")
    settings = dataclasses.replace(built, queries_dir=queries)
    with LiveServer(create_app(settings)) as live:
        context = browser.new_context()
        offline = Offline(live.url)
        context.route("**/*", offline.route)
        p = context.new_page()
        p.goto(live.url + "/")
        p.wait_for_selector(".yasqe .CodeMirror >> visible=true")
        p.locator(".yasgui .tabsList .tab", has_text="measure-by-key").first.click()
        replace_query(p, "# mine\nASK {}")
        p.locator(".yasgui .tabsList .tab", has_text="measures-by-area").first.click()
        # the library changes: both files
        for name in ("measure-by-key", "measures-by-area"):
            (queries / f"{name}.rq").write_text(f"# new {name}\nASK {{}}\n", encoding="utf-8")
        p.reload()
        p.wait_for_selector(".yasqe .CodeMirror >> visible=true")
        p.locator(".yasgui .tabsList .tab", has_text="measures-by-area").first.click()
        assert editor_text(p) == "# new measures-by-area\nASK {}\n"  # followed the library
        p.locator(".yasgui .tabsList .tab", has_text="measure-by-key").first.click()
        assert editor_text(p) == "# mine\nASK {}"  # the user's edit kept
        context.close()
        assert not offline.outside


def test_a_result_iri_opens_its_page_on_this_server(page, server: str) -> None:
    p, _ = page
    p.goto(server + "/")
    p.wait_for_selector(".yasqe .CodeMirror >> visible=true")
    p.locator(".yasgui .tabsList .tab", has_text="measure-by-key").first.click()
    p.click(".yasqe_queryButton >> visible=true")
    link = p.locator(".yasr table.dataTable a", has_text="moj-aac").first
    link.wait_for(timeout=20_000)
    link.click()
    p.wait_for_url(re.compile(r"/id/agency/moj-aac$"))
    assert p.inner_text("h1").startswith("法務部廉政署")


def test_resource_page_links_to_the_lead_agency(page, server: str) -> None:
    p, _ = page
    p.goto(server + "/id/plan/2014-04-15/measure/1.1.5.8")
    assert p.locator("html").get_attribute("lang") == "zh-Hant"
    assert "對涉有風紀或貪瀆不法情事之高階及其他身分特殊之公務人員" in p.inner_text(
        "blockquote.node-text")
    assert p.inner_text(".source-lines") == "29"
    p.screenshot(path=str(SCREENSHOTS / "plangraph-measure.png"), full_page=True)
    p.locator("a[href='/id/agency/moj-aac']").first.click()
    p.wait_for_url(re.compile(r"/id/agency/moj-aac$"))
    assert "法務部廉政署" in p.inner_text("h1")
    incoming = p.locator("section.incoming")
    assert incoming.locator("a[href='/id/plan/2014-04-15/measure/1.1.5.8']").count() >= 1
    # and back along an incoming link
    incoming.locator("a[href='/id/plan/2014-04-15/measure/1.1.5.8']").first.click()
    p.wait_for_url(re.compile(r"/measure/1\.1\.5\.8$"))
    p.screenshot(path=str(SCREENSHOTS / "plangraph-agency-roundtrip.png"))


def test_header_links_lead_to_every_part(page, server: str) -> None:
    p, _ = page
    p.goto(server + "/data/")
    for name, pattern in (("Ontology", r"/ontology$"), ("VoID", r"/\.well-known/void$"),
                          ("Plan", r"/id/plan$"), ("Data", r"/data/$")):
        p.locator("header.site nav a", has_text=name).click()
        p.wait_for_url(re.compile(pattern))
        assert p.locator("h1").count() == 1


def test_the_workload_picture_shows_the_agencies(page, server: str) -> None:
    """The chart page draws the workload picture; the picture names the agencies."""
    p, _ = page
    p.goto(server + "/charts")
    img = p.locator("img[src='/charts/workload.svg']")
    img.wait_for()
    assert p.evaluate("(img) => img.complete && img.naturalWidth > 0", img.element_handle())
    p.screenshot(path=str(SCREENSHOTS / "plangraph-charts.png"))
    p.goto(server + "/charts/workload.svg")
    text = p.locator("svg").first.text_content()
    # the three agencies with most measures, counted in the agency cells of the document:
    # 法務部廉政署 31, 法務部調查局 17, 法務部 15 (see tests/test_queries.py, HAND)
    for name in ("法務部廉政署", "法務部調查局", "法務部", "各機關"):
        assert name in text, name
