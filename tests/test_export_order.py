"""The scores export comes sorted as its contract reads: by campaign, structure, then the
units in report order (global, engagements, themes), on the whole demo."""

from __future__ import annotations

import csv

import duckdb

from .conftest import run_cli


def test_export_is_sorted_by_campaign_structure_and_report_order(demo_db, tmp_path):
    out = tmp_path / "scores.csv"
    run_cli("export", "scores", "--db", demo_db, "--out", out, check=True)
    with out.open(encoding="utf-8", newline="") as f:
        rows = [(int(r["campagne"]), r["code_structure"], r["level"], r["unit"]) for r in csv.DictReader(f)]
    con = duckdb.connect(str(demo_db), read_only=True)
    units = con.execute("select level, unit from referentiel_units where version = '2024' order by unit_index").fetchall()
    retained = con.execute("select count(*) from retained_submissions").fetchone()[0]
    con.close()
    assert len(rows) == retained * len(units) and retained > 400
    submissions = [rows[i][:2] for i in range(0, len(rows), len(units))]
    assert submissions == sorted(submissions) and len(set(submissions)) == retained
    for i in range(0, len(rows), len(units)):
        block = rows[i : i + len(units)]
        assert {r[:2] for r in block} == {block[0][:2]}
        assert [r[2:] for r in block] == units
