"""Declarative data checks: each query in sql/checks/ returns the rows that break a rule."""

from __future__ import annotations


import duckdb

from .paths import SQL_DIR, sql_text


def check_names() -> list[str]:
    return sorted(p.stem for p in (SQL_DIR / "checks").glob("*.sql"))


def run_checks(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Name of each check -> offending rows (empty when the rule holds)."""
    return {
        name: con.execute(sql_text(f"checks/{name}")).fetchall()
        for name in check_names()
    }
