"""Building answer exports for tests, in every shape the contract allows."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import xlsxwriter

from autodiag.paths import SEED_EXPORT


def seed_row() -> dict[str, str]:
    """The real STR-24 2024 submission (data/seed), as header -> cell text."""
    with SEED_EXPORT.open(encoding="utf-8", newline="") as f:
        return next(csv.DictReader(f, delimiter=";"))


def write_csv(path: Path, rows: list[dict], *, sep: str = ";", encoding: str = "utf-8", header: list[str] | None = None) -> Path:
    header = header or list(rows[0])
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=sep, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def write_xlsx(path: Path, rows: list[dict], *, header: list[str] | None = None) -> Path:
    """Cells that look like numbers or dates are written as numbers / dates, like Excel would."""
    header = header or list(rows[0])
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Export")
    date_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    for col, name in enumerate(header):
        sheet.write_string(0, col, name)
    for r, row in enumerate(rows, start=1):
        for col, name in enumerate(header):
            value = row.get(name, "")
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, col, value, date_format)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, col, value)
            elif value != "":
                sheet.write_string(r, col, value)
    book.close()
    return path
