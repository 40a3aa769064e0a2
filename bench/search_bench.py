"""Search benchmark: index build time, index bytes, bytes fetched and time to first results.

    python bench/search_bench.py --synthetic 1000         # built-in synthetic corpus
    python bench/search_bench.py PROJECT_DIR               # a gongkai repository (e.g. bench/make_corpus.py)

Builds only the search index (not the HTML site) into a temporary folder, serves it with
the search scripts on 127.0.0.1, and runs typical 2–4 word queries in headless Debian
Chromium through the real engine.js. Reports, per query, the index bytes fetched (gzip
size of each fetched file, as a compressing server would send them: shards, result
display files and snippet texts) and the times from the query to: matches scored; the
first result's display data loaded (the page shows results in order as they come);
the first 20 results' display data loaded; their snippet texts loaded too. The manifest and facets are loaded once when
the page opens and are reported separately. The load average is printed with the
figures: the machine is shared. Figures go to bench/README-search.md by hand; nothing
here is a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.config_load import load_config
from generator.model.entry import Entry
from generator.model.siteconfig import SiteConfig
from generator.search.index import write_index
from generator.site.engine import THEME_DIR, lunr_js_path

BUILD_DATE = dt.date(2026, 1, 15)
PRELOAD = ("manifest.json", "facets.json", "lengths.json")  # loaded when the page opens
EDIT = "本办法自发布之日起施行，由市人民政府办公室负责解释。"  # --edit: inserted after the first 。 of one body
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
QUERIES = [
    "政府债务管理 工作",
    "补助资金 专款专用",
    "便民服务 一次办",
    "容错纠错 机制 担当作为",
    "统计报表 报送 主管部门",
    "实施细则 通知",
]  # fmt: skip  (2–4 words, bench/make_corpus.py vocabulary)

# Sentences written for this benchmark (administrative register; no real document's text).
SENTENCES = [
    "为进一步做好政务公开工作，提升政府信息公开的质量和实效，结合本市实际，制定本办法。",
    "各级行政机关应当坚持以公开为常态、不公开为例外，依法依规做好政府信息主动公开工作。",
    "本办法所称既有住宅加装电梯，是指在已建成投入使用、未设电梯的多层住宅增设电梯。",
    "加装电梯的补助标准按照每台二十万元执行，所需资金由市、区两级财政按比例分担。",
    "市发展和改革部门负责统筹协调优化营商环境工作，定期通报各项改革措施的落实情况。",
    "各区应当建立健全最低生活保障审核确认工作机制，做到应保尽保、按标施保、动态管理。",
    "申请人对审核确认结果有异议的，可以自收到通知之日起十五日内申请复核。",
    "生态环境主管部门应当落实生态环境保护责任，加强对重点排污单位的监督检查。",
    "义务教育阶段学校招生实行免试就近入学，严禁以各类考试、竞赛成绩作为招生依据。",
    "财政部门应当加强预算绩效管理，强化预算约束，提高财政资金使用效益。",
    "住房和城乡建设部门负责本行政区域内老旧小区改造的组织实施和监督管理。",
    "人力资源和社会保障部门应当做好稳就业工作，落实各项援企稳岗政策措施。",
    "对违反本办法规定的行为，由有关主管部门责令改正；情节严重的，依法追究责任。",
    "本办法自发布之日起施行，有效期五年，原有规定与本办法不一致的，以本办法为准。",
    "各单位要高度重视，加强组织领导，明确责任分工，确保各项任务按期完成。",
    "市人民政府办公室负责本办法的解释工作，具体实施细则由各主管部门另行制定。",
    "政策解读应当与政策文件同步组织、同步审签、同步部署，回应社会关切。",
    "行政规范性文件实行统一登记、统一编号、统一印发制度，并及时向社会公开。",
    "各乡镇人民政府、街道办事处应当配合做好辖区内的政策宣传和组织实施工作。",
    "对群众反映集中的问题，有关部门应当及时核实处理，并在规定时限内予以答复。",
    "统计部门应当依法做好统计调查工作，确保统计数据真实、准确、完整、及时。",
    "政府采购应当遵循公开透明原则、公平竞争原则、公正原则和诚实信用原则。",
    "重大建设项目批准和实施信息应当在形成或者变更之日起二十个工作日内公开。",
    "应急管理部门应当完善突发事件应急预案体系，定期组织开展应急演练。",
]
TITLE_WORDS = ["政务公开", "加装电梯", "优化营商环境", "最低生活保障", "生态环境保护", "义务教育招生",
               "预算绩效管理", "老旧小区改造", "稳就业", "政府采购", "应急预案", "统计调查"]  # fmt: skip
TITLE_FORMS = ["关于做好{w}工作的通知", "关于印发{w}实施办法的通知", "关于进一步加强{w}的意见", "{w}管理办法"]
INFO_TYPES = ["行政规范性文件", "其他文件", "规划计划", "统计信息", "政府采购", "应急管理"]

CONFIG = """\
site: {name: 测试市人民政府信息公开, url: "https://www.example.gov.cn/"}
index_no: {pattern: '^(?P<prefix>[0-9A-Z]{9})/(?P<year>\\d{4})-(?P<serial>\\d{5})$', example: 000000001/2024-00001}
agencies:
"""


def synthetic_config(root: Path, agencies: int = 12) -> SiteConfig:
    lines = [f'  - {{id: a{k}, name: 测试市第{k + 1}局, code: "{k + 1:09d}"}}' for k in range(agencies)]
    (root / "site_config.yml").write_text(CONFIG + "\n".join(lines) + "\n", encoding="utf-8")
    config, diags = load_config(root)
    assert not [d for d in diags if d.is_error], diags
    return config


def synthetic_catalogue(n: int, seed: int = 1) -> Catalogue:
    """``n`` entries with 2–3k-character bodies recombined from SENTENCES."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        config = synthetic_config(Path(tmp))
    topics = [t.name for t in config.vocab.topics.top]
    entries = []
    for i in range(n):
        agency = i % len(config.agencies)
        year = 2016 + i % 10
        body, target = [], rng.randint(2000, 3000)
        while sum(map(len, body)) < target:
            body.append(rng.choice(SENTENCES))
        word = rng.choice(TITLE_WORDS)
        entries.append(Entry(
            source=f"catalogue/{i}.md", index_no=f"{agency + 1:09d}/{year}-{i:05d}",
            title=f"测试市第{agency + 1}局" + rng.choice(TITLE_FORMS).format(w=word),
            published_date=dt.date(year, 1 + i % 12, 1 + i % 28), written_date=dt.date(year, 1 + i % 12, 1),
            publisher=config.agencies[agency].id, info_type=rng.choice(INFO_TYPES), disclosure="主动公开",
            doc_number=f"测{agency + 1}发〔{year}〕{i % 300 + 1}号", topics=((rng.choice(topics), None),),
            keywords=(word,), abstract=body[0], validity=rng.choice(["有效", "有效", "废止", "失效"]),
            body="\n\n".join(body),
        ))  # fmt: skip
    return Catalogue.build(config, entries, [], [], BUILD_DATE)


