"""A questionnaire in data/referentiels/ may be corrected (titles, wording, thresholds: every
score is recomputed) but not restructured once answers use it: answers are stored by question
position and option number, so a moved question or option would change their meaning."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from autodiag.referentiel import questionnaires
from autodiag.referentiel.questionnaires import ReferentielError, load_version
from autodiag.scoring.store import StoreError, open_writer

from .ingest_helpers import dump


def _patched(monkeypatch, change):
    original = questionnaires.load_all()
    changed = {version: change(list(questions)) for version, questions in original.items()}
    monkeypatch.setattr(questionnaires, "load_all", lambda *args, **kwargs: changed)


def _theme(db, unit="E2_T1"):
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute(
        "select points, applicable, rate from scores inner join retained_submissions using (submission_id) "
        "where code_structure = 'STR-24' and unit = $unit",
        {"unit": unit},
    ).fetchone()
    con.close()
    return row


def test_new_thresholds_rescore_what_is_stored(db, monkeypatch):
    before = _theme(db)

    def richer(questions):  # E2_Q01: 3 channels now earn the full point
        return [
            dataclasses.replace(q, thresholds=((1, 0.25), (3, 1.0))) if q.question_id == "E2_Q01" else q
            for q in questions
        ]

    _patched(monkeypatch, richer)
    with open_writer(db):
        pass
    after = _theme(db)
    assert after[0] == before[0] + 0.25 and after[1] == before[1]


@pytest.mark.parametrize("change", ["moved question", "new option first", "kind"])
def test_restructured_questionnaire_is_refused_and_nothing_changes(db, monkeypatch, change):
    def restructure(questions):
        if change == "moved question":
            return questions[1:] + questions[:1]
        if change == "new option first":
            return [
                dataclasses.replace(q, options=("Nouvelle option", *q.options)) if q.kind == "multi" else q
                for q in questions
            ]
        return [
            dataclasses.replace(q, kind="multi", options=("A", "B")) if q.question_id == "E2_Q02" else q
            for q in questions
        ]

    before = dump(db)
    _patched(monkeypatch, restructure)
    with pytest.raises(
        StoreError,
        match=r"Le questionnaire 2024 .* a changé de questions, d'ordre, de type ou d'options alors que 1 soumission\(s\)",
    ):
        with open_writer(db):
            pass
    assert dump(db) == before


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda lines: lines + [lines[1]], "question E1_Q01 déjà décrite ligne 2"),
        (
            lambda lines: [lines[0], lines[1].replace(";1;", ";2;", 1), *lines[2:]],
            "le thème E1_T1 est déjà dans l'engagement 2, pas dans l'engagement 1",
        ),
        (
            lambda lines: [l.replace("Courriel|", "Courriel|courriel|", 1) for l in lines],
            "une option de E2_Q01 est en double",
        ),
    ],
)
def test_questionnaire_file_whose_ids_would_mislead_scores_is_refused(tmp_path, edit, message):
    source = questionnaires.REFERENTIELS_DIR / "2024.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "2024.csv"
    broken.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    with pytest.raises(ReferentielError, match=message):
        load_version(broken)
