"""The real report of STR-24 (campaign 2024) comes out exactly, figure by figure."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autodiag import formatting as fmt
from autodiag.ingest.loader import ingest
from autodiag.paths import ROOT

from .conftest import run_cli
from .seed_figures import ENGAGEMENTS, GLOBAL, THEMES


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> tuple[Path, dict]:
    """The seed export loaded and scored; the scores export read back."""
    tmp = tmp_path_factory.mktemp("seed")
    db = tmp / "seed.duckdb"
    report = ingest(db, [ROOT / "data" / "seed" / "STR-24_2024.csv"])
    assert report.ok and report.total("new") == 1
    out = tmp / "scores.csv"
    run_cli("export", "scores", "--db", db, "--out", out, check=True)
    with out.open(encoding="utf-8", newline="") as f:
        rows = {(r["level"], r["unit"]): r for r in csv.DictReader(f)}
    return db, rows


def _float(text: str) -> float | None:
    return float(text) if text else None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def test_expected_figures_hold_together():
    """The figures copied from the report agree with each other: a typo in the test data fails here."""
    for unit, (rate, points, applicable, questions) in ENGAGEMENTS.items():
        themes = [t for code, t in THEMES.items() if code.startswith(unit + "_")]
        assert themes, unit
        assert sum(a for _, _, a in themes) == applicable <= questions, unit
        assert sum(_number(p) for _, p, a in themes if a) == _number(points), unit
        assert fmt.rate(100 * _number(points) / applicable) == rate, unit
    for unit, (rate, points, applicable) in THEMES.items():
        if applicable:
            assert fmt.theme_rate(100 * _number(points) / applicable) == rate, unit
        else:
            assert (rate, points) == ("--%", "--"), unit
    rates = [100 * _number(p) / a for _, p, a, _ in ENGAGEMENTS.values()]
    assert fmt.rate(sum(rates) / len(rates)) == GLOBAL
    assert len(ENGAGEMENTS) == 8 and len(THEMES) == 23


def test_scores_export_reproduces_every_engagement(scored):
    _, rows = scored
    for unit, (rate, points, applicable, _) in ENGAGEMENTS.items():
        row = rows[("engagement", unit)]
        assert fmt.rate(_float(row["rate"])) == rate, unit
        assert fmt.points(_float(row["points"])) == points, unit
        assert int(row["applicable"]) == applicable, unit
        # Engagement rate pools its questions: points / applicable, not the mean of its themes.
        assert float(row["rate"]) == pytest.approx(100 * float(row["points"]) / applicable, abs=1e-12)


def test_scores_export_reproduces_every_theme(scored):
    _, rows = scored
    assert {u for (level, u) in rows if level == "theme"} == set(THEMES)
    for unit, (rate, points, applicable) in THEMES.items():
        row = rows[("theme", unit)]
        assert fmt.theme_rate(_float(row["rate"])) == rate, unit
        assert fmt.points(_float(row["points"]), int(row["applicable"])) == points, unit
        assert int(row["applicable"]) == applicable, unit
    assert rows[("theme", "E4_T2")]["rate"] == ""  # nothing applicable: no rate


def test_global_rate_is_the_mean_of_unrounded_engagement_rates(scored):
    _, rows = scored
    engagement_rates = [float(rows[("engagement", u)]["rate"]) for u in ENGAGEMENTS]
    overall = float(rows[("global", "global")]["rate"])
    assert overall == pytest.approx(sum(engagement_rates) / 8, abs=1e-12)
    assert overall == pytest.approx(55.637254902, abs=1e-9)
    assert fmt.rate(overall) == GLOBAL
    # The two tempting wrong ways give 55,7.
    assert fmt.rate(sum(float(fmt.round_half_up(r)) for r in engagement_rates) / 8) == "55,7 %"
    points = sum(float(rows[("engagement", u)]["points"]) for u in ENGAGEMENTS)
    applicable = sum(int(rows[("engagement", u)]["applicable"]) for u in ENGAGEMENTS)
    assert fmt.rate(100 * points / applicable) == "55,7 %"


def test_half_up_rounding_of_31_25():
    # Python's round(31.25, 1) gives 31.2 (half-even on the float): the report says 31,3.
    assert fmt.rate(31.25) == "31,3 %"
    assert fmt.theme_rate(68.75) == "68,8%"


def test_export_has_the_contract_columns(scored):
    _, rows = scored
    first = next(iter(rows.values()))
    assert list(first) == [
        "campagne",
        "code_structure",
        "level",
        "unit",
        "points",
        "applicable",
        "missing",
        "rate",
        "version",
    ]
    assert {r["version"] for r in rows.values()} == {"2024"}
    assert len(rows) == 1 + 8 + 23
    assert rows[("global", "global")]["points"] == ""
    assert rows[("engagement", "E1")]["missing"] == "1"  # E1_Q12 left empty in the export


def test_show_prints_every_seed_figure(scored):
    db, _ = scored
    result = run_cli("show", "STR-24", "--campaign", "2024", "--db", db, check=True)
    out = result.stdout
    assert GLOBAL in out
    for rate, points, applicable, questions in ENGAGEMENTS.values():
        assert rate in out
        assert f"sur {questions} questions" in out
    lines = out.splitlines()
    for unit, (rate, points, applicable) in THEMES.items():
        assert any(
            line.split("│")[2:5]
            and [c.strip() for c in line.split("│")[2:5]] == [rate, points, str(applicable)]
            for line in lines
        ), unit
    assert out.count("Aucune donnée") == 2  # E5 and E8 have no "besoin d'appui"
    assert "Clermont Auvergne" in out and "06/05/2024 12:22:58" in out


def test_show_unknown_structure_is_a_clear_error(scored):
    db, _ = scored
    result = run_cli("show", "STR-999", "--db", db)
    assert result.returncode == 1
    assert "structure « STR-999 » absente de la base" in result.stderr
    assert "Traceback" not in result.stderr
