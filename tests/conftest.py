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
