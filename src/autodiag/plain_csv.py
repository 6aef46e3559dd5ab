"""Small plain CSV exports, read many at a time.

A run of many one-site files would pay DuckDB's per-file planning and scanning many times
over. A file that holds nothing unusual (UTF-8 without BOM, every record of the header's
width, no empty line, no control character, no unnamed column) is read here: its header in
Python, as reading.py reads it, and its cells with the other files of the same header in one
DuckDB scan. Anything else goes through reading.read_export alone, which says what is wrong.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path

from .columns import IDENTITY_COLUMNS, QUESTION_PATTERN, TEXT_COLUMNS, header_key
from .problems import ExportError
from .reading import EMPTY_LINES, RawExport, _detect_delimiter, _first_record, _map_header

# Larger files are read alone: their own scan costs little beside their bytes.
PLAIN_MAX_BYTES = 1024 * 1024
# C0 controls other than tab and line ends, and DEL's neighbour: read_export judges them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_header(path: Path, data: bytes, question_ids: set[str], known: dict | None = None) -> tuple[RawExport, str] | None:
    """The header of a plain small CSV, as read_export would map it, and the text of its data
    records; None when the file needs read_export (anything unusual, or a problem to report).
    ``known``: headers already mapped in this run (header, delimiter -> RawExport)."""
    if len(data) > PLAIN_MAX_BYTES or data.startswith((b"\xef\xbb\xbf", b"PK\x03\x04")) or not data.strip():
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if CONTROL.search(text) or any(empty in text for empty in EMPTY_LINES) or text.startswith(("\r", "\n")):
        return None
    head = _first_record(text)
    try:
        delimiter = _detect_delimiter(str(path), head)
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
        export = _mapped(path, records[0], question_ids, delimiter, {} if known is None else known)
    except (csv.Error, ExportError, IndexError):
        return None
    width = len(records[0])
    if len(records) < 2 or any(len(fields) != width for fields in records[1:]):
        return None
    if any(not header_key(export.header[p]) for p in export.extra_of.values()):
        return None  # values under an unnamed column are counted by read_export
    export.rows = len(records) - 1  # blank records are subtracted after the scan
    return export, text[len(head):]


def _mapped(path: Path, header: list[str], question_ids: set[str], delimiter: str, known: dict) -> RawExport:
    """_map_header's answer for this header, computed once per distinct header of a run."""
    key = (tuple(header), delimiter)
    if key not in known:
        known[key] = _map_header(str(path), header, question_ids, "csv", "utf-8", delimiter)
    template = known[key]
    name = str(path)
    return dataclasses.replace(
        template, name=name, warnings=[dataclasses.replace(w, file=name) for w in template.warnings],
        column_of=template.column_of, extra_of=template.extra_of,
    )


def selected_columns(export: RawExport) -> str:
    """The SELECT list from read_csv's c0..cN to the canonical layout of reading.raw_rows."""
    present = [c for c in export.column_of if QUESTION_PATTERN.fullmatch(c)]
    layout = [*IDENTITY_COLUMNS, *present, *TEXT_COLUMNS]
    return ", ".join(f"c{export.column_of[c]} as {c}" if c in export.column_of else f"null::varchar as {c}" for c in layout)


def blank_test(width: int) -> str:
    """True for a record whose every cell is empty or spaces."""
    return "coalesce(" + ", ".join(f"nullif(trim(c{i}), '')" for i in range(width)) + ") is null"
