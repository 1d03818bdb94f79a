// The query console: YASGUI (from /static/vendor/, never a CDN) pointed at our endpoint, one tab
// per query of the library (queries/*.rq), listed in the page's #console-data JSON.
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

  const yasgui = new Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    autoAddOnInit: false,
    persistenceId: null, // the tabs come from the library each time, not from localStorage
    populateFromUrl: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    yasr: { defaultPlugin: "table" },
  });

  const tabIds = {};
  const queries = data.queries.length
    ? data.queries
    : [{ name: "query", question: "", query: data.fallback }];
  for (const q of queries) {
    const id = "q-" + q.name.replace(/[^A-Za-z0-9_-]/g, "-");
    if (yasgui.getTab(id)) continue;
    // the first tab is shown unless the URL already opened one (a shared link)
    yasgui.addTab(!yasgui.getTab(), {
      id: id,
      name: q.name,
      yasqe: { value: q.query },
      requestConfig: { endpoint: endpoint, method: "POST" },
    });
    tabIds[q.name] = id;
  }
  window.plangraphConsole = yasgui;

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
