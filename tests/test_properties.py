"""Property tests: an independent Python scorer agrees with the SQL one on random exports;
row order, splitting rows across files and loading twice change nothing."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autodiag.exports.datasets import write_scores
from autodiag.ingest.loader import ingest
from autodiag.referentiel.questionnaires import load_all

from .exports import seed_row, write_csv

QUESTIONS = load_all()["2024"]
SCALE_POINTS = {
    "Oui": 1.0,
    "oui, totalement": 1.0,
    "1": 1.0,
    "Partiellement": 0.75,
    "0,75": 0.75,
    "Initié": 0.25,
    "en cours": 0.25,
    "0.25": 0.25,
    "Non": 0.0,
    "0": 0.0,
    "Non applicable": None,
    "NA": None,
    "": "missing",
}
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def answer_cells(draw, question):
    if question.kind == "scale":
        return draw(st.sampled_from(sorted(SCALE_POINTS)))
    choice = draw(st.sampled_from(["options", "options", "Aucun", "Non applicable", ""]))
    if choice != "options":
        return choice
    return "|".join(draw(st.lists(st.sampled_from(question.options), min_size=1, max_size=9)))


@st.composite
def submissions(draw, n_min=1, n_max=4):
    rows = []
    for i in range(draw(st.integers(n_min, n_max))):
        row = seed_row()
        row["code_structure"] = f"STR-{900 + i}"
        row["date_enregistrement"] = f"{draw(st.integers(1, 28)):02d}/05/2024 10:00:00"
        for q in QUESTIONS:
            row[q.question_id] = draw(answer_cells(q))
        rows.append(row)
    return rows


def oracle(row: dict) -> dict[tuple[str, str], tuple]:
    """The scoring rules, written again plainly: per question points or excluded."""
    cells: dict[str, tuple[float | None, bool]] = {}
    for q in QUESTIONS:
        cell = row[q.question_id]
        if q.kind == "scale":
            value = SCALE_POINTS[cell]
            cells[q.question_id] = (None, True) if value == "missing" else (value, False)
        elif cell == "":
            cells[q.question_id] = (None, True)
        elif cell == "Non applicable":
            cells[q.question_id] = (None, False)
        else:
            n = 0 if cell == "Aucun" else len(set(cell.split("|")))
            cells[q.question_id] = (max([p for k, p in q.thresholds if n >= k], default=0.0), False)
    result = {}
    for level, key in (("theme", lambda q: q.theme_id), ("engagement", lambda q: f"E{q.engagement}")):
        for unit in dict.fromkeys(key(q) for q in QUESTIONS):
            group = [cells[q.question_id] for q in QUESTIONS if key(q) == unit]
            applicable = [p for p, _ in group if p is not None]
            rate = 100 * sum(applicable) / len(applicable) if applicable else None
            result[(level, unit)] = (sum(applicable), len(applicable), sum(m for _, m in group), rate)
    rates = [v[3] for (level, _), v in result.items() if level == "engagement" and v[3] is not None]
    result[("global", "global")] = (None, None, None, sum(rates) / len(rates) if rates else None)
    return result


def exported(db: Path, out: Path) -> list[dict]:
    write_scores(db, out)
    with out.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _num(text: str) -> float | None:
    return float(text) if text != "" else None


@SETTINGS
@given(rows=submissions())
def test_sql_scores_match_an_independent_python_scorer(rows):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        assert ingest(tmp / "db.duckdb", [write_csv(tmp / "x.csv", rows)]).ok
        out = exported(tmp / "db.duckdb", tmp / "scores.csv")
    by_code = {}
    for r in out:
        by_code.setdefault(r["code_structure"], {})[(r["level"], r["unit"])] = r
    assert set(by_code) == {r["code_structure"] for r in rows}
    for row in rows:
        got = by_code[row["code_structure"]]
        for unit, (points, applicable, missing, rate) in oracle(row).items():
            line = got[unit]
            if rate is None:
                assert line["rate"] == "", unit
            else:
                assert 0.0 <= float(line["rate"]) <= 100.0
                assert abs(float(line["rate"]) - rate) < 1e-9, unit
            if unit[0] != "global":
                assert (_num(line["points"]), int(line["applicable"]), int(line["missing"])) == (
                    points,
                    applicable,
                    missing,
                ), unit


@SETTINGS
@given(rows=submissions(2, 6), data=st.data())
def test_row_order_and_splitting_across_files_change_nothing(rows, data):
    # Re-submissions too: a structure may appear twice with other dates.
    rows = rows + [dict(r, date_enregistrement="02/04/2024 08:00:00") for r in rows[:2]]
    shuffled = data.draw(st.permutations(rows))
    cut = data.draw(st.integers(1, len(rows) - 1))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        assert ingest(tmp / "a.duckdb", [write_csv(tmp / "all.csv", rows)]).ok
        parts = [
            write_csv(tmp / "p1.csv", shuffled[:cut], sep=","),
            write_csv(tmp / "p2.csv", shuffled[cut:], encoding="cp1252"),
        ]
        assert ingest(tmp / "b.duckdb", parts[::-1]).ok
        assert exported(tmp / "a.duckdb", tmp / "a.csv") == exported(tmp / "b.duckdb", tmp / "b.csv")


@SETTINGS
@given(rows=submissions())
def test_loading_twice_changes_nothing(rows):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "exports").mkdir()
        path = write_csv(tmp / "exports" / "x.csv", rows)
        assert ingest(tmp / "db.duckdb", [path]).ok
        first = exported(tmp / "db.duckdb", tmp / "1.csv")
        again = ingest(tmp / "db.duckdb", [path, tmp / "exports"])  # the file, then its folder
        assert {o.status for o in again.outcomes} == {"skipped"}
        assert exported(tmp / "db.duckdb", tmp / "2.csv") == first
