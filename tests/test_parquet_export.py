"""`autodiag export parquet`: the scored tables, partitioned by campaign and network, read
back by DuckDB give the same figures as the database."""

from __future__ import annotations

import csv

import duckdb
import pytest

from .conftest import run_cli


@pytest.fixture(scope="module")
def exported(report_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet") / "export"
    run_cli("export", "parquet", "--db", report_db, "--out", out, check=True)
    return out


def _parquet(folder, table: str, where: str = "true") -> list[tuple]:
    return duckdb.sql(
        f"select * from read_parquet('{folder}/{table}/**/*.parquet', hive_partitioning = true) where {where}"
    ).fetchall()


def test_one_folder_per_campaign_and_network(exported, report_db):
    with duckdb.connect(str(report_db), read_only=True) as con:
        expected = set(con.execute("select distinct campagne, reseau from retained_submissions").fetchall())
    for table in ("scores", "submissions", "answers"):
        folders = {(p.parent.parent.name, p.parent.name) for p in (exported / table).glob("*/*/*.parquet")}
        assert len(folders) == len(expected), table
        assert all(c.startswith("campagne=") and r.startswith("reseau=") for c, r in folders)
    rows = duckdb.sql(
        f"select distinct campagne, reseau from read_parquet('{exported}/scores/**/*.parquet', hive_partitioning = true)"
    ).fetchall()
    assert set(rows) == expected


def test_scores_read_back_equal_the_scores_export(exported, report_db, tmp_path):
    out = tmp_path / "scores.csv"
    run_cli("export", "scores", "--db", report_db, "--out", out, check=True)
    with out.open(encoding="utf-8", newline="") as f:
        from_csv = {
            (int(r["campagne"]), r["code_structure"], r["level"], r["unit"]): (
                float(r["rate"]) if r["rate"] else None
            )
            for r in csv.DictReader(f)
        }
    from_parquet = {
        (c, code, level, unit): rate
        for c, code, level, unit, rate in duckdb.sql(
            f"select campagne, code_structure, level, unit, rate "
            f"from read_parquet('{exported}/scores/**/*.parquet', hive_partitioning = true)"
        ).fetchall()
    }
    assert from_parquet == from_csv  # exact: doubles round-trip through Parquet


def test_answers_and_submissions_are_complete(exported, report_db):
    with duckdb.connect(str(report_db), read_only=True) as con:
        answers = con.execute(
            "select count(*) from answers inner join retained_submissions using (submission_id)"
        ).fetchone()[0]
        submissions = con.execute("select count(*) from submissions").fetchone()[0]
    assert len(_parquet(exported, "answers")) == answers
    assert len(_parquet(exported, "submissions")) == submissions


def test_a_second_export_replaces_the_first_whole(exported, report_db):
    stray = exported / "scores" / "stray.txt"
    stray.write_text("reste d'un ancien export")
    run_cli("export", "parquet", "--db", report_db, "--out", exported, "--campaign", "2024", check=True)
    assert not stray.exists()
    assert {
        r[0]
        for r in duckdb.sql(
            f"select distinct campagne from read_parquet('{exported}/scores/**/*.parquet', hive_partitioning = true)"
        ).fetchall()
    } == {2024}
    assert not exported.with_name(exported.name + ".partial").exists()


def test_unknown_network_is_refused_and_nothing_written(report_db, tmp_path):
    result = run_cli(
        "export", "parquet", "--db", report_db, "--out", tmp_path / "x", "--network", "Nulle part"
    )
    assert result.returncode == 1 and "Nulle part" in result.stderr
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.partial").exists()
