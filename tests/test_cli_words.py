"""Every word the command line shows is French: --help of every command (types, usage line,
option names), `check` and its explanations, report errors; the old English option names
still work as aliases."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest
import typer.main

from autodiag import cli
from autodiag.cli.report_commands import french_failure
from autodiag.scoring.checks import EXPLANATIONS, check_names

from .conftest import run_cli
from .ingest_helpers import invoke_cli


def command_paths(command=None, path=()) -> list[tuple[str, ...]]:
    command = command or typer.main.get_command(cli.app)
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += command_paths(sub, (*path, name))
    return found


COMMANDS = command_paths()
# Every option's French name, shown first, and its old English name, still accepted.
OPTION_NAMES = {
    "--campaign": "--campagne",
    "--campaigns": "--campagnes",
    "--network": "--reseau",
    "--out": "--sortie",
    "--db": "--base",
    "--lenient": "--tolerant",
    "--raw": "--exports",
    "--min-group-size": "--effectif-minimum",
    "--workers": "--processus",
    "--notebooks": "--carnets",
    "--sans-notebooks": "--sans-carnets",
    "--quality": "--qualite",
}
ENGLISH = [
    r"<bool>",
    r"<path>",
    r"<int",
    r"<text>",
    r"<str>",
    r"<float>",
    r"<file>",
    r"<directory>",
    r"list\[",
    r" range",
    r"x>=",
    r"x<=",
    r"\bCOMMAND\b",
    r"\[ARGS\]",
    r"Usage",
    r"Show this message",
    r"default:",
    r"required\]",
    r"Options:",
    r"Commands:",
    r"\bparquet\b.*\bfiles\b",
    r"read-only",
    r"\{paths\}",
]


def test_every_command_is_listed():
    names = {" ".join(p) for p in COMMANDS}
    assert {
        "ingest",
        "show",
        "check",
        "export scores",
        "export answers",
        "export verbatims",
        "export codebook",
        "export parquet",
        "report network",
        "build",
        "quarantine list",
    } <= names
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "autodiag" for p in COMMANDS])
def test_help_has_no_english_placeholder(path):
    result = run_cli(*path, "--help")  # as a user sees it, 250 columns wide: nothing cut
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Utilisation : autodiag" in text
    for pattern in ENGLISH:
        assert not re.search(pattern, text), (pattern, text)
    for english, french in OPTION_NAMES.items():  # the French name first, the English one its alias
        if re.search(rf"{english}\b(?![-\w])", text):
            assert re.search(rf"{french},{english}\b", text), (english, text)


def test_help_shows_french_types_and_ranges():
    text = run_cli("build", "--help").stdout
    assert "<entier> [≥ 1]" in text and "<chemin>" in text
    assert "--carnets,--notebooks" in text and "--sans-carnets,--sans-notebooks" in text
    assert "Base DuckDB : les exports y sont chargés, puis les rapports la lisent." in text
    assert "lecture seule" not in text  # build writes the database
    assert "Utilisation : autodiag [OPTIONS] COMMANDE [ARGUMENTS]..." in run_cli("--help").stdout
    assert "Utilisation : autodiag ingest [OPTIONS] {fichiers}..." in run_cli("ingest", "--help").stdout


def test_old_english_option_names_still_work(report_db, tmp_path):
    for options in (
        [
            "--campaign",
            "2024",
            "--network",
            "Petit réseau",
            "--db",
            str(report_db),
            "--out",
            str(tmp_path / "a.csv"),
        ],
        [
            "--campagne",
            "2024",
            "--reseau",
            "Petit réseau",
            "--base",
            str(report_db),
            "--sortie",
            str(tmp_path / "b.csv"),
        ],
    ):
        result = invoke_cli("export", "verbatims", *options)
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_command_suggestions_are_quoted_one_by_one():
    result = run_cli("exprt")
    assert result.returncode == 2
    assert "commande inconnue : « exprt » (vouliez-vous dire « export » ou « report » ?)" in result.stderr
    assert "'" not in result.stderr.split("commande inconnue")[1].split("\n")[0]


def test_every_check_is_explained_in_french():
    assert set(EXPLANATIONS) == set(check_names())


def test_check_prints_each_rule(report_db):
    result = invoke_cli("check", "--db", report_db)
    assert result.exit_code == 0, result.output
    for name, what in EXPLANATIONS.items():
        assert f"✓ {what.title} : {what.rule}. ({name})" in result.stdout
    assert "5 contrôle(s) sur 5 respecté(s)." in result.stdout


def test_a_broken_check_says_what_to_do(report_db, tmp_path):
    import shutil

    import duckdb

    broken = tmp_path / "broken.duckdb"
    shutil.copy(report_db, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute("update score_sets set rate = list_concat([120.0], rate[2:]) where submission_id = 1")
    result = invoke_cli("check", "--db", broken)
    assert result.exit_code == 1
    assert (
        "✗ Taux entre 0 et 100 % : chaque taux calculé est un pourcentage compris entre 0 et 100."
        in result.stdout
    )
    assert (
        "1 ligne(s) en défaut, par exemple « 1, global, global, 120.0 » ; que faire : relancer « autodiag score »"
        in result.stdout
    )


def test_report_with_an_unknown_code_is_refused_before_any_kernel(report_db, tmp_path):
    result = run_cli(
        "report",
        "structure",
        "--campagne",
        "2024",
        "--code",
        "STR-2A",
        "--db",
        report_db,
        "--out",
        tmp_path / "r.html",
    )
    assert result.returncode == 1
    assert "structure « STR-2A » absente de la base en 2024 (vouliez-vous dire « STR-24 »" in result.stderr
    assert "LookupError" not in result.stderr and "IPKernelApp" not in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_report_error_messages_leave_python_names_out():
    assert french_failure(
        "le notebook x.ipynb a échoué : LookupError: aucune soumission retenue pour X en 2024"
    ) == ("le notebook x.ipynb a échoué : aucune soumission retenue pour X en 2024")
    assert french_failure("KeyError: 'nom'") == "erreur inattendue (KeyError) : 'nom'"


def test_kernel_log_lines_are_kept_off_the_terminal(tmp_path):
    """A kernel's « [IPKernelApp] ERROR » line, written to the inherited stderr, is dropped;
    any other line still reaches the terminal."""
    script = textwrap.dedent("""
        import subprocess
        from autodiag import cli  # noqa: F401  (cli_reports is loaded by cli)
        from autodiag.cli.report_commands import kernel_logs_hidden
        with kernel_logs_hidden():
            subprocess.run(["sh", "-c", "echo '[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.' >&2; echo autre ligne >&2"])
        print("fin")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "IPKernelApp" not in result.stderr
    assert "autre ligne" in result.stderr and result.stdout == "fin\n"


def test_ingest_counts_are_written_the_french_way(tmp_path):
    """1 000 rows read « 1 000 », as every figure a user reads."""
    from autodiag.formatting import number
    from tests.data import make_broken as mb

    export = tmp_path / "mille.csv"
    export.write_bytes(mb.csv_bytes(mb.HEADER, mb.rows(*({} for _ in range(1000)))))
    result = invoke_cli("ingest", export, "--db", tmp_path / "autodiag.duckdb")
    assert result.exit_code == 0, result.output
    thousand = number(1000)
    assert f"✓ {export} : {thousand} ligne(s), {thousand} nouvelle(s) soumission(s)" in result.stdout
    assert f"soumissions : {thousand} nouvelle(s)" in " ".join(result.stdout.split())
