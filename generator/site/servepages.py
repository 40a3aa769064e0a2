"""What ``gongkai serve`` adds to the pages it serves: the live-reload script (a file, so the
site's CSP allows it), the problems page shown before any site was built, the banner on the
last good site while the sources have errors, and the note on the search page while the full
build after a preview is running. Plain bytes and strings; no server state."""

from __future__ import annotations

import html
import time

from generator.diagnostics import HINT_WORD, Diagnostic, summary
from generator.site import engine

ASSETS = "/.gongkai/"
RELOAD_SCRIPT = ASSETS + "livereload.js"
PROBLEMS_STYLE = ASSETS + "problems.css"

# MkDocs' reload protocol (mkdocs/livereload: GET /livereload/<epoch>/<id> answers with the
# newest epoch), as a file: the epoch and request id come from the script tag's data attributes.
RELOAD_JS = """\
(function () {
  "use strict";
  var tag = document.currentScript;
  var epoch = parseFloat(tag.getAttribute("data-epoch"));
  var requestId = tag.getAttribute("data-request");
  var req, timeout;
  function poll() {
    req = new XMLHttpRequest();
    req.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    req.open("GET", "/livereload/" + epoch + "/" + requestId);
    req.send();
  }
  function stop() {
    if (req) { req.abort(); }
    if (timeout) { clearTimeout(timeout); }
    req = timeout = undefined;
  }
  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") { poll(); }
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); } else { stop(); }
  });
  window.addEventListener("beforeunload", stop);
})();
"""

PROBLEMS_CSS = """\
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem auto;
  max-width: 60rem; padding: 0 1rem; color: #1a1a1a; line-height: 1.6; }
h1 { color: #a00; font-size: 1.5rem; }
ol { padding-left: 1.5rem; }
li { margin: 0 0 1rem; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f3f3f3; padding: 0 .2em; }
.hint { display: block; color: #333; }
.warning { color: #7a4b00; }
.gk-serve-problems { position: fixed; z-index: 100; left: 0; right: 0; bottom: 0; max-height: 40vh;
  overflow: auto; margin: 0; padding: .75rem 1rem; background: #fff4f4; color: #1a1a1a;
  border-top: 3px solid #a00; font: 14px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; }
.gk-serve-problems strong { color: #a00; }
.gk-serve-problems ol { margin: .25rem 0 0; }
.gk-serve-problems li { margin: 0 0 .25rem; }
.gk-serve-pending { position: fixed; z-index: 100; left: 0; right: 0; bottom: 0; margin: 0;
  padding: .5rem 1rem; background: #fffbe6; color: #1a1a1a; border-top: 3px solid #b58900;
  font: 14px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; }
"""


def problem_items(problems: list[Diagnostic], lang: str = "zh") -> str:
    items = []
    colon = ": " if lang == "en" else "："
    for d in problems:
        hint = d.hint(lang)
        hint_html = f'<span class="hint">{HINT_WORD[lang]}{html.escape(hint)}</span>' if hint else ""
        items.append(
            f'<li class="{d.severity.value}"><code>{html.escape(d.location())}</code> '
            f"{d.severity_word(lang)}[{html.escape(d.code)}]{colon}{html.escape(d.message(lang))}{hint_html}</li>"
        )
    return f"<ol>{''.join(items)}</ol>"


def problems_page(problems: list[Diagnostic], failure: str, lang: str = "zh") -> bytes:
    """The page shown instead of a site that was never built: every problem, in Chinese (or
    English: ``gongkai serve --lang en``)."""
    en = lang == "en"
    title = "No site yet: please fix these problems" if en else "网站尚未生成：请修正以下问题"
    failed = f"<p>{'build failed: ' if en else '构建失败：'}{html.escape(failure)}</p>" if failure else ""
    listing = f"{problem_items(problems, lang)}<p>{html.escape(summary(problems, lang))}</p>" if problems else ""
    return (
        "<!doctype html>\n"
        f'<html lang="{"en" if en else "zh-CN"}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(engine.CONTENT_SECURITY_POLICY)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        '<link rel="icon" href="data:,">'
        f'<link rel="stylesheet" href="{PROBLEMS_STYLE}">'
        "</head><body><main>"
        f"<h1>{title}</h1>"
        f"<p>{'This page reloads itself once a fixed file is saved.' if en else '修正文件并保存后，本页会自动刷新。'}</p>"
        f"{failed}{listing}"
        "</main></body></html>\n"
    ).encode()


def reload_tag(epoch: int) -> bytes:
    request = round(time.monotonic() * 1000)
    return f'<script src="{RELOAD_SCRIPT}" data-epoch="{epoch}" data-request="{request}"></script>'.encode()


def banner(problems: list[Diagnostic], failure: str, lang: str = "zh") -> bytes:
    """Shown on the pages of the last good site while the sources have errors."""
    errors = sum(1 for d in problems if d.is_error)
    if lang == "en":
        head = f"{errors} error(s): this is the last good build of the site." if errors else f"build failed: {failure}"
    else:
        head = f"有 {errors} 个错误，这里显示的是上一次成功构建的网站。" if errors else f"构建失败：{failure}"
    return (
        f'<link rel="stylesheet" href="{PROBLEMS_STYLE}">'
        f'<aside class="gk-serve-problems" role="alert"><strong>{html.escape(head)}</strong>'
        f"{problem_items([d for d in problems if d.is_error], lang)}</aside>"
    ).encode()


def inject_tags(content: bytes, epoch: int, extra: bytes = b"") -> bytes:
    """``content`` with ``extra`` and the reload script tag before ``</body>`` (or at the end)."""
    at = content.rfind(b"</body>")
    at = len(content) if at < 0 else at
    return content[:at] + extra + reload_tag(epoch) + content[at:]


# What the search page says while the full build after a preview is still running.
STALE_SEARCH = {
    "zh": (
        f'<link rel="stylesheet" href="{PROBLEMS_STYLE}">'
        '<aside class="gk-serve-pending" role="status">预览：刚保存的修改已显示在其页面上；'
        "搜索索引、数据导出和订阅源正在后台重新生成，完成前搜索结果仍是修改前的内容。</aside>"
    ).encode(),
    "en": (
        f'<link rel="stylesheet" href="{PROBLEMS_STYLE}">'
        '<aside class="gk-serve-pending" role="status" lang="en">Preview: the change just saved is shown '
        "on its page; the search index, data exports and feeds are being made again in the background, "
        "and until then search results show the content before the change.</aside>"
    ).encode(),
}