def project_catalogue(root: Path) -> Catalogue:
    from generator.project import load_project

    return load_project(root, BUILD_DATE).public()


HARNESS = """<!doctype html><meta charset="utf-8"><title>bench</title>
<script src="lunr.js"></script><script src="tokenizer.js"></script><script src="engine.js"></script>
<script src="bench.js"></script>"""
HARNESS_JS = """
window.engine = GongkaiSearch.create({lunr: lunr, tokenizer: GongkaiTokenizer,
  load: function (p) { return fetch("search/" + p).then(function (r) { return r.json(); }); }});
window.timeQuery = function (q) {
  var t0 = performance.now(), marks = {};
  return engine.search(q, {}, "", 20).then(function (r) {  // as the page asks: the first page sorted first
    marks.scored = performance.now() - t0;
    var top = r.hits.slice(0, 20), docs = top.map(function (h) { return engine.doc(h.i); });
    if (docs.length) { docs[0].then(function () { marks.one = performance.now() - t0; }); }
    return Promise.all(docs).then(function () {
      marks.first = performance.now() - t0;
      return Promise.all(top.map(function (h) { return engine.text(h.i); }));
    }).then(function () {
      marks.snippets = performance.now() - t0;
      marks.hits = r.hits.length;
      return marks;
    });
  });
};
"""


