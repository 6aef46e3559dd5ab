"""Helpers shared by the ingest robustness tests (broken input, quarantine, crash safety, fuzzing).

``invoke_cli`` runs the CLI in this process; ``tests.conftest.run_cli`` runs it in a subprocess:
the conftest docstring says when to use which. The ``seeded`` and ``db`` fixtures (a database
holding the seed export) are in tests/conftest.py.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import duckdb
from typer.testing import CliRunner

from autodiag import cli
from autodiag.cli import common
from autodiag.paths import SEED_EXPORT

WIDE = 100_000  # no line wrapping: a message is on one line, whatever its length


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (and of the retained_submissions view), sorted: the whole state;
    but file_stats, what was last read of each file, which only spares reading it again."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()
            if r[0] != "file_stats"
        ]
        state = {t: con.execute(f'select * from "{t}" order by all').fetchall() for t in tables}
        state["retained_submissions"] = con.execute(
            "select * from retained_submissions order by all"
        ).fetchall()
        return state
    finally:
        con.close()


def count(db: Path, sql: str, params: dict | None = None):
    """The first value of a query on ``db`` (opened read-only)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchone()[0]
    finally:
        con.close()


@contextmanager
def wide_consoles():
    with mock.patch.object(common.console, "_width", WIDE), mock.patch.object(common.err, "_width", WIDE):
        yield


def invoke_cli(*args: str | Path):
    """``autodiag ARGS`` in this process (typer's CliRunner), consoles too wide to wrap a
    message: exit_code, stdout, stderr."""
    with wide_consoles():
        result = CliRunner().invoke(cli.app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a failure of the test, shown as such
    return result


def make_seeded_db(directory: Path) -> Path:
    """A database holding the seed export (1 submission): the 'before' state of the tests."""
    db = directory / "seeded.duckdb"
    result = invoke_cli("ingest", SEED_EXPORT, "--db", db)
    assert result.exit_code == 0, result.output
    return db


def message_lines(text: str) -> list[str]:
    return [
        line.strip().removeprefix("- ").removeprefix("avertissement : ")
        for line in text.splitlines()
        if line.strip()
    ]
