"""The figures of the real STR-24 report (campaign 2024), as printed in the official report
« Vision par structure »: what scoring and every report of the seed export must reproduce.

They are test data (``tests/data/seed/STR-24_2024_rapport.csv``), beside the answers of
``data/seed/STR-24_2024.csv``, copied from the report as printed (French number format)."""

from __future__ import annotations

import csv
from pathlib import Path

EXPECTED_FILE = Path(__file__).parent / "data" / "seed" / "STR-24_2024_rapport.csv"


def _rows() -> list[dict[str, str]]:
    with EXPECTED_FILE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


_ROWS = _rows()
# Engagement rows: rate, points, applicable questions, questions.
ENGAGEMENTS = {
    r["code"]: (r["taux"], r["points"], int(r["questions_applicables"]), int(r["questions"]))
    for r in _ROWS
    if r["niveau"] == "engagement"
}
# Theme rows: rate, points, applicable questions.
THEMES = {
    r["code"]: (r["taux"], r["points"], int(r["questions_applicables"]))
    for r in _ROWS
    if r["niveau"] == "theme"
}
GLOBAL = next(r["taux"] for r in _ROWS if r["niveau"] == "global")
