"""Write a valid gongkai repository of N catalogue entries for benchmarks.

    python bench/make_corpus.py N OUT [--seed S] [--realdata DIR]

The repository has a ``site_config.yml`` with 16 fictional agencies (青禾市),
``catalogue/`` with N entries spread over ten years, ``content/interpretations/``
with about N/10 政策解读 (every 规章 and 行政规范性文件 is interpreted), and a
公开指南 page. Entries carry realistic 索引号 (agency code / year / serial, unique
per agency and year, allocated in date order), 文号 (〔〕 form, 令号 for 规章), topics
from the default 22-class tree, 规章 and 行政规范性文件 with validity histories
(repeals, amendments and replacements with their relations, expiries), some
依申请公开 entries, drafts and CSV attachments.

Bodies of 1–5k characters are recombined sentence by sentence from
:mod:`bench.corpus_text` (text the project owns), or, with ``--realdata``, from the
sentences of ``policies.jsonl`` / ``interpretations.jsonl`` in DIR, read at run
time and written only into OUT.

The output is a pure function of (N, seed, text source): the same arguments
give byte-identical files. ``gongkai check OUT`` reports no errors or warnings
for any build date after the corpus' last date (2025-12-31).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import math
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus_text as T

FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)

# info type -> weight (per mille); normative types are ~6 % of the catalogue
TYPE_WEIGHTS: list[tuple[str, int]] = [
    ("规章", 4),
    ("行政规范性文件", 56),
    ("其他文件", 380),
    ("规划计划", 40),
    ("统计信息", 110),
    ("财政预决算", 50),
    ("行政许可", 80),
    ("行政处罚", 90),
    ("政府采购", 60),
    ("重大建设项目", 30),
    ("应急管理", 40),
    ("人事信息", 40),
    ("公开年报", 20),
]
NORMATIVE = ("规章", "行政规范性文件")
TYPE_TOPIC = {
    "财政预决算": "财政、金融、审计\\财政",
    "公开年报": "综合政务\\政务公开",
    "人事信息": "劳动、人事、监察\\人事工作",
    "政府采购": "财政、金融、审计\\财政",
}
CN_DIGITS = "零一二三四五六七八九"


def cn_number(k: int) -> str:
    """1..99 in Chinese numerals (一, 十, 十一, 二十一)."""
    tens, ones = divmod(k, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


@dataclass
class Agency:
    id: str
    name: str
    code: str
    abbr: str
    topics: list[str]
    subjects: list[str]

    @property
    def short(self) -> str:
        """The agency's short domain word (教育, 民政 …) used in template sentences."""
        name = self.name.removeprefix(T.CITY)
        for suffix in ("委员会", "局", "人民政府办公室", "人民政府"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        return name or "政府"


@dataclass
class Event:
    date: dt.date
    status: str
    by: str | None = None
    note: str | None = None


@dataclass
class Doc:
    n: int
    kind: str  # entry | interpretation
    agency: Agency
    published: dt.date
    info_type: str = ""
    subject: str = ""
    title: str = ""
    written: dt.date | None = None
    effective: dt.date | None = None
    doc_number: str | None = None
    disclosure: str = "主动公开"
    topics: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    history: list[Event] = field(default_factory=list)
    relations: dict[str, list[str]] = field(default_factory=dict)
    expires: dt.date | None = None
    draft: bool = False
    attachment: bool = False
    targets: list[Doc] = field(default_factory=list)  # interpretations: the documents interpreted
    interpreted: bool = False
    form: str = ""
    index_no: str = ""
    path: str = ""
    changes: int = 0  # relations this document already acts on

    @property
    def validity(self) -> str | None:
        return self.history[-1].status if self.history else None


class Text:
    """Sentence pools: the project's own templates, or real sentences read at run time."""

    def __init__(self, realdata: Path | None) -> None:
        self.real: list[str] = []
        if realdata is not None:
            self.real = load_real_sentences(realdata)
            if not self.real:
                raise SystemExit(f"no usable sentences in {realdata}")

    def pool(self, own: Sequence[str]) -> Sequence[str]:
        return self.real or own


def load_real_sentences(folder: Path) -> list[str]:
    sentences: list[str] = []
    for name in ("policies.jsonl", "interpretations.jsonl"):
        path = folder / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            body = (json.loads(line).get("body") or "") if line.strip() else ""
            for part in re.split(r"(?<=[。！？])|\n", body):
                part = part.strip()
                if 12 <= len(part) <= 160 and part.endswith("。") and not re.search(r"https?:|打印|关闭|分享", part):
                    sentences.append(part.replace("{", "（").replace("}", "）"))
    return sentences


class Corpus:
    def __init__(self, n: int, seed: int, text: Text) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.text = text
        self.agencies = [Agency(*row) for row in T.AGENCIES]
        self.entries: list[Doc] = []
        self.interps: list[Doc] = []
        self.doc_counters: dict[tuple[str, int], int] = {}
        self.order_no = 0

    # ------------------------------------------------------------------ plan
    def plan(self) -> None:
        rng = self.rng
        types = [t for t, _ in TYPE_WEIGHTS]
        weights = [w for _, w in TYPE_WEIGHTS]
        agency_weights = [4 if a.id in ("szf", "szfb") else 2 for a in self.agencies]
        normative_weights = [8 if a.id in ("szf", "szfb") else 1 for a in self.agencies]
        span = (LAST_DAY - FIRST_DAY).days
        for i in range(self.n):
            info_type = rng.choices(types, weights)[0]
            if info_type == "规章":
                agency = self.agencies[0]
            elif info_type == "行政规范性文件":
                agency = rng.choices(self.agencies, normative_weights)[0]
            else:
                agency = rng.choices(self.agencies, agency_weights)[0]
            published = FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))
            self.entries.append(Doc(i, "entry", agency, published, info_type=info_type))
        self.entries.sort(key=lambda d: (d.published, d.n))
        for doc in self.entries:
            self.describe(doc)
        self.validity()
        self.interpretations()
        self.allocate_index_numbers()

    def describe(self, doc: Doc) -> None:
        rng, ag, year = self.rng, doc.agency, doc.published.year
        doc.subject = rng.choice(ag.subjects)
        slots = {
            "city": T.CITY,
            "agency": ag.name,
            "subject": doc.subject,
            "year": year,
            "year2": year + 2,
            "year5": year + 4,
            "month": doc.published.month,
            "quarter": (doc.published.month - 1) // 3 + 1,
            "n": rng.randint(1, 60),
            "abbr": ag.abbr,
        }
        doc.title = rng.choice(T.TITLES[doc.info_type]).format(**slots)
        doc.written = doc.published - dt.timedelta(days=rng.choice((0, 1, 2, 3, 5, 7, 10, 14)))
        if doc.written.year != doc.published.year and doc.written < FIRST_DAY:
            doc.written = doc.published
        if doc.info_type == "规章":
            self.order_no += 1
            doc.doc_number = f"{T.CITY}人民政府令第{self.order_no}号"
        elif doc.info_type == "行政规范性文件":
            doc.doc_number = self.number(ag.abbr + "规", year)
        elif doc.info_type in ("其他文件", "应急管理") and rng.random() < 0.8:
            kind = "函" if doc.title.endswith("函") else ("办发" if ag.id == "szfb" else "发")
            doc.doc_number = self.number(ag.abbr + kind, year)
        elif doc.info_type == "行政处罚" and "决定书" in doc.title:
            doc.doc_number = self.number(ag.abbr + "罚", year)
            doc.title = re.sub(r"（.*?〔\d{4}〕\d+号）", f"（{doc.doc_number}）", doc.title)
        topic = TYPE_TOPIC.get(doc.info_type) or rng.choice(ag.topics)
        doc.topics = [topic]
        if rng.random() < 0.2:
            other = rng.choice(rng.choice(self.agencies).topics)
            if other != topic:
                doc.topics.append(other)
        doc.keywords = [doc.subject, *rng.sample(T.KEYWORDS_EXTRA, rng.randint(1, 3))]
        if doc.info_type in NORMATIVE:
            delay = rng.choice((0, 0, 15, 30, 60))
            doc.effective = doc.published + dt.timedelta(days=delay)
            if delay:
                doc.history = [Event(doc.published, "尚未生效"), Event(doc.effective, "有效")]
            else:
                doc.history = [Event(doc.published, "有效")]
        else:
            roll = rng.random()
            if roll < 0.03:
                doc.disclosure = "依申请公开"
            elif roll < 0.033 and doc.info_type == "其他文件":
                doc.draft = True
            elif doc.info_type in ("统计信息", "财政预决算") and roll < 0.1:
                doc.attachment = True

    def number(self, prefix: str, year: int) -> str:
        key = (prefix, year)
        self.doc_counters[key] = self.doc_counters.get(key, 0) + 1
        return f"{prefix}〔{year}〕{self.doc_counters[key]}号"

    # -------------------------------------------------------------- validity
    def validity(self) -> None:
        """Repeal, amend or replace some normative documents by later ones; let others expire.

        The successor is a later normative document of the same agency or, as in
        a city-wide clean-up of documents, of the city government or its office.
        """
        rng = self.rng
        normative = [d for d in self.entries if d.info_type in NORMATIVE]
        pools: dict[str, list[Doc]] = {}
        for doc in normative:
            pools.setdefault(doc.agency.id, []).append(doc)
        pools["*"] = [d for d in normative if d.agency.id in ("szf", "szfb")]
        days = {key: [d.published for d in docs] for key, docs in pools.items()}
        for old in normative:
            if rng.random() < 0.3:
                for key in (old.agency.id, "*"):
                    if self.supersede(old, pools[key], days[key]):
                        break
            if old.validity == "有效" and old.info_type == "行政规范性文件" and rng.random() < 0.4:
                assert old.effective is not None
                years = rng.choice((2, 3, 5))
                end = old.effective + dt.timedelta(days=365 * years + years // 4)
                # Only expiries already past at the corpus' end are written: a future
                # expiry would make the corpus fail `check` once that day has come.
                if end < LAST_DAY:
                    old.expires = end
                    old.history.append(Event(end + dt.timedelta(days=1), "失效", note="有效期届满"))

    def supersede(self, old: Doc, docs: list[Doc], days: list[dt.date]) -> bool:
        rng = self.rng
        done = False
        for _ in range(2):
            last = old.history[-1].date
            start = bisect.bisect_left(days, last + dt.timedelta(days=180))
            candidates = [d for d in docs[start : start + 40] if d.changes < 2 and d is not old]
            if not candidates:
                return done
            new = rng.choice(candidates)
            assert new.effective is not None
            action = rng.choices(("repeals", "amends", "replaces"), (5, 3, 2))[0]
            if old.validity == "已修改" and action == "amends":
                action = "repeals"
            status = {"repeals": "废止", "amends": "已修改", "replaces": "失效"}[action]
            verb = {"repeals": "废止", "amends": "修改", "replaces": "替代"}[action]
            new.relations.setdefault(action, []).append(str(old.n))  # resolved to 索引号 later
            new.changes += 1
            old.history.append(Event(new.effective, status, by=str(new.n), note=f"被《{short_title(new)}》{verb}"))
            done = True
            if status != "已修改" or rng.random() < 0.7:
                return done
        return done

    # -------------------------------------------------------- interpretations
    def interpretations(self) -> None:
        rng = self.rng
        want = max(1, round(self.n / 10)) if self.n >= 5 else 0
        targets = [d for d in self.entries if d.info_type in NORMATIVE]
        others = [
            d for d in self.entries if d.info_type not in NORMATIVE and d.disclosure == "主动公开" and not d.draft
        ]
        extra = max(0, want - len(targets))
        targets += rng.sample(others, min(extra, len(others)))
        targets.sort(key=lambda d: (d.published, d.n))
        for k, doc in enumerate(targets):
            form = rng.choice(T.INTERP_FORMS)
            published = doc.published + dt.timedelta(days=rng.choice((0, 0, 1, 2, 3)))
            interp = Doc(self.n + k, "interpretation", doc.agency, published, subject=doc.subject, form=form)
            interp.targets = [doc]
            interp.topics = list(doc.topics)
            interp.keywords = [doc.subject, "政策解读"]
            tpl = {"文字": 0, "图解": 1, "问答": 2, "新闻发布会": 3, "专家解读": 4}[form]
            interp.title = T.INTERP_TITLES[tpl].format(doc=short_title(doc), agency=doc.agency.name)
            doc.interpreted = True
            self.interps.append(interp)

    # -------------------------------------------------------------- 索引号
    def allocate_index_numbers(self) -> None:
        serials: dict[tuple[str, int], int] = {}
        items = sorted([*self.entries, *self.interps], key=lambda d: (d.published, d.kind, d.n))
        for doc in items:
            key = (doc.agency.id, doc.published.year)
            serials[key] = serials.get(key, 0) + 1
            if serials[key] > 99999:
                raise SystemExit(f"more than 99999 items for {key}: the 索引号 serial has five digits")
            doc.index_no = f"{doc.agency.code}/{doc.published.year}-{serials[key]:05d}"
            base = "catalogue" if doc.kind == "entry" else "content/interpretations"
            doc.path = f"{base}/{doc.published.year}/{doc.agency.id}-{doc.published.year}-{serials[key]:05d}.md"
        by_n = {d.n: d.index_no for d in self.entries}
        for doc in self.entries:
            doc.relations = {k: [by_n[int(x)] for x in v] for k, v in doc.relations.items()}
            for ev in doc.history:
                if ev.by is not None:
                    ev.by = by_n[int(ev.by)]

    # ------------------------------------------------------------------ write
    def write(self, out: Path) -> dict[str, int]:
        out.mkdir(parents=True, exist_ok=True)
        (out / "site_config.yml").write_text(self.site_config(), encoding="utf-8")
        guide = out / "content" / "pages" / "guide.md"
        guide.parent.mkdir(parents=True, exist_ok=True)
        guide.write_text(f"---\ntitle: {T.CITY}人民政府信息公开指南\nnav_order: 1\n---\n{T.GUIDE}", encoding="utf-8")
        folders: set[Path] = set()
        chars = 0
        for doc in [*self.entries, *self.interps]:
            path = out / doc.path
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            body = self.body(doc)
            chars += len(body)
            front = self.front_matter(doc, out)
            path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        return {"entries": len(self.entries), "interpretations": len(self.interps), "body_chars": chars}

    def site_config(self) -> str:
        lines = [
            "# Benchmark corpus written by bench/make_corpus.py (fictional city; not real data).",
            "site:",
            f"  name: {T.CITY}人民政府信息公开",
            f"  short_name: {T.CITY}政府信息公开",
            "  url: https://xxgk.qinghe.example.cn/",
            "  language: zh",
            f"  description: {T.CITY}人民政府信息公开平台（基准测试语料）",
            "footer:",
            f"  sponsor: {T.CITY}人民政府办公室",
            f"  contact: {T.CITY}人民政府办公室政务公开科 0579-80000000",
            '  site_id_code: "3307000001"',
            "index_no:",
            "  pattern: '^(?P<prefix>[0-9A-Z]{9})/(?P<year>\\d{4})-(?P<serial>\\d{5})$'",
            "  example: 007100002/2024-00001",
            "agencies:",
        ]
        for ag in self.agencies:
            lines += [f"  - id: {ag.id}", f"    name: {ag.name}", f'    code: "{ag.code}"']
        lines += ["listing:", "  page_size: 50"]
        # The corpus states every validity period in ``expires`` and places its 公开年报 at
        # random: no assumed 5-year period, no missing-report findings before its last year.
        lines += [
            "deadlines:",
            "  validity_years: 0",
            "  provisional_years: 0",
            f"  annual_report_since: {LAST_DAY.year + 1}",
            "",
        ]
        return "\n".join(lines)

    def front_matter(self, doc: Doc, out: Path) -> str:
        rng = self.rng
        ag = doc.agency
        lines = [f"index_no: {doc.index_no}", f"title: {q(doc.title)}"]
        if doc.kind == "interpretation":
            lines += [
                f"interprets: [{', '.join(t.index_no for t in doc.targets)}]",
                f"form: {doc.form}",
                f"interpreter_org: {ag.id}",
                f"contact: {q(ag.name + '办公室 0579-8' + str(rng.randint(1000000, 9999999)))}",
                f"published_date: {doc.published.isoformat()}",
                f"topics: [{', '.join(q(t) for t in doc.topics)}]",
                f"keywords: [{', '.join(q(k) for k in doc.keywords)}]",
            ]
            return "\n".join(lines) + "\n"
        lines += [f"publisher: {ag.id}", f"issuers: [{ag.id}]"]
        if doc.doc_number:
            lines.append(f"doc_number: {q(doc.doc_number)}")
        assert doc.written is not None
        lines += [f"written_date: {doc.written.isoformat()}", f"published_date: {doc.published.isoformat()}"]
        if doc.effective:
            lines.append(f"effective_date: {doc.effective.isoformat()}")
        if doc.expires:
            lines.append(f"expires: {doc.expires.isoformat()}")
        genre = next((g for suffix, g in T.GENRE_BY_SUFFIX if doc.title.endswith(suffix)), None)
        if doc.info_type == "规章":
            genre = "命令"
        if genre:
            lines.append(f"genre: {genre}")
        lines += [
            f"info_type: {doc.info_type}",
            f"topics: [{', '.join(q(t) for t in doc.topics)}]",
            f"keywords: [{', '.join(q(k) for k in doc.keywords)}]",
            f"abstract: {q(rng.choice(T.ABSTRACTS[abstract_kind(doc)]).format(subject=doc.subject, year=doc.published.year))}",
        ]
        if doc.history:
            lines += [f"validity: {doc.validity}", "validity_history:"]
            for ev in doc.history:
                extra = (f", by: {ev.by}" if ev.by else "") + (f", note: {q(ev.note)}" if ev.note else "")
                lines.append(f"  - {{date: {ev.date.isoformat()}, status: {ev.status}{extra}}}")
        if doc.relations:
            lines.append("relations:")
            for rel in sorted(doc.relations):
                lines.append(f"  {rel}: [{', '.join(doc.relations[rel])}]")
        lines += [
            f"disclosure: {doc.disclosure}",
            f"scope: {'面向社会' if doc.disclosure == '主动公开' else '面向特定群体'}",
            "period: 长期公开",
            "channel: [网站, 政府公报]" if doc.info_type in NORMATIVE else "channel: [网站]",
            f"procedure: {q(rng.choice(T.PROCEDURES).format(agency=ag.name))}",
        ]
        if doc.attachment:
            name = Path(doc.path).stem + ".csv"
            data = self.attachment_csv(doc)
            target = out / "catalogue" / "files" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            lines += [
                "attachments:",
                f"  - {{title: {q(doc.title + '（数据表）')}, file: files/{name}, "
                f"sha256: {hashlib.sha256(data).hexdigest()}}}",
            ]
        if doc.draft:
            lines.append("draft: true")
        return "\n".join(lines) + "\n"

    def attachment_csv(self, doc: Doc) -> bytes:
        rows = ["指标,本期,上年同期"]
        for label in T.TABLE_ROWS:
            rows.append(f"{label},{self.rng.randint(10, 9999)},{self.rng.randint(10, 9999)}")
        return ("\ufeff" + "\n".join(rows) + "\n").encode("utf-8")

    # ------------------------------------------------------------------ bodies
    def slots(self, doc: Doc) -> dict[str, object]:
        rng = self.rng
        year = doc.published.year
        n = rng.randint(5, 900)
        return {
            "city": T.CITY,
            "agency": doc.agency.name,
            "short": doc.agency.short,
            "subject": doc.subject,
            "year": year,
            "year2": year + 2,
            "month": rng.randint(1, 12),
            "day": rng.randint(1, 28),
            "n": n,
            "n2": n + rng.randint(1, 500),
            "m": rng.randint(2, 9),
            "pct": rng.randint(60, 99),
            "tel": rng.randint(80000000, 89999999),
            "dept": rng.choice(self.agencies).name,
        }

    def sentence(self, pool: Sequence[str], doc: Doc) -> str:
        return self.rng.choice(self.text.pool(pool)).format(**self.slots(doc))

    def paragraph(self, pool: Sequence[str], doc: Doc, lo: int = 2, hi: int = 5) -> str:
        return "".join(self.sentence(pool, doc) for _ in range(self.rng.randint(lo, hi)))

    def body(self, doc: Doc) -> str:
        rng = self.rng
        if doc.kind == "interpretation":
            target = int(math.exp(rng.uniform(math.log(1000), math.log(3000))))
        else:
            target = int(math.exp(rng.uniform(math.log(1000), math.log(5000))))
        parts: list[str] = []
        size = 0

        def add(text: str) -> None:
            nonlocal size
            parts.append(text)
            size += len(text)

        if doc.kind == "interpretation":
            qa = doc.form == "问答"
            k = 0
            while size < target:
                k += 1
                if qa:
                    add(f"## 问{cn_number(k)}：{T.INTERP_QUESTIONS[(k - 1) % len(T.INTERP_QUESTIONS)]}")
                    add("答：" + self.paragraph(T.INTERP_SENTENCES, doc))
                else:
                    add(f"## {cn_number(k)}、{T.INTERP_HEADINGS[(k - 1) % len(T.INTERP_HEADINGS)]}")
                    for _ in range(rng.randint(1, 3)):
                        add(self.paragraph(T.INTERP_SENTENCES, doc))
            return "\n\n".join(parts) + "\n"
        if doc.info_type == "规章":
            add(
                f"## {T.CITY}人民政府令（{doc.doc_number.removeprefix(T.CITY + '人民政府令') if doc.doc_number else ''}）"
            )
            add(f"《{doc.title}》已经市人民政府常务会议审议通过，现予公布，自施行之日起施行。")
            add(f"## {doc.title}")
            add(f"**第一条**　{self.sentence(T.PREAMBLES['regulation'], doc)}")
            k = 1
            while size < target:
                k += 1
                add(f"**第{cn_number(k)}条**　{self.paragraph(T.ARTICLES, doc, 1, 3)}")
            return "\n\n".join(parts) + "\n"
        if doc.info_type in ("其他文件", "行政规范性文件", "应急管理", "规划计划"):
            add(rng.choice(T.ADDRESSEES).format(short=doc.agency.short))
        add(self.sentence(T.PREAMBLES[preamble_kind(doc)], doc))
        tables = doc.info_type in ("统计信息", "财政预决算", "公开年报", "重大建设项目")
        k = 0
        while size < target:
            k += 1
            add(f"## {cn_number(k)}、{T.SECTION_HEADINGS[(k - 1) % len(T.SECTION_HEADINGS)]}")
            if tables and k % 2 == 1:
                add(self.table(doc))
            pool = T.STAT_SENTENCES if tables else T.MEASURES
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.15:
                    add("\n".join(f"{j}. {self.sentence(T.MEASURES, doc)}" for j in range(1, rng.randint(3, 5))))
                else:
                    add(self.paragraph(pool, doc))
        add(self.sentence(T.CLOSINGS, doc))
        add(f"{doc.agency.name}\n\n{cn_date(doc.written or doc.published)}")
        return "\n\n".join(parts) + "\n"

    def table(self, doc: Doc) -> str:
        rng = self.rng
        rows = ["| 指标 | 本期 | 上年同期 | 增减（%） |", "| --- | ---: | ---: | ---: |"]
        for label in rng.sample(T.TABLE_ROWS, rng.randint(3, len(T.TABLE_ROWS))):
            a, b = rng.randint(10, 99999), rng.randint(10, 99999)
            rows.append(f"| {label} | {a} | {b} | {(a - b) * 100 / b:.1f} |")
        return "\n".join(rows)


def preamble_kind(doc: Doc) -> str:
    if doc.title.endswith("复函"):
        return "reply"
    if doc.info_type == "公开年报":
        return "report"
    if doc.info_type == "规划计划" or doc.title.endswith("预案"):
        return "plan"
    if doc.title.endswith("意见"):
        return "opinion"
    if doc.info_type == "行政规范性文件" and not doc.title.endswith("通知"):
        return "rules"
    if doc.info_type in ("其他文件", "行政规范性文件", "应急管理"):
        return "notice"
    return "data"


def abstract_kind(doc: Doc) -> str:
    if doc.info_type in NORMATIVE:
        return "rule"
    if doc.info_type in ("其他文件", "应急管理", "规划计划"):
        return "work"
    return "data"


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def short_title(doc: Doc) -> str:
    m = re.search(r"《(.+?)》", doc.title)
    return m.group(1) if m else doc.title


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9][^:#,\[\]{}\"']*$")


def q(text: str) -> str:
    """A YAML scalar: plain when unambiguous, else double-quoted (JSON is valid YAML)."""
    if _PLAIN.match(text) and not text.endswith(" ") and text.lower() not in ("null", "true", "false", "yes", "no"):
        return text
    return json.dumps(text, ensure_ascii=False)


def generate(n: int, out: Path, seed: int = 1, realdata: Path | None = None) -> dict[str, int]:
    corpus = Corpus(n, seed, Text(realdata))
    corpus.plan()
    return corpus.write(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of catalogue entries")
    parser.add_argument("out", type=Path, help="folder to write (must be empty or absent)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--realdata",
        type=Path,
        nargs="?",
        const=Path(__file__).resolve().parents[2] / "shared" / "realdata",
        default=None,
        help="recombine sentences of DIR/*.jsonl (default ../shared/realdata) instead of bench/corpus_text.py",
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    if args.realdata is not None and not args.realdata.is_dir():
        parser.error(f"{args.realdata} not found")
    stats = generate(args.n, args.out, args.seed, args.realdata)
    print(
        f"wrote {stats['entries']} entries and {stats['interpretations']} interpretations "
        f"({stats['body_chars']:,} body characters) to {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
