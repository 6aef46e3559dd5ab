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

if os.environ.get("PYTEST_XDIST_WORKER"):
    # pytest-xdist's workers (make test-rapide) start with COLUMNS=80 and LINES=24 in their
    # environment, where a plain run has neither. rich fixes a console's width from COLUMNS when
    # the console is made, and the CLI makes its consoles on import: the tests that give the CLI
    # a wider terminal (COLUMNS=250) would still get 80 columns there.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)


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


# --- slow tests and Chromium: one place -------------------------------------------------------
# `make test-rapide` runs `pytest -m "not lent"`, `make test` every test. A test is marked `lent`
# (slow) from what it uses rather than from a list of names: one of the words below in its code,
# in the tests/ helpers it calls or in the fixtures it uses (followed through tests/ code); or
# it is a Hypothesis property test; or, last resort, it is in BIG_INPUT_TESTS. A test that
# needs Chromium is marked `chromium` too: see pytest_runtest_setup for when it is missing.
SITE_WORDS = {"build_all", "render_many"}  # builds a site, or renders every structure page of a campaign
NOTEBOOK_WORDS = {"execute_notebook"}  # Papermill runs a notebook (autodiag's or papermill's own)
CHROMIUM_WORDS = {
    "sync_playwright",
    "webdriver",
    "print_pdf",
    "--pdf",
}  # opens Chromium, or prints a PDF with it
KILL_WORDS = {"SIGKILL"}  # kills processes at random moments, many times over (crash safety)
# Slow by the size of their input alone, which no word tells apart:
BIG_INPUT_TESTS = {
    "test_many_files.py::test_every_broken_file_is_judged_in_a_batch_as_alone",
    "test_many_files.py::test_a_batch_gives_the_database_of_one_file_at_a_time",
    "test_bounded_reports.py::test_200000_invalid_rows_stay_under_60_lines",
}
CHROMIUM = Path("/usr/bin/chromium")  # Debian's (`make chromium`), where the browser tests launch it


def _words(func, seen: set) -> set[str]:
    """The names and string constants of ``func``'s code, of the functions nested in it, and of
    the tests/ functions it names (followed the same way)."""
    code = getattr(func, "__code__", None)
    if code is None or code in seen:
        return set()
    seen.add(code)
    words: set[str] = set()
    codes = [code]
    while codes:
        c = codes.pop()
        words.update(c.co_names)
        for const in c.co_consts:
            if isinstance(const, str):
                words.add(const)
            elif hasattr(const, "co_names"):
                codes.append(const)
    module_globals = getattr(func, "__globals__", {})
    for name in list(words):
        helper = module_globals.get(name)
        if not callable(helper) or not getattr(helper, "__module__", "").startswith("tests"):
            continue
        if isinstance(helper, type):  # a helper class: its methods
            for method in vars(helper).values():
                words |= _words(method, seen)
        else:
            words |= _words(getattr(helper, "__wrapped__", helper), seen)
    return words


def _item_words(item) -> set[str]:
    seen: set = set()
    words = _words(getattr(item, "obj", None), seen)
    for defs in item._fixtureinfo.name2fixturedefs.values():
        for fixturedef in defs:
            if getattr(fixturedef.func, "__module__", "").startswith("tests"):
                words |= _words(fixturedef.func, seen)
    return words


def pytest_configure(config):
    config.addinivalue_line("markers", "lent: slow, left out by `make test-rapide` (set by conftest.py)")
    config.addinivalue_line("markers", "chromium: needs Debian's Chromium (set by conftest.py)")


def pytest_collection_modifyitems(config, items):
    from hypothesis import is_hypothesis_test

    for item in items:
        words = _item_words(item)
        if words & CHROMIUM_WORDS:
            item.add_marker(pytest.mark.chromium)
        if (
            words & (SITE_WORDS | NOTEBOOK_WORDS | CHROMIUM_WORDS | KILL_WORDS)
            or is_hypothesis_test(getattr(item, "obj", None))
            or f"{item.path.name}::{item.originalname}" in BIG_INPUT_TESTS
        ):
            item.add_marker(pytest.mark.lent)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Without Chromium, a test that needs it is skipped, with the reason; in CI (CI=true) it
    fails: CI installs Chromium (`make test` depends on `make chromium`)."""
    if item.get_closest_marker("chromium") is None or CHROMIUM.exists():
        return
    message = f"Chromium introuvable ({CHROMIUM}) : lancez « make chromium » (apt-get install chromium)."
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# --- the browser the page tests share (Playwright driving Debian's Chromium, no download) ---
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from autodiag.reports.run import CHROMIUM_QUIET

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_QUIET, headless=True)
        yield launched
        launched.close()