def serve(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m http.server`` (HTTP/1.1, keep-alive) on a free port, in its own process so
    that it does not share a GIL with the Playwright client."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "http.server", "-p", "HTTP/1.1", "-b", "127.0.0.1", "-d", str(root), str(port)]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}/"


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def browser_figures(root: Path, runs: int, engine: Path | None = None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    shutil.copyfile(lunr_js_path(), root / "lunr.js")
    for name in ("tokenizer.js", "engine.js"):
        shutil.copyfile(THEME_DIR / "assets" / "javascripts" / "search" / name, root / name)
    if engine is not None:
        shutil.copyfile(engine, root / "engine.js")
    (root / "bench.js").write_text(HARNESS_JS, encoding="utf-8")
    (root / "index.html").write_text(HARNESS, encoding="utf-8")
    server, url = serve(root)
    out: dict[str, Any] = {"queries": [], "preload_gzip": sum(gz(root / "search" / name) for name in PRELOAD)}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for run in range(runs):
                for query in QUERIES:
                    page = browser.new_page()  # a cold cache for every query
                    fetched: list[str] = []
                    page.on("requestfinished", lambda r, f=fetched: f.append(r.url))
                    page.goto(url)
                    page.evaluate("engine.init()")
                    fetched.clear()
                    marks = page.evaluate("q => timeQuery(q)", query)
                    files = [root / u.split(url, 1)[1].split("?")[0] for u in fetched]
                    out["queries"].append({"q": query, "run": run, **marks, "files": len(files),
                                           "gzip": sum(gz(f) for f in files),
                                           "shards_gzip": sum(gz(f) for f in files if f.parent.name == "shards"),
                                           "text_gzip": sum(gz(f) for f in files if f.parent.name == "text")})  # fmt: skip
                    page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait()
    return out


def edit_figures(cat: Catalogue, root: Path, workers: int) -> None:
    """One entry edited (a sentence added to the middle entry's body), the index rebuilt from
    the clean build's state: time, and the files whose bytes differ from the clean build's."""
    entries = list(cat.entries.values())
    n = len(entries) // 2
    e = entries[n]
    cut = e.body.find("。") + 1
    entries[n] = dataclasses.replace(e, body=e.body[:cut] + EDIT + e.body[cut:])
    edited = Catalogue.build(cat.config, entries, cat.interpretations.values(), cat.pages, cat.build_date)
    print(f"edit: entry {n} ({e.index_no}), {len(EDIT)} characters added; load average {load_average()}")
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    stats = write_index(edited, root / "edited", U.item_url, workers=workers, state=root / "state",
                        previous=root / "search")  # fmt: skip
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    before, after = root / "search", root / "edited"
    names = {str(f.relative_to(before)) for f in before.rglob("*.json")} | {
        str(f.relative_to(after)) for f in after.rglob("*.json")
    }
    changed = sorted(m for m in names if not (before / m).is_file() or not (after / m).is_file()
                     or (before / m).read_bytes() != (after / m).read_bytes())  # fmt: skip
    shards = [m for m in changed if m.startswith("shards/")]
    phases = ", ".join(f"{name} {s:.1f} s" for name, s in stats.seconds.items())
    print(f"incremental index build: {wall:.1f} s, {cpu:.1f} CPU-seconds ({phases}); {stats.reused} files copied; "
          f"{len(changed)} of {len(names)} files differ from the clean build's: {len(shards)} of {stats.shards} "
          f"shard files, and {', '.join(m for m in changed if not m.startswith('shards/'))}; "
          f"load average after: {load_average()}")  # fmt: skip


def cpu_seconds() -> float:
    """User + system time of this process and its finished children (the build's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", nargs="?", type=Path, help="a gongkai repository")
    parser.add_argument("--synthetic", type=int, default=0, help="use N synthetic entries instead")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="run the queries N times (each in a fresh page)")
    parser.add_argument("--no-browser", action="store_true", help="build the index only")
    parser.add_argument("--engine", type=Path, help="another engine.js (e.g. an older one, for before/after)")
    parser.add_argument("--index", type=Path,
                        help="query an index already built (the search/ folder) instead of building one")  # fmt: skip
    parser.add_argument("--keep", type=Path,
                        help="build the index into this folder (its search/ and state/) and keep it")  # fmt: skip
    parser.add_argument("--edit", action="store_true",
                        help="then edit one entry (a sentence added) and rebuild incrementally: time and files rewritten")  # fmt: skip
    args = parser.parse_args()
    if args.index:
        with tempfile.TemporaryDirectory() as tmp:
            os.symlink(args.index.resolve(), Path(tmp) / "search")
            report(browser_figures(Path(tmp), args.runs, args.engine), Path(tmp))
        return
    started = time.perf_counter()
    cat = synthetic_catalogue(args.synthetic) if args.synthetic else project_catalogue(args.project)
    print(f"catalogue: {len(cat.entries)} entries, {len(cat.interpretations)} interpretations "
          f"({time.perf_counter() - started:.1f} s to load)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) if args.keep is None else args.keep
        root.mkdir(parents=True, exist_ok=True)
        print(f"load average before the build: {load_average()}")
        t0, cpu0 = time.perf_counter(), cpu_seconds()
        stats = write_index(cat, root / "search", U.item_url, workers=args.workers, state=root / "state")
        build, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
        phases = ", ".join(f"{name} {s:.1f} s" for name, s in stats.seconds.items())
        print(f"index build: {build:.1f} s with {args.workers} workers ({phases}); {cpu:.1f} CPU-seconds in all "
              f"processes; load average after: {load_average()}")  # fmt: skip
        print(f"  {stats.terms} terms, {stats.postings} postings")
        files = list((root / "search").rglob("*.json"))
        total_gz = sum(gz(f) for f in files)
        print(f"index size: {stats.bytes / 1e6:.1f} MB raw, {total_gz / 1e6:.1f} MB gzip, {len(files)} files, "
              f"{stats.shards} shard files")  # fmt: skip
        if args.edit:
            edit_figures(cat, root, args.workers)
        if args.no_browser:
            return
        report(browser_figures(root, args.runs, args.engine), root)


def report(figures: dict[str, Any], root: Path) -> None:
    each = ", ".join(f"{n} {gz(root / 'search' / n) / 1e3:.0f}" for n in PRELOAD)
    print(f"page-open preload: {figures['preload_gzip'] / 1e3:.0f} KB gzip ({each})")
    for q in figures["queries"]:
        print(f"  {q['q']!r}: {q['hits']} hits, scored {q['scored']:.0f} ms, first result {q['one']:.0f} ms, "
              f"first 20 {q['first']:.0f} ms, snippets {q['snippets']:.0f} ms; {q['files']} files, {q['gzip'] / 1e3:.0f} KB gzip "
              f"({q['shards_gzip'] / 1e3:.0f} KB shards, {q['text_gzip'] / 1e3:.0f} KB snippet text)")  # fmt: skip
    one = [q["one"] for q in figures["queries"]]
    first = [q["first"] for q in figures["queries"]]
    snippets = [q["snippets"] for q in figures["queries"]]
    kb = [q["gzip"] / 1e3 for q in figures["queries"]]
    print(f"first result: median {statistics.median(one):.0f} ms (max {max(one):.0f}); "
          f"first 20 results: median {statistics.median(first):.0f} ms (max {max(first):.0f}); "
          f"with snippets: median {statistics.median(snippets):.0f} ms (max {max(snippets):.0f}); "
          f"fetched: median {statistics.median(kb):.0f} KB gzip (max {max(kb):.0f}); "
          f"load average: {load_average()}")  # fmt: skip


if __name__ == "__main__":
    main()
