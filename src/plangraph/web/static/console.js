// The query console: YASGUI (from /static/vendor/, never a CDN) pointed at our endpoint, one tab
// per query of the library (queries/*.rq), listed in the page's #console-data JSON.
//
// The user's own tabs, and what they typed into the library's, are kept across reloads (YASGUI's
// persistence, in the browser's localStorage). A library tab the user has not edited follows the
// library: when a query of queries/ changes, so does its tab.
"use strict";

(function () {
  const dataEl = document.getElementById("console-data");
  const host = document.getElementById("yasgui");
  if (!dataEl || !host || typeof Yasgui === "undefined") return;
  const data = JSON.parse(dataEl.textContent);
  const endpoint = new URL(data.endpoint, window.location.href).href;

  // Offline: the class and property autocompleters ask lov.linkeddata.es; keep only the
  // ones that work from the query itself (prefixes come with the bundle).
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];

  const STORAGE = "plangraph-console";
  const LIBRARY = STORAGE + "-library"; // name → the library's text when last shown
  const yasgui = new Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    autoAddOnInit: false,
    persistenceId: STORAGE, // the user's tabs survive a reload
    populateFromUrl: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    yasr: { defaultPlugin: "table" },
  });

  let shown = {};
  try {
    shown = JSON.parse(window.localStorage.getItem(LIBRARY) || "{}") || {};
  } catch (e) {
    shown = {}; // storage refused or garbled: every library tab is taken as unedited
  }
  const firstVisit = !yasgui.getTab();
  const tabIds = {};
  const queries = data.queries.length
    ? data.queries
    : [{ name: "query", question: "", query: data.fallback }];
  for (const q of queries) {
    const id = "q-" + q.name.replace(/[^A-Za-z0-9_-]/g, "-");
    tabIds[q.name] = id;
    const tab = yasgui.getTab(id);
    if (tab) {
      // kept from an earlier visit: follow the library unless the user has edited it
      const kept = tab.getPersistedJson();
      if (kept.yasqe.value === shown[q.name] && q.query !== shown[q.name]) follow(tab, q.query);
      continue;
    }
    // the first tab is shown on a first visit, unless the URL already opened one (a shared link)
    yasgui.addTab(firstVisit && !yasgui.getTab(), {
      id: id,
      name: q.name,
      yasqe: { value: q.query },
      requestConfig: { endpoint: endpoint, method: "POST" },
    });
  }
  try {
    window.localStorage.setItem(LIBRARY, JSON.stringify(
      Object.fromEntries(queries.map((q) => [q.name, q.query]))));
  } catch (e) {
    // storage full or refused: the tabs still work, they follow the library next time
  }
  window.plangraphConsole = yasgui;

  // YASGUI stores an editor's text when the editor loses focus; a reload or a closed page does not
  // blur it, so store it then too.
  function keepCurrent() {
    const tab = yasgui.getTab();
    try {
      if (tab) tab.handleYasqeBlur(tab.getYasqe());
    } catch (e) {
      // no editor yet: nothing typed to keep
    }
  }
  window.addEventListener("pagehide", keepCurrent);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") keepCurrent();
  });

  // A tab's query: through its editor when the tab has been shown, else in what YASGUI keeps of
  // it (an editor is made only when its tab is first shown); "change" has YASGUI store it.
  function follow(tab, query) {
    const kept = tab.getPersistedJson();
    try {
      tab.setQuery(query);
    } catch (e) {
      kept.yasqe.value = query;
      tab.emit("change", tab, kept);
    }
  }

  // The ready-query list above the editor selects a tab.
  for (const button of document.querySelectorAll("button.query-pick")) {
    button.addEventListener("click", () => {
      const id = tabIds[button.dataset.tab];
      if (id) yasgui.selectTabId(id);
      host.scrollIntoView({ behavior: "smooth", block: "start" });
    });
  }

  // IRIs in results point at the published base (e.g. https://w3id.org/…/id/…); open the same
  // resource on this server instead, so browsing never leaves it.
  const base = data.base;
  const local = data.localPrefix;
  function localise(a) {
    const href = a.getAttribute("href");
    if (href && base && href.startsWith(base)) {
      a.setAttribute("href", local + href.slice(base.length));
      a.removeAttribute("target");
    }
  }
  for (const type of ["mouseover", "focusin", "click"]) {
    host.addEventListener(type, (event) => {
      const a = event.target.closest && event.target.closest("a[href]");
      if (a) localise(a);
    }, true);
  }
})();
