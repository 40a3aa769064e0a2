"""The metadata table at the top of an entry page: two fields a row, and a row is never padded
with an empty header cell (screen readers announce an empty column header; axe's
empty-table-header). A row with one field spans the table."""

from __future__ import annotations

import re
from pathlib import Path

ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<(th|td)([^>]*)>(.*?)</\1>", re.S)


def _meta_rows(html: str) -> list[list[tuple[str, str, str]]]:
    table = re.search(r'<table class="gk-meta">(.*?)</table>', html, re.S)
    assert table, "no metadata table"
    return [CELL.findall(row) for row in ROW.findall(table.group(1))]


def test_every_metadata_row_has_a_named_header_and_fills_four_columns(sample_site: Path) -> None:
    pages = sorted((sample_site / "catalogue").glob("*/index.html"))
    odd = 0
    for page in pages:
        rows = _meta_rows(page.read_text(encoding="utf-8"))
        for cells in rows:
            headers = [c for c in cells if c[0] == "th"]
            assert headers and all(c[2].strip() for c in headers), (page, cells)
            assert all('scope="row"' in c[1] for c in headers), (page, cells)
            columns = sum(int(m.group(1)) if (m := re.search(r'colspan="(\d+)"', c[1])) else 1 for c in cells)
            assert columns == 4, (page, cells)
        odd += sum(1 for cells in rows if len(cells) == 2)
    assert pages and odd  # rows of one field (a wide field, or the odd last one) are checked too
