"""Shared fixtures: a fresh database path, the seed export, running the CLI."""

from __future__ import annotations

import os
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


def run_cli(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    """Run `autodiag ARGS` as a user would, wide terminal so tables do not wrap."""
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run([*AUTODIAG, *map(str, args)], capture_output=True, text=True, env=env, cwd=ROOT)
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
    from autodiag.ingest import ingest

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
