"""The codebook: every column of the researcher exports and every question of each
questionnaire version, with its labels (`export codebook`, ``Autodiag.codebook()``)."""

from __future__ import annotations

import duckdb
import pandas as pd

from autodiag.paths import sql_text

# dataset -> (column, type, meaning). The datasets are the exports of the same name.
COLUMNS = {
    "scores": [
        ("campagne", "entier", "année de campagne"),
        ("code_structure", "texte", "code Services Publics + de la structure"),
        ("level", "texte", "niveau du taux : global, engagement ou theme"),
        ("unit", "texte", "global, E1 … E8, ou l'identifiant du thème (E1_T1 …)"),
        ("points", "décimal", "points validés (vide pour global)"),
        ("applicable", "entier", "questions applicables (vide pour global)"),
        ("missing", "entier", "réponses vides, « non renseignées » (vide pour global)"),
        (
            "rate",
            "décimal",
            "taux d'atteinte en pourcentage (0 à 100), non arrondi ; vide quand rien n'est applicable",
        ),
        ("version", "texte", "version du questionnaire de la soumission (2021 : 9 engagements, 2024 : 8)"),
    ],
    "answers": [
        ("campaign", "entier", "année de campagne"),
        ("network", "texte", "réseau de la structure"),
        ("code", "texte", "code Services Publics + de la structure"),
        ("version", "texte", "version du questionnaire (référentiel) de la campagne"),
        ("submission_id", "entier", "identifiant de la soumission retenue dans la base"),
        ("engagement", "entier", "numéro de l'engagement (1 à 8)"),
        ("theme", "texte", "identifiant du thème (E1_T1 …)"),
        ("question_id", "texte", "identifiant de la question (E1_Q01 …), voir les lignes « question »"),
        ("question", "texte", "texte de la question"),
        ("status", "texte", "answered (répondue), not_applicable (non applicable) ou missing (vide)"),
        (
            "answer",
            "texte",
            "réponse telle que libellée : Oui, Partiellement, Initié, Non, Non applicable ; "
            "choix multiples : options cochées séparées par | (Aucun si aucune) ; vide si non renseignée",
        ),
        ("points", "décimal", "points de la réponse (0 à 1) ; vide si non applicable ou non renseignée"),
        ("applicable", "booléen", "vrai si la réponse compte dans les taux (ni non applicable, ni vide)"),
    ],
    "verbatims": [
        ("campaign", "entier", "année de campagne"),
        ("network", "texte", "réseau de la structure"),
        ("code", "texte", "code Services Publics + de la structure"),
        ("name", "texte", "nom de la structure"),
        ("version", "texte", "version du questionnaire (référentiel) de la campagne"),
        ("engagement", "entier", "numéro de l'engagement (1 à 8)"),
        (
            "field",
            "texte",
            "points_forts (points forts au bénéfice des usagers) ou besoin_appui (besoin d'appui)",
        ),
        ("text", "texte", "texte saisi par la structure"),
    ],
    "codebook": [
        ("entry", "texte", "colonne (une colonne d'un export) ou question (une question d'un questionnaire)"),
        (
            "dataset",
            "texte",
            "l'export où figure la colonne ou la question : scores, answers, verbatims, codebook",
        ),
        ("version", "texte", "version du questionnaire (lignes question)"),
        ("name", "texte", "nom de la colonne, ou identifiant de la question (E1_Q01 …)"),
        (
            "type",
            "texte",
            "type de la colonne ; pour une question : scale (Oui … Non) ou multi (choix multiples)",
        ),
        ("label", "texte", "signification de la colonne, ou texte de la question"),
        ("engagement", "entier", "numéro de l'engagement de la question"),
        ("engagement_title", "texte", "intitulé de l'engagement"),
        ("theme", "texte", "identifiant du thème de la question"),
        ("theme_title", "texte", "intitulé du thème"),
        ("answers", "texte", "réponses possibles, séparées par |"),
        ("points", "texte", "points de chaque réponse (choix multiples : selon le nombre d'options cochées)"),
    ],
}
CODEBOOK_COLUMNS = [
    "entry",
    "dataset",
    "version",
    "name",
    "type",
    "label",
    "engagement",
    "engagement_title",
    "theme",
    "theme_title",
    "answers",
    "points",
]


def codebook(con: duckdb.DuckDBPyConnection, version: str | None = None) -> pd.DataFrame:
    """Column rows (entry « colonne ») then question rows (entry « question », per version)."""
    columns = pd.DataFrame(
        [
            ("colonne", dataset, None, name, kind, label)
            for dataset, rows in COLUMNS.items()
            for name, kind, label in rows
        ],
        columns=["entry", "dataset", "version", "name", "type", "label"],
    )
    questions = con.execute(sql_text("marts/codebook_questions"), {"version": version}).df()
    questions = questions.rename(columns={"question_id": "name", "kind": "type", "question": "label"}).assign(
        entry="question", dataset="answers"
    )
    frame = pd.concat([columns, questions], ignore_index=True)
    frame["engagement"] = frame["engagement"].astype("Int64")
    return frame[CODEBOOK_COLUMNS]
