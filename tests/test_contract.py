"""Every variant of the answer-export contract reads to the same scores."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from autodiag.api import Autodiag
from autodiag.ingest.loader import ingest
from autodiag.scoring import wide_sql

from .exports import seed_row, write_csv, write_xlsx


def scores_of(db_path, code="STR-24", campaign=2024) -> dict[tuple[str, str], tuple]:
    with Autodiag(db_path) as db:
        frame = db.scores(campaign=campaign, code=code)
    return {
        (r.level, r.unit): tuple(
            None if pd.isna(v) else float(v) for v in (r.points, r.applicable, r.missing, r.rate)
        )
        for r in frame.itertuples()
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Scores of the seed export as shipped (UTF-8, ';')."""
    tmp = tmp_path_factory.mktemp("reference")
    db = tmp / "ref.duckdb"
    assert ingest(db, [write_csv(tmp / "seed.csv", [seed_row()])]).ok
    return scores_of(db)


def load(db_path, *paths, lenient=False):
    report = ingest(db_path, list(paths), lenient=lenient)
    problems = [str(p) for o in report.outcomes for p in o.problems]
    assert report.ok, problems
    return report


@pytest.mark.parametrize("sep", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_separators_and_encodings(tmp_path, db_path, reference, sep, encoding):
    load(db_path, write_csv(tmp_path / "export.csv", [seed_row()], sep=sep, encoding=encoding))
    assert scores_of(db_path) == reference


def test_cp1252_accents_come_out_right(tmp_path, db_path):
    row = seed_row()
    row["nom_structure"] = "Bibliothèque de l’Œuvre — cœur de ville"
    row["E1_points_forts"] = "Accueil « chaleureux », budget 1 000 € ; œuvres prêtées"
    path = write_csv(tmp_path / "cp1252.csv", [row], encoding="cp1252")
    assert b"\x92" in path.read_bytes() and b"\x80" in path.read_bytes()  # ’ and € as cp1252 bytes
    report = load(db_path, path)
    assert report.outcomes[0].warnings == []
    with Autodiag(db_path) as db:
        assert db.submissions()["name"].tolist() == [row["nom_structure"]]
        texts = db.free_texts(code="STR-24")
    assert row["E1_points_forts"] in texts["text"].tolist()


def test_quoted_separators_and_line_breaks(tmp_path, db_path, reference):
    row = seed_row()
    row["nom_structure"] = 'BU "Clermont"; site; Cézeaux'
    row["E2_besoin_appui"] = "Première ligne;\nseconde ligne\r\ntroisième"
    load(db_path, write_csv(tmp_path / "quoted.csv", [row]))
    assert scores_of(db_path) == reference
    with Autodiag(db_path) as db:
        assert db.submissions()["name"].tolist() == [row["nom_structure"]]
        texts = db.free_texts(code="STR-24")
    assert any(t.startswith("Première ligne;\nseconde ligne") for t in texts["text"])


def test_xlsx_with_numeric_cells_and_dates(tmp_path, db_path, reference):
    row: dict = seed_row()
    numeric = {"Oui": 1, "Partiellement": 0.75, "Initié": 0.25, "Non": 0}
    row = {k: numeric.get(v, v) if k.startswith("E") and "_Q" in k else v for k, v in row.items()}
    row["nb_agents_contributeurs"] = 7
    row["nb_agents_interaction"] = 150
    row["campagne"] = 2024
    row["date_enregistrement"] = dt.datetime(2024, 5, 6, 12, 22, 58)
    assert sum(isinstance(v, (int, float)) for v in row.values()) > 50
    load(db_path, write_xlsx(tmp_path / "export.xlsx", [row]))
    assert scores_of(db_path) == reference
    with Autodiag(db_path) as db:
        sub = db.submissions().iloc[0]
    assert sub["recorded_at"] == dt.datetime(2024, 5, 6, 12, 22, 58)
    assert (sub["n_contributors"], sub["n_agents_interaction"]) == (7, 150)


def test_leading_zero_postcode_is_kept(tmp_path, db_path):
    row = seed_row()
    row["localisation"] = "01000"
    load(db_path, write_csv(tmp_path / "zero.csv", [row]))
    with Autodiag(db_path) as db:
        assert db.submissions()["location"].tolist() == ["01000"]


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("oui", "Oui"),
        ("  OUI ", "Oui"),
        ("Oui, totalement", "Oui"),
        ("1", "Oui"),
        ("1.0", "Oui"),
        ("partiellement", "Partiellement"),
        ("0,75", "Partiellement"),
        ("0.75", "Partiellement"),
        ("Oui,  partiellement", "Partiellement"),
        ("Initié", "Initié"),
        ("INITIE", "Initié"),
        ("en cours", "Initié"),
        ("0,25", "Initié"),
        ("0.25", "Initié"),
        ("NON", "Non"),
        ("0", "Non"),
        ("NA", None),
        ("n/a", None),
        ("Non concerné", None),
        ("non applicable", None),
    ],
)
def test_scale_label_variants(tmp_path, db_path, variant, canonical):
    row = seed_row()
    row["E1_Q01"] = variant
    load(db_path, write_csv(tmp_path / "labels.csv", [row]))
    con = duckdb.connect(str(db_path), read_only=True)
    status, label = con.execute("select status, label from answers where question_id = 'E1_Q01'").fetchone()
    con.close()
    assert label == canonical
    assert status == ("answered" if canonical else "not_applicable")


