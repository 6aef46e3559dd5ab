"""The declarative data checks hold on the demo data, and each one catches what it guards."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from autodiag.scoring.checks import check_names, run_checks

from .conftest import run_cli


def test_every_check_holds_on_the_demo(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    results = run_checks(con)
    con.close()
    assert set(results) == set(check_names()) and len(results) >= 5
    assert {name: rows for name, rows in results.items() if rows} == {}


BREAKAGES = {
    # score lists: index 1 global, 2 E1, ...; answer codes in questionnaire order
    "rates_within_bounds": "update score_sets set rate = list_concat([120.0], rate[2:]) where submission_id = 1",
    "scores_complete": "update score_sets set rate = rate[:-2] where submission_id = 1",
    "applicable_within_questions": "update score_sets set applicable = list_concat([null, 40], applicable[3:]) where submission_id = 1",
    # As an earlier version loaded it: one structure under two spellings, a name in NFD.
    "identity_one_spelling": "update submissions set code_structure = lower(code_structure), "
    "reseau = nfc_normalize(reseau) || chr(769) where submission_id = 1",
    "answers_complete": "update answer_sets set codes = codes[:-2] where submission_id = 1",
    # A retention rule that kept the earliest submission instead of the latest.
    "retained_is_latest": "create or replace view retained_submissions as "
    "select * from submissions qualify row_number() over (partition by code_structure, campagne "
    "order by date_enregistrement) = 1",
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_each_check_catches_its_breakage(demo_db, tmp_path, name):
    broken = tmp_path / "broken.duckdb"
    shutil.copy(demo_db, broken)
    con = duckdb.connect(str(broken))
    con.execute(BREAKAGES[name])
    results = run_checks(con)
    con.close()
    assert results[name], name


def test_check_command_reports_in_french(demo_db):
    result = run_cli("check", "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert "6 contrôle(s) sur 6 respecté(s)" in result.stdout
