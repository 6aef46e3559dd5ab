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
    units = {
        version: con.execute(
            "select level, unit from referentiel_units where version = $v order by unit_index", {"v": version}
        ).fetchall()
        for version in ("2021", "2024")
    }
    version_of = dict(con.execute("select distinct campagne, version from retained_submissions").fetchall())
    retained = con.execute("select count(*) from retained_submissions").fetchone()[0]
    con.close()
    assert len(units["2021"]) != len(units["2024"]) and set(version_of.values()) == {"2021", "2024"}
    blocks, i = [], 0
    while i < len(rows):  # one block per submission, as long as its questionnaire's units
        size = len(units[version_of[rows[i][0]]])
        blocks.append(rows[i : i + size])
        i += size
    assert i == len(rows) and len(blocks) == retained and retained > 400
    submissions = [block[0][:2] for block in blocks]
    assert submissions == sorted(submissions) and len(set(submissions)) == retained
    for block in blocks:
        assert {r[:2] for r in block} == {block[0][:2]}
        assert [r[2:] for r in block] == units[version_of[block[0][0]]]