def test_header_names_are_matched_loosely(tmp_path, db_path, reference):
    row = seed_row()
    renamed = {
        "code_structure": " Code_Structure ",
        "reseau": "RÉSEAU",
        "campagne": "Campagne",
        "date_enregistrement": "Date_Enregistrement",
        "nom_structure": "nom_structure ",
        "E1_Q01": "e1_q01",
        "E5_points_forts": "E5_Points_Forts",
    }
    rows = [{renamed.get(k, k): v for k, v in row.items()}]
    load(db_path, write_csv(tmp_path / "header.csv", rows))
    assert scores_of(db_path) == reference


def _with_multi(value: str) -> dict:
    row = seed_row()
    row["E2_Q01"] = value  # thresholds 1:0.25 | 3:0.75 | 5:1
    return row


@pytest.mark.parametrize(
    ("cell", "points", "applicable_change"),
    [
        ("Aucun", 0.0, 0),
        ("Aucune", 0.0, 0),
        ("Courriel", 0.25, 0),
        ("Courriel|Téléphone", 0.25, 0),
        ("Courriel|Téléphone|Accueil physique", 0.75, 0),
        ("courriel | TELEPHONE|accueil physique", 0.75, 0),  # case, accents, spaces
        ("Courriel|Courriel|Courriel", 0.25, 0),  # the same option counts once
        ("Courriel|Téléphone|Accueil physique|Visioconférence", 0.75, 0),
        ("Courriel|Téléphone|Accueil physique|Visioconférence|Courrier postal", 1.0, 0),
        (
            "Accueil physique|Téléphone|Courriel|Formulaire en ligne|Messagerie instantanée|Visioconférence|Courrier postal",
            1.0,
            0,
        ),
        ("Non applicable", None, -1),
        ("", None, -1),
    ],
)
def test_multi_choice_thresholds(tmp_path, db_path, cell, points, applicable_change):
    load(db_path, write_csv(tmp_path / "multi.csv", [_with_multi(cell)]))
    theme = scores_of(db_path)[("theme", "E2_T1")]
    # The seed answers E2_Q01 with 3 channels (0.75 points) and the theme's other questions 1.5.
    expected_points = 1.5 + (points or 0.0)
    assert theme[0] == pytest.approx(expected_points)
    assert theme[1] == 5 + applicable_change
    assert theme[2] == (1 if cell == "" else 0)


@pytest.mark.parametrize(
    ("cell", "status", "label", "n_selected"),
    [
        ("courriel | TELEPHONE|accueil physique", "answered", "Accueil physique|Téléphone|Courriel", 3),
        ("Courrier postal|Courriel|Courriel", "answered", "Courriel|Courrier postal", 2),
        ("Aucun", "answered", "", 0),
        ("NA", "not_applicable", None, None),
        ("  ", "missing", None, None),
    ],
)
def test_multi_choice_is_stored_in_questionnaire_order(tmp_path, db_path, cell, status, label, n_selected):
    load(db_path, write_csv(tmp_path / "multi.csv", [_with_multi(cell)]))
    con = duckdb.connect(str(db_path), read_only=True)
    stored = con.execute(
        "select status, label, n_selected from answers where question_id = 'E2_Q01'"
    ).fetchone()
    con.close()
    assert stored == (status, label, n_selected)


