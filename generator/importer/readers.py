"""Readers, one per export format: each yields :class:`RawRecord` values with their positions.

* CSV — UTF-8 with or without BOM, else GB18030 (a superset of GBK/GB2312), detected;
  the delimiter (comma, tab, semicolon) sniffed; the first non-empty row is the header.
* XLSX — the first worksheet through openpyxl (the optional ``xlsx`` extra); first row header.
* JSON — an array of objects, or an object holding one (``{"data": [...]}``); each record
  is positioned at the line its object starts on.
* JSONL — one object per line.

Nothing here interprets a value: that is :mod:`generator.importer.normalise`'s job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, diag

MAX_SOURCE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Cell:
    label: str
    value: Any
    col: int  # 1-based column (CSV/XLSX) or key position (JSON)


@dataclass
class RawRecord:
    source: str  # the source path as given (for diagnostics)
    line: int  # 1-based row (CSV/XLSX) or line (JSON/JSONL)
    cells: list[Cell]


@dataclass
class SourceData:
    path: str
    format: str  # csv | xlsx | json | jsonl
    encoding: str = ""
    labels: list[str] = field(default_factory=list)  # every label seen, in order
    records: list[RawRecord] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_source(path: Path, shown: str) -> SourceData:
    """Read one export file; problems become diagnostics, never exceptions."""
    suffix = path.suffix.lower()
    fmt = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json"}.get(
        suffix, "jsonl" if suffix in (".jsonl", ".ndjson") else ""
    )
    data = SourceData(shown, fmt)
    if not fmt:
        data.diagnostics.append(diag(shown, None, "E902", file=shown))
        return data
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            data.diagnostics.append(diag(shown, None, "E901", file=shown, reason=f"文件过大（{size} 字节）"))
            return data
        raw = path.read_bytes()
    except OSError as exc:
        data.diagnostics.append(diag(shown, None, "E901", file=shown, reason=exc.strerror or str(exc)))
        return data
    if fmt == "csv":
        _read_csv(raw, data)
    elif fmt == "xlsx":
        _read_xlsx(raw, data)
    elif fmt == "json":
        _read_json(raw, data)
    else:
        _read_jsonl(raw, data)
    seen: dict[str, None] = {}
    for record in data.records:
        for cell in record.cells:
            seen.setdefault(cell.label, None)
    data.labels = list(seen)
    return data


def decode_text(raw: bytes) -> tuple[str, str]:
    """UTF-8 (BOM stripped) when it decodes, else GB18030 (GBK's superset)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" (tab-separated UTF-16)
        return raw.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030/GBK"
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), "unknown"


def _read_csv(raw: bytes, data: SourceData) -> None:
    text, data.encoding = decode_text(raw)
    if data.encoding == "unknown":
        data.diagnostics.append(
            diag(data.path, None, "E901", file=data.path, reason="既不是 UTF-8 也不是 GBK/GB18030 编码")
        )
        return
    # the delimiter the first lines use most (a title line above the labels has none)
    sample = "\n".join(text[:20000].splitlines()[:20])
    delimiter = max(",\t;", key=lambda d: (sample.count(d), d == ","))
    dialect: Any = csv.excel_tab if delimiter == "\t" else csv.excel
    if delimiter == ";":
        dialect = type("semicolon", (csv.excel,), {"delimiter": ";"})
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header: list[str] | None = None
    start = 1
    try:
        skip = _header_row(list(itertools.islice(csv.reader(io.StringIO(text, newline=""), dialect), HEADER_SCAN)))
    except csv.Error:
        skip = 0
    try:
        # positions are spreadsheet rows (what Excel or WPS shows for the file), not text
        # lines: a quoted cell may span several lines
        for line, row in enumerate(reader, start=1):
            start = line + 1
            if not any(cell.strip() for cell in row):
                continue
            if skip:  # a title line above the labels (某某市信息公开目录导出)
                skip -= 1
                continue
            if header is None:
                header = [c.strip() for c in row]
                continue
            cells = [
                Cell(header[i] if i < len(header) else f"列{i + 1}", value, i + 1)
                for i, value in enumerate(row)
                if value.strip()
            ]
            data.records.append(RawRecord(data.path, line, cells))
    except csv.Error as exc:
        data.diagnostics.append(diag(data.path, (start, 1), "E904", problem=str(exc)))
    if header is None:
        data.diagnostics.append(diag(data.path, None, "E908", file=data.path))


