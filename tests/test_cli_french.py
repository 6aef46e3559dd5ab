"""What the command line prints for a mistyped command is in French, as its help is."""

from __future__ import annotations

import pytest

from .conftest import run_cli


def test_help_is_in_french():
    result = run_cli("show", "--help")
    assert result.returncode == 0
    assert "Utilisation : autodiag show [OPTIONS] {code}" in result.stdout
    assert "Afficher cette aide et quitter." in result.stdout
    assert "Usage" not in result.stdout and "Show this message" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show"], "argument obligatoire absent : « code »."),
        (
            ["show", "STR-24", "--campain", "2024"],
            "option inconnue : --campain (options proches : --campagne, --campaign)",
        ),
        (["shwo"], "commande inconnue : « shwo » (vouliez-vous dire « show » ?)"),
        (["show", "STR-24", "STR-25"], "argument(s) en trop : STR-25"),
        (["export", "scores", "--out"], "l'option « --out » attend une valeur."),
        (
            ["export", "scores", "--out", "x.csv", "--campaign", "deux-mille"],
            "valeur refusée pour « --campagne » : nombre entier attendu",
        ),
        (
            ["ingest", "dossier-qui-n-existe-pas"],
            "valeur refusée pour « fichiers » : « dossier-qui-n-existe-pas » n'existe pas",
        ),
        (
            ["build", "--workers", "0"],
            "valeur refusée pour « --processus » : nombre au moins égal à 1 attendu",
        ),
    ],
)
def test_command_line_mistakes_are_told_in_french(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "Usage" not in result.stderr
