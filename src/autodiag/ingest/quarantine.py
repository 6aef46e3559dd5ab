"""Rows set aside by ``ingest --lenient``: listing and export for correction."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from autodiag.ingest.columns import IDENTITY_COLUMNS, QUESTION_PATTERN, TEXT_COLUMNS
from autodiag.paths import sql_text
from autodiag.safe_files import atomic_file, safe_text
from autodiag.scoring.store import open_reader


def quarantined_rows(db_path: Path) -> pd.DataFrame:
    """Every quarantined row, whole, with its problems and whether a later file resolved it."""
    con = open_reader(db_path)
    try:
        return con.execute(sql_text("marts/quarantine")).df()
    finally:
        con.close()


def _column_order(columns: list[str]) -> list[str]:
    """Identity columns, questions (E1_Q01, E1_Q02 … E8_Q09), free texts, then the files' unknown columns."""
    questions = sorted(
        (c for c in columns if QUESTION_PATTERN.fullmatch(c)),
        key=lambda c: [int(n) for n in re.findall(r"\d+", c)],
    )
    known = [*IDENTITY_COLUMNS, *questions, *TEXT_COLUMNS]
    return [c for c in known if c in columns] + [c for c in columns if c not in known]


def export_quarantine(db_path: Path, out: Path) -> int:
    """Write the CSV atomically (a temp file renamed into place); return the row count."""
    rows = quarantined_rows(db_path)
    columns: list[str] = []
    for values in rows["row_values"]:
        for key in values:
            if key not in columns:
                columns.append(key)
    ordered = _column_order(columns)
    with atomic_file(out) as partial, partial.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["fichier", "ligne", "problemes", *(safe_text(c) for c in ordered)])
        for _, row in rows.iterrows():
            values = dict(row["row_values"])
            writer.writerow(
                [
                    safe_text(row["file_name"]),
                    row["row_no"],
                    safe_text(" | ".join(row["problems"])),
                    *(safe_text(values.get(c)) for c in ordered),
                ]
            )
    return len(rows)
