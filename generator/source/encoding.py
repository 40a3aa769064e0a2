"""Bytes to text: UTF-8 only (BOM and CRLF tolerated), with a positioned diagnostic for
any other encoding, NUL bytes, invisible control characters and overlong lines."""

from __future__ import annotations

import re

from generator.diagnostics import Diagnostic, diag
from generator.source.sourcefile import MAX_CONTROL_REPORTS, MAX_FILE_BYTES, MAX_LINE_CHARS

_BOM = b"\xef\xbb\xbf"


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Decode bytes as UTF-8 (BOM and CRLF tolerated); report anything else.

    Returns the text with ``\n`` line ends, or ``None`` and the reason. Invisible
    control characters are reported but do not stop decoding.
    """
    if len(raw) > MAX_FILE_BYTES:
        return None, [diag(path, (1, 1), "E015", size=len(raw), limit=MAX_FILE_BYTES)]
    wide = _wide_encoding(raw)
    if wide:
        return None, [diag(path, (1, 1), "E011", encoding=wide)]
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, [diag(path, (line, 1), "E002")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [diag(path, (line, col), "E001", byte=exc.start, hint=_legacy_hint(raw))]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, control_characters(path, text)


# C0 controls except tab and line feed, DEL, C1 controls, line/paragraph separators,
# a byte-order mark in mid-file, bidirectional overrides ("Trojan source") and the
# two non-characters. None belongs in a catalogue entry; all are invisible in editors.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def control_characters(path: str, text: str, first_line: int = 1) -> list[Diagnostic]:
    """E019 for the first few invisible control characters in ``text``."""
    out: list[Diagnostic] = []
    if not CONTROL_RE.search(text):
        return out
    for n, line in enumerate(text.split("\n")):
        for m in CONTROL_RE.finditer(line):
            out.append(diag(path, (first_line + n, m.start() + 1), "E019", char=f"U+{ord(m.group()):04X}"))
            if len(out) >= MAX_CONTROL_REPORTS:
                return out
    return out


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16/UTF-32, with or without a byte-order mark."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = raw[:400]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):
        # ASCII text in UTF-16 has a NUL in every other byte (UTF-32: three in four).
        return "UTF-32" if head.count(0) * 4 >= len(head) * 3 else "UTF-16"
    return None


def _legacy_hint(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return "请用 UTF-8 编码另存此文件"
    return "文件似乎是 GBK/GB18030 编码（Windows 记事本、Excel 的常见默认值），请另存为 UTF-8"


def _long_lines(path: str, lines: list[str]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for n, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            out.append(diag(path, (n, MAX_LINE_CHARS + 1), "E018", length=len(line), limit=MAX_LINE_CHARS))
    return out
