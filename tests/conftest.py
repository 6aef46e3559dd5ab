"""Shared fixtures: a fresh database path, the seed export, a seeded database, running the CLI.

Two ways to run the CLI in a test:
- ``run_cli`` (here): ``autodiag ARGS`` in a subprocess, as a user runs it; returns a
  CompletedProcess (returncode, stdout, stderr). For what only a real process shows: the entry
  point itself, a database held by another process, a run with a timeout.
- ``invoke_cli`` (tests/ingest_helpers.py): the same command in this process (typer's CliRunner);
  returns a Result (exit_code, stdout, stderr, output). Much faster, sees the test's monkeypatches,
  and a traceback fails the test. The default for testing what a command says and does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autodiag.paths import ROOT, SEED_EXPORT

AUTODIAG = [sys.executable, "-m", "autodiag"]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "autodiag.duckdb"


@pytest.fixture
def seed_export() -> Path:
    return SEED_EXPORT


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A database holding the seed export, built once per module: copy it (``db``) before writing."""
    from tests.ingest_helpers import make_seeded_db

    return make_seeded_db(tmp_path_factory.mktemp("seeded"))


@pytest.fixture
def db(seeded, tmp_path) -> Path:
    """A fresh copy of ``seeded`` for one test, free to change."""
    target = tmp_path / "autodiag.duckdb"
    shutil.copyfile(seeded, target)
    return target


def run_cli(
    *args: str | Path, check: bool = False, width: int = 250, timeout: float | None = 60
) -> subprocess.CompletedProcess:
    """Run `autodiag ARGS` as a user would, in a subprocess (see the module docstring), in a
    terminal ``width`` columns wide: 250 so that tables do not wrap, more so that long messages
    stay on one line."""
    env = {**os.environ, "COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run(
        [*AUTODIAG, *map(str, args)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(f"autodiag {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


# --- report tests: a small scored database and a built site, once per session -----------
@pytest.fixture(scope="session")
def report_exports(tmp_path_factory) -> Path:
    from tests.report_fixtures import write_fixture_exports

    return write_fixture_exports(tmp_path_factory.mktemp("report-exports"))


@pytest.fixture(scope="session")
def report_db(tmp_path_factory, report_exports) -> Path:
    from autodiag.ingest.loader import ingest

    path = tmp_path_factory.mktemp("report-db") / "autodiag.duckdb"
    outcome = ingest(path, [report_exports])
    assert outcome.ok, [o.problems for o in outcome.outcomes]
    return path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, report_exports):
    """A full `build` (network reports and trends through Papermill) of the fixture exports."""
    from autodiag.reports.build import build_all

    root = tmp_path_factory.mktemp("site")
    result = build_all(root / "autodiag.duckdb", root / "outputs", raw=report_exports, notebooks=True)
    assert result.ok, result.failures
    return result


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The whole demo (5 campaigns, 2021-2022 on the 9-engagement questionnaire, 6 networks) written and loaded once."""
    from autodiag.demo.writer import write_demo_data
    from autodiag.ingest.loader import ingest

    root = tmp_path_factory.mktemp("demo")
    write_demo_data(root / "exports")
    path = root / "demo.duckdb"
    report = ingest(path, [root / "exports"])
    assert report.ok and report.total("new") > 500 and report.superseded
    return path
