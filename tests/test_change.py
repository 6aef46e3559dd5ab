"""Why a rate changed: the split into answers, applicability and questionnaire adds up to the
change exactly, on hand-made cases and on random ones."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import duckdb
import pytest

from autodiag.analysis.change import engagement_changes, split
from autodiag.ingest.loader import ingest
from autodiag.paths import SEED_EXPORT
from autodiag.referentiel import crosswalk, questionnaires

QUESTIONNAIRES = questionnaires.load_all()
LINKS = crosswalk.load(QUESTIONNAIRES)


def test_same_questions_answered_differently_is_all_answers():
    parts = split({"a": 1, "b": 0, "c": 0.25}, {"a": 1, "b": 0.75, "c": 0.25})
    assert parts.change == pytest.approx(25.0, abs=1e-12)
    assert (parts.answers, parts.applicability, parts.questionnaire) == pytest.approx(
        (25.0, 0.0, 0.0), abs=1e-12
    )


def test_a_question_turning_not_applicable_is_applicability():
    # 4 Oui and a Non: 80 %; the Non becomes « Non applicable »: 100 %.
    before = {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 0}
    after = {**before, "q5": None}
    parts = split(before, after)
    assert (parts.before, parts.after) == (80.0, 100.0)
    assert (parts.answers, parts.applicability, parts.questionnaire) == (0.0, 20.0, 0.0)


def test_an_added_question_is_questionnaire():
    parts = split({"q1": 1, "q2": 0.75}, {"q1": 1, "q2": 0.75, "new": 0})
    assert (parts.before, parts.after) == pytest.approx((87.5, 175 / 3), abs=1e-12)
    assert (parts.answers, parts.applicability) == (0.0, 0.0)
    assert parts.questionnaire == pytest.approx(parts.change, abs=1e-12)


def test_no_common_applicable_question_leaves_no_answers_part():
    parts = split({"q1": 1, "q2": None}, {"q1": None, "q2": 0})
    assert parts.answers == 0.0 and parts.applicability == pytest.approx(-100.0)


def test_parts_add_up_to_the_change():
    rng = random.Random(20261203)
    values = [None, 0, 0.25, 0.75, 1]
    checked = 0
    for _ in range(2000):
        keys = [f"q{i}" for i in range(rng.randint(1, 15))]
        before = {k: rng.choice(values) for k in keys if rng.random() < 0.85}
        after = {k: rng.choice(values) for k in keys if rng.random() < 0.85}
        parts = split(before, after)
        if parts.change is None:
            continue
        checked += 1
        assert parts.answers + parts.applicability + parts.questionnaire == pytest.approx(
            parts.change, abs=1e-9
        )
    assert checked > 1000


# --- on a database: the same structure, the same version, then across the 9 → 8 change ---------


def _seed_row() -> dict[str, str]:
    with SEED_EXPORT.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.DictReader(f, delimiter=";"))


def _write(path: Path, row: dict[str, str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(row), delimiter=";")
        writer.writeheader()
        writer.writerow(row)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("change")
    seed = _seed_row()
    later = {
        **seed,
        "campagne": "2025",
        "date_enregistrement": "12/05/2025 10:00:00",
        "E6_Q01": "Oui",
        "E6_Q05": "Non applicable",
    }
    identity = {k: seed[k] for k in list(seed)[:9]}
    older = {**identity, "campagne": "2022", "date_enregistrement": "12/05/2022 10:00:00"}
    for q in QUESTIONNAIRES["2021"]:
        older[q.question_id] = "Aucun" if q.kind == "multi" else "Partiellement"
    files = [SEED_EXPORT, _write(tmp / "2025.csv", later), _write(tmp / "2022.csv", older)]
    path = tmp / "change.duckdb"
    assert ingest(path, files).ok
    return path


def _changes(db: Path, before: int, after: int) -> dict[int, dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            r["engagement"]: r
            for r in engagement_changes(con, QUESTIONNAIRES, LINKS, "STR-24", before, after)
        }


def test_same_version_change_split_on_the_seed(db):
    changes = _changes(db, 2024, 2025)
    e6 = changes[6]
    # STR-24 2024, E6: 1,25 points on 4 applicable questions (31,25 %).
    assert e6["rate_before"] == 31.25 and e6["link"] == "identique"
    assert e6["answers"] + e6["applicability"] + e6["questionnaire"] == pytest.approx(e6["change"], abs=1e-12)
    assert e6["questionnaire"] == 0.0 and e6["answers"] != 0.0
    assert all(changes[e]["change"] == 0.0 for e in (1, 2, 3, 4, 5, 7, 8))


def test_across_the_version_change(db):
    changes = _changes(db, 2022, 2024)
    # 2024 E5 « information claire » has no predecessor: no change, said so.
    assert changes[5]["link"] == "aucune" and changes[5]["change"] is None
    # 2024 E3 continues the old E3 (proche) and gains the orientation theme: a questionnaire part.
    e3 = changes[3]
    assert e3["link"] == "proche" and e3["questionnaire"] != 0.0
    assert e3["answers"] + e3["applicability"] + e3["questionnaire"] == pytest.approx(e3["change"], abs=1e-12)
    # The old E9 « éco-responsables » continues as E8.
    assert changes[8]["link"] == "proche" and changes[8]["rate_before"] is not None
