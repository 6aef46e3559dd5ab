"""Building answer exports for tests, in every shape the contract allows."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import xlsxwriter

from autodiag.demo.generator import load_seed_row


def seed_row() -> dict[str, str]:
    """The real STR-24 2024 submission (data/seed), as header -> cell text; a new dict each call.
    Read by autodiag.demo.generator.load_seed_row, the one reader of the seed row."""
    return load_seed_row()


def write_csv(
    path: Path, rows: list[dict], *, sep: str = ";", encoding: str = "utf-8", header: list[str] | None = None
) -> Path:
    header = header or list(rows[0])
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=sep, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def write_xlsx(path: Path, rows: Sequence[Mapping | Sequence], *, header: list[str] | None = None) -> Path:
    """Cells that look like numbers or dates are written as numbers / dates, like Excel would.
    A row is a dict (header -> value; header defaults to the first row's keys) or a list of
    values in header order (then the header, written as given, is required)."""
    header = header or list(rows[0])
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Export")
    date_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    for col, name in enumerate(header):
        sheet.write_string(0, col, name)
    for r, row in enumerate(rows, start=1):
        values = [row.get(name, "") for name in header] if isinstance(row, Mapping) else row
        for col, value in enumerate(values):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, col, value, date_format)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, col, value)
            elif value != "":
                sheet.write_string(r, col, value)
    book.close()
    return path