def test_cells_looked_up_by_join_score_the_same(tmp_path, db_path, monkeypatch):
    """Questions with many distinct cells are looked up by a join instead of a list search
    (wide_sql.LIST_LOOKUP_MAX): forced for every question, the scores do not move."""
    rows = [_with_multi("courriel | TELEPHONE|accueil physique"), _with_multi("")]
    rows[1]["code_structure"] = "STR-25"
    rows[1]["E1_Q01"] = "oui, partiellement"
    export = write_csv(tmp_path / "lookups.csv", rows)
    load(db_path, export)
    expected = {code: scores_of(db_path, code) for code in ("STR-24", "STR-25")}
    monkeypatch.setattr(wide_sql, "LIST_LOOKUP_MAX", 0)
    joined = tmp_path / "joined.duckdb"
    load(joined, export)
    assert {code: scores_of(joined, code) for code in ("STR-24", "STR-25")} == expected


def test_empty_answers_are_left_out_and_counted_missing(tmp_path, db_path):
    row = seed_row()
    for q in ("E8_Q07", "E8_Q08", "E8_Q09"):
        row[q] = ""
    load(db_path, write_csv(tmp_path / "empty.csv", [row]))
    scores = scores_of(db_path)
    assert scores[("theme", "E8_T2")] == (0.0, 0, 3, None)
    assert scores[("engagement", "E8")][1:3] == (6, 3)
    assert scores[("engagement", "E8")][3] == pytest.approx(75.0)


def test_engagement_all_not_applicable_is_left_out_of_the_global_mean(tmp_path, db_path, reference):
    row = seed_row()
    for q in range(1, 6):
        row[f"E6_Q{q:02d}"] = "Non applicable"
    load(db_path, write_csv(tmp_path / "e6na.csv", [row]))
    scores = scores_of(db_path)
    assert scores[("engagement", "E6")] == (0.0, 0, 0, None)
    others = [reference[("engagement", f"E{e}")][3] for e in range(1, 9) if e != 6]
    assert scores[("global", "global")][3] == pytest.approx(sum(others) / 7)


def test_resubmission_across_files_keeps_the_latest(tmp_path, db_path):
    early, late = seed_row(), seed_row()
    early["date_enregistrement"] = "01/05/2024 09:00:00"
    early["E1_Q01"] = "Non"
    first = write_csv(tmp_path / "late.csv", [late])
    second = write_csv(tmp_path / "early.csv", [early])
    report = load(db_path, first, second)  # the earlier submission arrives last
    assert report.total("new") == 2
    assert [(s[0], s[1]) for s in report.superseded] == [("STR-24", 2024)]
    with Autodiag(db_path) as db:
        subs = db.submissions()
        assert len(subs) == 2  # kept, never deleted
        retained = subs[subs["retained"]]
        assert retained["recorded_at"].tolist() == [dt.datetime(2024, 5, 6, 12, 22, 58)]
        assert db.global_scores(campaign=2024)["rate"].round(6).tolist() == [55.637255]


def test_iso_8601_dates_are_accepted(tmp_path, db_path):
    row = seed_row()
    row["date_enregistrement"] = "2024-05-06T12:22:58"
    load(db_path, write_csv(tmp_path / "iso.csv", [row]))
    with Autodiag(db_path) as db:
        assert db.submissions()["recorded_at"].tolist() == [dt.datetime(2024, 5, 6, 12, 22, 58)]


def test_loading_the_same_file_twice_changes_nothing(tmp_path, db_path, seed_export):
    load(db_path, seed_export)
    con = duckdb.connect(str(db_path), read_only=True)
    before = {
        t: con.execute(f"select * from {t} order by all").fetchall()
        for t in ("submissions", "answers", "scores", "files")
    }
    con.close()
    report = load(db_path, seed_export)
    assert [o.status for o in report.outcomes] == ["skipped"]
    copy = tmp_path / "copy-with-other-name.csv"
    copy.write_bytes(seed_export.read_bytes().replace(b"\r\n", b"\n"))  # other bytes, same content
    report = load(db_path, copy)
    assert report.total("new") == 0 and report.total("unchanged") == 1
    con = duckdb.connect(str(db_path), read_only=True)
    after = {
        t: con.execute(f"select * from {t} order by all").fetchall()
        for t in ("submissions", "answers", "scores")
    }
    con.close()
    assert after == {t: before[t] for t in after}


def test_unknown_extra_column_is_a_warning_not_a_loss(tmp_path, db_path, reference):
    row = seed_row()
    row["commentaire_interne"] = "à ignorer"
    report = load(db_path, write_csv(tmp_path / "extra.csv", [row]))
    warnings = [str(w) for w in report.outcomes[0].warnings]
    assert any("commentaire_interne" in w and "colonne inconnue" in w for w in warnings)
    assert scores_of(db_path) == reference
