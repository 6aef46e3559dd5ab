"""Declarative data checks: each query in sql/checks/ returns the rows that break a rule."""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from autodiag.paths import SQL_DIR, sql_text


class Explanation(NamedTuple):
    title: str
    rule: str
    remedy: str


RESCORE = "relancer « autodiag score » ; si le défaut reste, recharger les exports dans une nouvelle base"
RELOAD = "recharger les exports dans une nouvelle base (« autodiag ingest »)"

# What each check verifies, in the words `autodiag check` prints (one per file of sql/checks/).
EXPLANATIONS = {
    "answers_complete": Explanation(
        "Réponses complètes",
        "chaque soumission a une seule série de réponses, avec une réponse valide par question de son questionnaire",
        RELOAD,
    ),
    "applicable_within_questions": Explanation(
        "Décomptes cohérents",
        "dans chaque engagement et thème, questions applicables et réponses vides ne dépassent pas les questions "
        "du questionnaire, et les points restent entre 0 et le nombre de questions applicables",
        RESCORE,
    ),
    "rates_within_bounds": Explanation(
        "Taux entre 0 et 100 %",
        "chaque taux calculé est un pourcentage compris entre 0 et 100",
        RESCORE,
    ),
    "retained_is_latest": Explanation(
        "Soumission retenue la plus récente",
        "pour chaque structure et campagne, une seule soumission est retenue : celle dont la date d'enregistrement "
        "est la plus récente",
        RELOAD,
    ),
    "scores_complete": Explanation(
        "Taux complets",
        "chaque soumission a une seule série de taux, avec une valeur par unité de son questionnaire "
        "(global, engagements, thèmes)",
        RESCORE,
    ),
}


def check_names() -> list[str]:
    return sorted(p.stem for p in (SQL_DIR / "checks").glob("*.sql"))


def explain(name: str) -> Explanation:
    return EXPLANATIONS.get(name, Explanation(name, "contrôle sans description", RELOAD))


def run_checks(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Name of each check -> offending rows (empty when the rule holds)."""
    return {name: con.execute(sql_text(f"checks/{name}")).fetchall() for name in check_names()}
