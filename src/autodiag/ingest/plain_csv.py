"""Small plain CSV exports, read many at a time.

A run of many one-site files would pay DuckDB's per-file planning and scanning many times
over. A file that holds nothing unusual (UTF-8 without BOM, every record of the header's
width, no empty line, no control character, no unnamed column) is read here: its header in
Python, as reading.py reads it, and its cells with the other files of the same header in one
DuckDB scan. Anything else goes through reading.read_export alone, which says what is wrong.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from autodiag.ingest import clean_text, csv_shape
from autodiag.ingest.columns import IDENTITY_COLUMNS, QUESTION_PATTERN, TEXT_COLUMNS, header_key
from autodiag.ingest.problems import RefusedExport
from autodiag.ingest.reading import RawExport, detect_delimiter, map_header, read_header

# Larger files are read alone: their own scan costs little beside their bytes.
PLAIN_MAX_BYTES = 1024 * 1024


def plain_header(
    path: Path, data: bytes, question_ids: set[str], known: dict | None = None
) -> tuple[RawExport, str, str] | None:
    """The header of a plain small CSV, as read_export would map it, the header record's text
    (line end included) and the text of its data records; None when the file needs
    read_export (anything unusual, or a problem or a warning to report). The shape is judged
    by csv_shape, with the same rules as read_export. ``known``: headers already mapped in
    this run (header, delimiter -> RawExport)."""
    if len(data) > PLAIN_MAX_BYTES or data.startswith((b"\xef\xbb\xbf", b"PK\x03\x04")) or not data.strip():
        return None
    if data[:1] in (b"\r", b"\n") or clean_text.control_count(data):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if clean_text.INVISIBLE.search(text):
        return None  # read_export warns about them, cell by cell
    name = str(path)
    try:
        delimiter = detect_delimiter(name, data, 0)
        header, body, _ = read_header(name, data, 0, delimiter.encode(), "utf-8")
        export = _mapped(path, header, question_ids, delimiter, {} if known is None else known)
    except RefusedExport:
        return None
    shape = csv_shape.scan_rows(data, body, delimiter.encode(), len(header), [], limit=1)
    if shape.records == 0 or shape.blank or shape.bad_rows or shape.stopped or shape.malformed:
        return None
    if any(not header_key(export.header[p]) for p in export.extra_of.values()):
        return None  # values under an unnamed column are counted by read_export
    export.rows = shape.records
    head = data[:body].decode("utf-8")
    if not head.endswith(("\n", "\r")):
        head += "\r\n"
    return export, head, data[body:].decode("utf-8")


def _mapped(path: Path, header: list[str], question_ids: set[str], delimiter: str, known: dict) -> RawExport:
    """map_header's answer for this header, computed once per distinct header of a run."""
    key = (tuple(header), delimiter)
    if key not in known:
        known[key] = map_header(str(path), header, question_ids, "csv", "utf-8", delimiter)
    template = known[key]
    name = str(path)
    return dataclasses.replace(
        template,
        name=name,
        warnings=[dataclasses.replace(w, file=name) for w in template.warnings],
        column_of=template.column_of,
        extra_of=template.extra_of,
    )


def selected_columns(export: RawExport) -> str:
    """The SELECT list from read_csv's c0..cN to the canonical layout of reading.raw_rows."""
    present = [c for c in export.column_of if QUESTION_PATTERN.fullmatch(c)]
    layout = [*IDENTITY_COLUMNS, *present, *TEXT_COLUMNS]
    return ", ".join(
        f"c{export.column_of[c]} as {c}" if c in export.column_of else f"null::varchar as {c}" for c in layout
    )


def blank_test(width: int) -> str:
    """True for a record whose every cell is empty or spaces."""
    return "coalesce(" + ", ".join(f"nullif(trim(c{i}), '')" for i in range(width)) + ") is null"
