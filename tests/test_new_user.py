"""What a new user meets first, at 80 columns: names never cut, a network typed without its
accents, a build summary whose phrases stay whole."""

from __future__ import annotations

from typer.testing import CliRunner

from autodiag.api import Autodiag
from autodiag.cli import app
from autodiag.matching import match_key

from .report_fixtures import BIG

NARROW = {"COLUMNS": "80", "NO_COLOR": "1"}


def test_show_at_80_columns_cuts_no_theme_name(report_db):
    result = CliRunner().invoke(
        app, ["show", "STR-24", "--campagne", "2024", "--db", str(report_db)], env=NARROW
    )
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    assert "questions incluses au questionnaire" in result.output.replace("\n", " ")


def test_a_network_typed_without_accents_is_the_one_it_matches(report_db, tmp_path):
    plain = match_key(BIG)  # « universites et ecoles »
    assert plain != BIG
    with Autodiag(report_db) as db:
        assert db.resolve(2024, plain)[1] == BIG
        assert len(db.scores(campaign=2024, network=plain)) == len(db.scores(campaign=2024, network=BIG))
    out = tmp_path / "reseau.html"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "network",
            "--campagne",
            "2024",
            "--reseau",
            plain,
            "--db",
            str(report_db),
            "--sortie",
            str(out),
        ],
        env=NARROW,
    )
    assert result.exit_code == 0, result.output
    assert f"Rapport réseau — {BIG}" in out.read_text(encoding="utf-8")


def test_build_summary_keeps_its_phrases_whole_at_80_columns(report_exports, tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "build",
            "--db",
            str(tmp_path / "autodiag.duckdb"),
            "--exports",
            str(report_exports),
            "--sortie",
            str(tmp_path / "outputs"),
            "--sans-carnets",
        ],
        env=NARROW,
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    summary = lines[next(i for i, line in enumerate(lines) if line.startswith("Source")) :]
    for line in summary:
        if "/" not in line:  # a long path may wrap; a phrase never does
            assert len(line) <= 80 and not line.startswith(("jour", "et tendances")), line
    assert any(line.strip().startswith("dont attente des rapports réseaux") for line in summary)
