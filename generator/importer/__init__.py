"""``gongkai import``: CMS exports (CSV, XLSX, JSON, JSONL) → canonical catalogue files.

readers (one per format) → labels (the data table of labels real catalogues print,
overridable by a mapping file) → normalise (dates, topics, vocabulary aliases,
identifiers, agencies) → html (HTML → Markdown bodies, escaped) → writer (canonical
front matter through :mod:`generator.audit.fmt`, re-import identity). Domain only: no
site import. Problems are ordinary :class:`~generator.diagnostics.Diagnostic`
values positioned at the source row and column (or JSON line).
"""