def _read_xlsx(raw: bytes, data: SourceData) -> None:
    try:
        import openpyxl
    except ImportError:
        data.diagnostics.append(diag(data.path, None, "E903", file=data.path))
        return
    data.encoding = "XLSX"
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        data.diagnostics.append(diag(data.path, None, "E901", file=data.path, reason=f"{type(exc).__name__}: {exc}"))
        return
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        first = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=HEADER_SCAN)
        ]
        skip = _header_row(first)
        for row_no, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = [_xlsx_value(v) for v in row]
            if not any(v not in (None, "") for v in values):
                continue
            if skip:
                skip -= 1
                continue
            if header is None:
                header = [str(v).strip() if v is not None else "" for v in values]
                continue
            cells = [
                Cell(header[i] if i < len(header) and header[i] else f"列{i + 1}", v, i + 1)
                for i, v in enumerate(values)
                if v not in (None, "")
            ]
            data.records.append(RawRecord(data.path, row_no, cells))
    finally:
        book.close()
    if header is None:
        data.diagnostics.append(diag(data.path, None, "E908", file=data.path))


HEADER_SCAN = 10


def _header_row(rows: list[list[str]]) -> int:
    """How many non-empty rows precede the label row: the first of the first rows with at
    least two labels of the built-in table (an export may open with a title line); 0 when
    none has (the first row is the header, as with a mapping file's own labels)."""
    from generator.importer.labels import builtin_target

    filled = [r for r in rows if any(str(c).strip() for c in r)]
    for i, row in enumerate(filled):
        if sum(1 for c in row if str(c).strip() and builtin_target(str(c))) >= 2:
            return i
    return 0


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def _record_from(obj: Any, path: str, line: int, data: SourceData) -> None:
    if not isinstance(obj, dict):
        data.diagnostics.append(diag(path, (line, 1), "E904", problem="每条记录应为一个 JSON 对象"))
        return
    cells = [Cell(str(k), v, i) for i, (k, v) in enumerate(obj.items(), start=1) if v not in (None, "", [])]
    data.records.append(RawRecord(path, line, cells))


def _read_jsonl(raw: bytes, data: SourceData) -> None:
    text, data.encoding = decode_text(raw)
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            data.diagnostics.append(diag(data.path, (n, exc.colno), "E904", problem=exc.msg))
            continue
        _record_from(obj, data.path, n, data)


def _read_json(raw: bytes, data: SourceData) -> None:
    text, data.encoding = decode_text(raw)
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        data.diagnostics.append(diag(data.path, (exc.lineno, exc.colno), "E904", problem=exc.msg))
        return
    start = 0
    if isinstance(whole, dict):
        key = next((k for k, v in whole.items() if isinstance(v, list) and v and isinstance(v[0], dict)), None)
        if key is None:
            _record_from(whole, data.path, 1, data)
            return
        try:
            start = _array_start(text, key)
        except (ValueError, IndexError):
            start = 0
        whole = whole[key]
    if not isinstance(whole, list):
        data.diagnostics.append(diag(data.path, (1, 1), "E904", problem="应为对象数组"))
        return
    try:
        lines = list(_object_lines(text, start))
    except (ValueError, IndexError):
        lines = []
    if len(lines) != len(whole):
        lines = [1] * len(whole)  # positions unknown: each record at line 1 rather than a wrong line
    for line, obj in zip(lines, whole, strict=True):
        _record_from(obj, data.path, line, data)


def _array_start(text: str, key: str) -> int:
    """Offset of the ``[`` that opens ``key``'s array (the top level's first such key)."""
    decoder = json.JSONDecoder()
    i = text.index("{") + 1
    while i < len(text):
        while text[i] in " \t\r\n,":
            i += 1
        name, i = decoder.raw_decode(text, i)
        while text[i] in " \t\r\n:":
            i += 1
        if name == key:
            return i
        _, i = decoder.raw_decode(text, i)
    return 0


def _object_lines(text: str, start: int) -> Iterator[int]:
    """The 1-based line each element of the array opening at ``start`` begins on."""
    decoder = json.JSONDecoder()
    i = text.index("[", start) + 1
    line, counted = 1, 0
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "]":
            return
        line += text.count("\n", counted, i)
        counted = i
        yield line
        _, i = decoder.raw_decode(text, i)
