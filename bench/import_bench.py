"""How long `gongkai import` takes for N CMS rows (default 10k), CPU time beside wall time.

    python bench/import_bench.py                 # 10k rows, GBK CSV and JSON with HTML bodies
    python bench/import_bench.py --rows 1000 --work /tmp/ib

Writes two exports of N fictional records each (a GBK CSV with Chinese headers and plain
bodies, a JSON array with HTML bodies holding a table and numbered clauses), then measures,
each in a fresh child process: a first import into a new repository, a re-import of the same
export (changes nothing), and a re-import after one row changed. Bodies are ~1.5k characters.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = [
    "索引号",
    "信息名称",
    "文件编号",
    "发布机构",
    "成文日期",
    "公开日期",
    "主题分类",
    "效力状况",
    "公开方式",
    "正文",
]
AGENCIES = [("青禾市人民政府办公室", "012500002"), ("青禾市教育局", "012500003"), ("青禾市财政局", "012500004")]
TOPICS = ["综合政务\\政务公开", "科技、教育\\教育", "财政、金融、审计\\财政", "城乡建设、环境保护\\城市规划"]
SENTENCE = "为进一步做好相关工作，结合本市实际，现就有关事项通知如下。"


def plain_body(rng: random.Random) -> str:
    lines = ["第一条 " + SENTENCE * 3, "（一）" + SENTENCE * 4, "10.  附则", "1.  总则", SENTENCE * 20]
    rng.shuffle(lines)
    return "\n".join(lines)


def html_body(rng: random.Random) -> str:
    rows = "".join(f"<tr><td>项目{i}</td><td>{rng.randint(1, 999)}</td></tr>" for i in range(5))
    return (
        f"<p>第一条 {SENTENCE * 3}</p><p>10.  附则</p><p>1.  总则</p>"
        f"<table><tr><th>项目</th><th>金额</th></tr>{rows}</table><p>{SENTENCE * 20}</p>"
    )


def record(i: int, rng: random.Random) -> list[str]:
    name, code = AGENCIES[i % len(AGENCIES)]
    year = 2015 + i % 10
    day = f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}"
    return [
        f"{code}/{year}-{i:05d}",
        f"青禾市关于做好第{i}项工作的通知",
        f"青政办发〔{year}〕{i + 1}号",
        name,
        day,
        day,
        TOPICS[i % len(TOPICS)],
        "有效",
        "主动公开",
        plain_body(rng),
    ]


def write_exports(rows: int, folder: Path) -> tuple[Path, Path]:
    rng = random.Random(1)
    records = [record(i, rng) for i in range(rows)]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(records)
    csv_path = folder / "export.csv"
    csv_path.write_bytes(buf.getvalue().encode("gb18030"))
    json_path = folder / "export.json"
    items = [dict(zip(HEADER, r, strict=True)) | {"正文": html_body(rng)} for r in records]
    json_path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return csv_path, json_path


def timed(args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the child, exit status)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        print(proc.stderr[-2000:], file=sys.stderr)
    return wall, cpu, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=None)
    opts = parser.parse_args()
    work = opts.work or Path(tempfile.mkdtemp(prefix="gongkai-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = write_exports(opts.rows, work)
    print("| export | step | wall s | CPU s | exit |\n|---|---|---|---|---|")
    for export in (csv_path, json_path):
        repo = work / f"repo-{export.suffix[1:]}"
        shutil.rmtree(repo, ignore_errors=True)
        steps = [("first import", None), ("same export again", None), ("one row changed", "change")]
        for label, action in steps:
            if action == "change":
                text = export.read_bytes().decode("gb18030" if export.suffix == ".csv" else "utf-8")
                text = text.replace("青禾市关于做好第7项工作的通知", "青禾市关于做好第7项工作的通知（修订）", 1)
                export.write_bytes(text.encode("gb18030" if export.suffix == ".csv" else "utf-8"))
            wall, cpu, status = timed(["import", str(export), "--into", str(repo), "--lang", "en"])
            print(f"| {export.suffix[1:].upper()} {opts.rows} rows | {label} | {wall:.1f} | {cpu:.1f} | {status} |")
    if opts.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
