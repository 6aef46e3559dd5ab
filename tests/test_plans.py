"""Action plans: exported, filled by a script, loaded back; a broken plan refused whole; a plan
loaded again supersedes the earlier one; the follow-up at the next campaign."""

from __future__ import annotations

import pandas as pd

from autodiag.api import Autodiag
from autodiag.exports.plan import write_plan
from autodiag.ingest import plans as plan_format
from autodiag.ingest.plans import load_plans

from .conftest import run_cli

SHEET = plan_format.SHEET


def _filled(exported, out, rows: dict) -> None:
    """What a team's script does: read the plan, fill some rows, save it."""
    frame = pd.read_excel(exported, engine="calamine", sheet_name=SHEET, dtype=str)
    for i, values in rows.items():
        frame.loc[i, list(values)] = list(values.values())
    if out.suffix == ".csv":
        frame.to_csv(out, sep=";", index=False)
    else:
        with pd.ExcelWriter(out, engine="xlsxwriter") as writer:
            frame.to_excel(writer, sheet_name=SHEET, index=False)


def test_plan_round_trip_and_superseded(db, tmp_path):
    exported = tmp_path / "plan.xlsx"
    assert write_plan(db, "STR-24", 2024, exported) == 52
    frame = pd.read_excel(exported, engine="calamine", sheet_name=SHEET, dtype=str)
    assert list(frame.columns) == plan_format.COLUMNS and frame.loc[0, "Question"] == "E4_Q05"
    assert frame[plan_format.TEAM_COLUMNS].isna().all().all()
    first = tmp_path / "rempli.xlsx"
    _filled(
        exported,
        first,
        {0: {"Action": "=Mesurer", "Statut": "fait"}, 1: {"Action": "Afficher", "Statut": "En cours"}},
    )
    [outcome] = load_plans(db, [first])
    assert (outcome.status, outcome.code, outcome.campaign, outcome.actions) == ("loaded", "STR-24", 2024, 2)
    second = tmp_path / "nom-sans-rapport.csv"
    _filled(exported, second, {2: {"Action": "Indicateurs", "Statut": "abandonné"}})
    [again] = load_plans(db, [second])
    assert again.replaced
    with Autodiag(db) as reader:
        retained = reader.plans()
        every = reader.plans(superseded=True)
    assert list(retained["question_id"]) == ["E6_Q02"] and list(retained["status"]) == ["abandonné"]
    assert len(every) == 3 and sorted(every["retained"]) == [False, False, True]
    assert every.loc[~every["retained"], "status"].tolist() == ["fait", "en cours"]


def test_broken_plan_is_refused_whole_naming_file_row_column(db, tmp_path):
    exported = tmp_path / "plan.xlsx"
    write_plan(db, "STR-24", 2024, exported)
    broken = tmp_path / "casse.csv"
    _filled(
        exported,
        broken,
        {0: {"Action": "Mesurer", "Statut": "fait"}, 3: {"Statut": "terminé"}, 4: {"Campagne": "2023"}},
    )
    result = run_cli("ingest-plan", broken, "--base", db)
    assert result.returncode == 1
    assert f"{broken}, ligne 5, colonne « Statut » : statut inconnu" in result.stderr
    assert "ligne 6, colonne « Campagne »" in result.stderr and "base inchangée" in result.stderr
    with Autodiag(db) as reader:
        assert reader.plans(superseded=True).empty
    unknown = tmp_path / "inconnue.csv"
    _filled(exported, unknown, {0: {"Question": "E9_Q99", "Statut": "fait"}})
    [outcome] = load_plans(db, [unknown])
    assert outcome.status == "rejected"
    assert str(outcome.problems[0]) == (
        f"{unknown}, ligne 2, colonne « Question » : question absente du questionnaire "
        "2024 de la campagne 2024 (valeur lue : « E9_Q99 »)"
    )


def test_exported_cells_are_neutralised(db, tmp_path):
    out = tmp_path / "plan.csv"
    write_plan(db, "STR-24", 2024, out)
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].split(";") == plan_format.COLUMNS
    assert ";33,33;4,17;" in text


def test_follow_up_at_the_next_campaign(report_db, tmp_path):
    """STR-901 answered in 2023 and 2024: its 2023 plan is followed on its 2024 page."""
    import shutil

    db = tmp_path / "base.duckdb"
    shutil.copyfile(report_db, db)
    exported = tmp_path / "plan.csv"
    write_plan(db, "STR-901", 2023, exported)
    frame = pd.read_csv(exported, sep=";", dtype=str)
    frame.loc[0, ["Action", "Statut"]] = ["A", "fait"]
    frame.loc[1, ["Action", "Statut"]] = ["B", "en cours"]
    frame.to_csv(exported, sep=";", index=False)
    assert load_plans(db, [exported])[0].status == "loaded"
    with Autodiag(db) as reader:
        follow = reader.plan_follow_up("STR-901", 2024)
        now = reader.answers(campaign=2024, code="STR-901").set_index("question_id")
        then = reader.answers(campaign=2023, code="STR-901").set_index("question_id")
    assert list(follow["plan_campaign"]) == [2023, 2023]
    done, not_done = follow.iloc[0], follow.iloc[1]
    assert not_done["outcome"] == "not_done"
    q = done["question_id"]
    expected = "done_improved" if now.loc[q, "points"] > then.loc[q, "points"] else "done_not_improved"
    if pd.isna(now.loc[q, "points"]):
        expected = "done_not_comparable"
    assert done["outcome"] == expected and done["points_then"] == then.loc[q, "points"]
    from autodiag.api import NativeAutodiag
    from autodiag.reports import network, structure

    with NativeAutodiag(db) as reader:
        page = structure.build(reader, 2024, "STR-901").to_html()
        net = network.build(reader, 2024, "Universités et écoles").to_html()
    assert "Suivi du plan d&#x27;action" in page or "Suivi du plan d'action" in page
    assert "Plan de la campagne 2023 : 2 action(s)" in page
    assert "1 structure(s) sur 4 ont envoyé un plan" in net
