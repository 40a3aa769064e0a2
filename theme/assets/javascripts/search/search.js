/* gongkai catalogue search page (search/): form, results, facets, URL state, keyboard.
 * DOM is built with createElement/textContent only (no HTML strings, no eval), so the page
 * runs under Content-Security-Policy script-src 'self'. Engine: engine.js. */
(function () {
  "use strict";

  var PAGE_SIZE = 20;
  var filterKeys = [];  // the facet keys, from the index's facets.json once it has loaded (engine.facetKeys)
  var ready = false;
  var VALIDITY_CLASS = { "有效": "valid", "尚未生效": "pending", "已修改": "amended", "失效": "expired", "废止": "repealed" };

  var form = document.getElementById("gk-search-form");
  if (!form || !window.lunr || !window.GongkaiSearch) { return; }
  var input = document.getElementById("gk-search-q");
  var status = document.getElementById("gk-search-status");
  var list = document.getElementById("gk-search-results");
  var more = document.getElementById("gk-search-more");
  var aside = document.getElementById("gk-search-facets");
  var root = form.getAttribute("data-gk-root") || "../";
  var header = document.getElementById("gk-header-search");
  var headerInput = header ? header.querySelector("input[name=q]") : null;
  var base = root + "search/";

  var engine = window.GongkaiSearch.create({
    lunr: window.lunr,
    tokenizer: window.GongkaiTokenizer,
    load: function (path) {
      return fetch(base + path, { cache: path === "manifest.json" ? "no-cache" : "default" }).then(function (r) {
        if (!r.ok) { throw new Error(path + ": " + r.status); }
        return r.json();
      });
    }
  });

  var state = readUrl();  // the query and sort now; the filters once the facet keys are known
  var shown = PAGE_SIZE;
  var generation = 0;
  var typingTimer = null;
  // The search shown (or on its way) and its promise: the same search asked again without a
  // submit (the page's first run and a keystroke's pending one, an input event that changed
  // nothing) leaves the results as they are, and a keyboard user's focus in them.
  var current = null, currentRun = Promise.resolve();
  var refocus = null;  // data-gk-key of the control to focus once the facets are rebuilt, or "status"

  // ------------------------------------------------------------------ URL state
  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var s = { q: params.get("q") || "", filters: {}, sort: params.get("sort") === "date" ? "date" : "" };
    filterKeys.forEach(function (k) { if (params.get(k)) { s.filters[k] = params.get(k); } });
    return s;
  }

  function toUrl(s) {
    var params = new URLSearchParams();
    if (s.q) { params.set("q", s.q); }
    filterKeys.forEach(function (k) { if (s.filters[k]) { params.set(k, s.filters[k]); } });
    if (s.sort) { params.set("sort", s.sort); }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function commit(push) {
    var url = toUrl(state);
    if (url !== window.location.pathname + window.location.search) {
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    }
  }

  function hasFilters(s) { return filterKeys.some(function (k) { return !!s.filters[k]; }); }

  // ------------------------------------------------------------------ helpers
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function appendSegments(parent, segments) {
    segments.forEach(function (seg) {
      parent.appendChild(seg.mark ? el("mark", "", seg.text) : document.createTextNode(seg.text));
    });
    return parent;
  }

  function marked(tag, cls, text, terms) {
    return appendSegments(el(tag, cls), window.GongkaiSearch.highlight(text, terms, window.GongkaiTokenizer));
  }

  function setStatus(text) { status.textContent = text; }

  // ------------------------------------------------------------------ rendering
  function resultItem(doc, hit, terms) {
    var li = el("li", "gk-result");
    var h = el("h2", "gk-result__title");
    var a = el("a");
    a.href = root + doc.u;
    appendSegments(a, window.GongkaiSearch.highlight(doc.t, terms, window.GongkaiTokenizer));
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "gk-result__meta");
    if (doc.v) {
      var badge = el("span", "gk-badge gk-badge--" + (VALIDITY_CLASS[doc.v] || "other"), doc.v);
      meta.appendChild(badge);
    }
    if (doc.n) { meta.appendChild(marked("span", "gk-result__number", doc.n, terms)); }
    meta.appendChild(el("span", "gk-result__agency", doc.a));
    var time = el("time", "gk-result__date", doc.d);
    time.setAttribute("datetime", doc.d);
    meta.appendChild(time);
    meta.appendChild(el("span", "gk-result__type", doc.y));
    if (hit.exact) { meta.appendChild(el("span", "gk-result__exact", "文号/索引号完全匹配")); }
    li.appendChild(meta);
    li.appendChild(el("p", "gk-result__snippet"));  // filled in by fillSnippet once the text is in
    if (doc.o && doc.o.length) { li.appendChild(el("p", "gk-result__source", "解读：" + doc.o.join("；"))); }
    if (doc.r) { li.appendChild(el("p", "gk-result__note", "依申请公开：仅公开目录信息")); }
    return li;
  }

  function fillSnippet(li, text, terms) {
    var p = li.querySelector(".gk-result__snippet");
    var segments = window.GongkaiSearch.snippet(text.x || "", terms, window.GongkaiTokenizer) ||
      window.GongkaiSearch.snippet(text.s || "", terms, window.GongkaiTokenizer);
    if (segments) { appendSegments(p, segments); } else { p.textContent = text.s || (text.x || "").slice(0, 90); }
  }

  /*
   * Results appear in order as their docs/ files arrive (a few hundred bytes each), then the
   * snippets as their text/ files follow. Resolves once everything is in.
   */
  function renderResults(result, gen) {
    var hits = result.upTo(shown).slice(0, shown), next = 0, items = [];
    var docs = hits.map(function (h) { return engine.doc(h.i); });
    var shownInOrder = docs.map(function (promise, k) {
      return promise.then(function (doc) {
        items[k] = resultItem(doc, hits[k], result.terms);
        while (gen === generation && items[next]) {
          if (next === 0) { list.textContent = ""; more.textContent = ""; }  // the old list stays until then
          list.appendChild(items[next]);
          next++;
        }
      });
    });
    return Promise.all(shownInOrder).then(function () {
      if (gen !== generation) { return; }
      if (result.hits.length > shown) {
        var button = el("button", "md-button", "显示更多结果（还有 " + (result.hits.length - shown) + " 条）");
        button.type = "button";
        button.addEventListener("click", function () {
          var first = shown;
          shown += PAGE_SIZE;
          renderResults(result, generation).then(function () { focusResult(first); });
        });
        more.appendChild(button);
      }
      return Promise.all(hits.map(function (h, k) {
        return engine.text(h.i).then(function (text) {
          if (gen === generation) { fillSnippet(items[k], text, result.terms); }
        }, function () { /* no snippet: the result stands without one */ });
      }));
    });
  }

  function facetButton(key, value, count, pressed) {
    var button = el("button", "gk-facet__value");
    button.type = "button";
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    button.setAttribute("data-facet", key);
    button.setAttribute("data-value", value);
    button.appendChild(document.createTextNode(value + " "));
    button.appendChild(el("span", "gk-n", String(count)));
    button.setAttribute("data-gk-key", "facet:" + key + ":" + value);
    button.addEventListener("click", function () {
      if (pressed) { delete state.filters[key]; } else { state.filters[key] = value; }
      refocus = "facet:" + key + ":" + value;
      run(true);
    });
    return button;
  }

  function renderFacets(result) {
    aside.textContent = "";
    aside.appendChild(el("h2", "gk-search-facets__title", "筛选"));
    if (hasFilters(state)) {
      var clear = el("button", "gk-facet__clear", "清除全部筛选");
      clear.type = "button";
      clear.addEventListener("click", function () { state.filters = {}; refocus = "status"; run(true); });
      aside.appendChild(clear);
    }
    engine.facets.forEach(function (facet) {
      var counts = result.counts[facet.key], ul = el("ul", "gk-facet__list");
      facet.values.forEach(function (value, v) {
        var pressed = state.filters[facet.key] === value;
        if (counts[v] > 0 || pressed) {
          var li = el("li");
          li.appendChild(facetButton(facet.key, value, counts[v], pressed));
          ul.appendChild(li);
        }
      });
      if (!ul.childNodes.length) { return; }
      var section = el("section", "gk-facet");
      section.setAttribute("data-facet", facet.key);
      section.appendChild(el("h3", "gk-facet__title", facet.label));
      section.appendChild(ul);
      aside.appendChild(section);
    });
    aside.appendChild(sortControl());
    restoreFocus();
  }

  // A facet, sort or suggestion button is rebuilt by the click that pressed it: focus goes back
  // to the same control when it still exists, else to the status line (never to <body>).
  function restoreFocus() {
    if (!refocus) { return; }
    var key = refocus, target = null;
    refocus = null;
    if (key !== "status") {
      target = Array.prototype.find.call(aside.querySelectorAll("[data-gk-key]"), function (b) {
        return b.getAttribute("data-gk-key") === key;
      });
    }
    if (!target) {
      target = document.getElementById("gk-search-status");
      if (target && !target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    }
    if (target) { target.focus(); }
  }

  function sortControl() {
    var section = el("section", "gk-facet gk-facet--sort");
    section.appendChild(el("h3", "gk-facet__title", "排序"));
    var ul = el("ul", "gk-facet__list");
    [["", "按相关度"], ["date", "按发布日期"]].forEach(function (option) {
      var button = el("button", "gk-facet__value", option[1]);
      button.type = "button";
      button.setAttribute("aria-pressed", state.sort === option[0] ? "true" : "false");
      button.setAttribute("data-gk-key", "sort:" + option[0]);
      button.addEventListener("click", function () { state.sort = option[0]; refocus = "sort:" + option[0]; run(true); });
      var li = el("li");
      li.appendChild(button);
      ul.appendChild(li);
    });
    section.appendChild(ul);
    return section;
  }

  function filterLabel(key) {
    var facet = engine.facets[filterKeys.indexOf(key)];
    return (facet ? facet.label : key) + "：" + state.filters[key];
  }

  function suggestion(text, apply) {
    var li = el("li"), button = el("button", "gk-search-suggestion", text);
    button.type = "button";
    button.addEventListener("click", function () { apply(); refocus = "status"; run(true); });
    li.appendChild(button);
    return li;
  }

  function renderEmpty(result) {
    list.textContent = "";
    more.textContent = "";
    var box = el("div", "gk-search-empty");
    box.appendChild(el("p", "", "没有找到与“" + state.q + "”相关的信息" + (hasFilters(state) ? "（已应用筛选条件）" : "") + "。"));
    var ul = el("ul", "gk-search-suggestions");
    filterKeys.forEach(function (key) {
      if (!state.filters[key]) { return; }
      var without = Object.assign({}, state.filters);
      delete without[key];
      var n = engine.filter(result.all, without).length;
      ul.appendChild(suggestion("去掉筛选条件“" + filterLabel(key) + "”（" + n + " 条结果）", function () {
        delete state.filters[key];
      }));
    });
    var words = state.q.split(/\s+/).filter(Boolean);
    if (words.length > 1) {
      words.forEach(function (word) {
        ul.appendChild(suggestion("只检索“" + word + "”", function () { state.q = word; input.value = word; }));
      });
    }
    box.appendChild(ul);
    var tips = el("p", "gk-search-tips",
      "建议：减少或缩短检索词；检查错别字；文号可只输入机关代字和年份，例如“澜政办发 2024”；也可以在信息公开目录中按主题、机构和年份浏览。");
    box.appendChild(tips);
    var browse = el("a", "", "浏览信息公开目录");
    browse.href = root + "catalogue/";
    box.appendChild(browse);
    list.appendChild(el("li", "gk-search-empty-item")).appendChild(box);
  }

  function describe(result) {
    var n = result.hits.length;
    if (result.browse) { return "按筛选条件列出 " + n + " 条信息（按发布日期排序）。"; }
    return "找到 " + n + " 条与“" + state.q + "”相关的结果" + (hasFilters(state) ? "（已筛选）" : "") + "。";
  }

  // ------------------------------------------------------------------ running
  function run(push) {
    clearTimeout(typingTimer);
    if (!ready) { return Promise.resolve(); }  // the index is loading: the page runs once it has loaded
    state.q = input.value.trim();
    if (headerInput) { headerInput.value = state.q; }
    commit(push);
    var key = toUrl(state);
    if (!push && key === current) { return currentRun; }
    current = key;
    shown = PAGE_SIZE;
    var gen = ++generation;
    if (!state.q && !hasFilters(state)) {
      list.textContent = "";
      more.textContent = "";
      aside.textContent = "";
      setStatus("请输入检索词。");
      document.title = baseTitle;
      currentRun = Promise.resolve();
      return currentRun;
    }
    setStatus("正在检索……");
    currentRun = engine.search(state.q, state.filters, state.sort, PAGE_SIZE).then(function (result) {
      if (gen !== generation) { return; }
      document.title = (state.q ? state.q + " - " : "") + baseTitle;
      renderFacets(result);
      if (!result.hits.length) {
        setStatus("没有找到结果。");
        renderEmpty(result);
        return;
      }
      return renderResults(result, gen).then(function () {
        if (gen === generation) { setStatus(describe(result)); }  // announced once complete, snippets too
      });
    }).catch(function (err) {
      if (gen !== generation) { return; }
      current = null;  // a failed search is tried again when asked again
      setStatus("检索索引加载失败，请稍后重试。");
      if (window.console) { window.console.error(err); }
    });
    return currentRun;
  }

  function focusResult(k) {
    var links = list.querySelectorAll(".gk-result__title a");
    if (links[k]) { links[k].focus(); }
  }

  function onKey(event) {
    var links = Array.prototype.slice.call(list.querySelectorAll(".gk-result__title a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown") {
      if (document.activeElement === input && links.length) { focusResult(0); event.preventDefault(); }
      else if (at >= 0 && at + 1 < links.length) { focusResult(at + 1); event.preventDefault(); }
    } else if (event.key === "ArrowUp" && at >= 0) {
      if (at === 0) { input.focus(); } else { focusResult(at - 1); }
      event.preventDefault();
    } else if (event.key === "Escape" && document.activeElement === input && input.value) {
      input.value = "";
      run(true);
    }
  }

  var baseTitle = document.title;
  input.value = state.q;
  input.addEventListener("input", function () {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { run(false); }, 150);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
  document.addEventListener("keydown", onKey);
  window.addEventListener("popstate", function () {
    state = readUrl();
    input.value = state.q;
    run(false);
  });
  // The header search box drives this page in place instead of reloading it.
  if (header) {
    header.addEventListener("submit", function (event) {
      event.preventDefault();
      input.value = headerInput ? headerInput.value : "";
      run(true);
      input.focus();
    });
  }
  /*
   * The index is of another format than this engine reads (engine.js refuses it: err.stale):
   * the page was built by another release than the index, or the browser kept an old copy of
   * the page. Reload once — the page fetched anew, so that its scripts' ?v= are this
   * release's — and, if that did not help (the flag in sessionStorage names this index
   * already), ask the reader to reload later instead of showing wrong results.
   */
  var STALE_KEY = "gk-search-stale";

  function stale(err) {
    var mark = String(err.build) + "/" + String(err.format) + "/" + window.GongkaiSearch.format, seen = null;
    try { seen = window.sessionStorage.getItem(STALE_KEY); } catch (e) { seen = mark; }  // no storage: no reload
    if (seen !== mark) {
      try { window.sessionStorage.setItem(STALE_KEY, mark); } catch (e) { /* the reload happens once anyway */ }
      setStatus("检索索引已更新，正在重新加载本页……");
      fetch(window.location.href, { cache: "reload" }).catch(function () { return null; }).then(function () {
        window.location.reload();
      });
      return;
    }
    setStatus("检索索引已更新，本页的检索程序与之不匹配，暂时无法检索。请稍后重新加载本页（或清除浏览器缓存后再打开）。");
    var button = el("button", "md-button gk-search-reload", "重新加载本页");
    button.type = "button";
    button.addEventListener("click", function () { window.location.reload(); });
    more.textContent = "";
    more.appendChild(button);
  }

  engine.init().then(function () {
    try { window.sessionStorage.removeItem(STALE_KEY); } catch (e) { /* nothing to forget */ }
    filterKeys = engine.facetKeys;
    ready = true;
    state.filters = readUrl().filters;
    run(false);
  }, function (err) {
    if (err && err.stale) { stale(err); } else { setStatus("检索索引加载失败，请稍后重试。"); }
  });
})();
