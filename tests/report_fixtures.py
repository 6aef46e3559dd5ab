"""A small export set for the report tests: the real STR-24 2024 row plus synthetic
structures in three networks and two campaigns (one network too small to show aggregates,
one structure whose name and verbatim are HTML/JS injections)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from autodiag.referentiel.questionnaires import load_all

from .exports import seed_row
from .seed_figures import ENGAGEMENTS, GLOBAL, THEMES

CAMPAIGNS = (2023, 2024)
BIG = "Universités et écoles"
OTHER = "Réseau d'essai B"
SMALL = "Petit réseau"
XSS_CODE = "STR-966"
XSS_NAME = '<img src=x onerror="window.__xss=2">'
XSS_TEXT = "<script>window.__xss=1</script>"
SCALE = ["Oui", "Oui", "Partiellement", "Initié", "Non", "Non applicable"]

# code -> (name, network, campaigns)
STRUCTURES = {
    "STR-901": ("Bibliothèque universitaire de Montlouis", BIG, CAMPAIGNS),
    "STR-902": ("Service commun de documentation de Belval", BIG, CAMPAIGNS),
    "STR-903": ("Bibliothèque de l'École d'ingénieurs de Ravel", BIG, (2024,)),
    "STR-961": ("Médiathèque d'essai de Valfleur", OTHER, CAMPAIGNS),
    "STR-962": ("Médiathèque d'essai de Roncières", OTHER, CAMPAIGNS),
    "STR-963": ("Médiathèque d'essai de Saint-Aubin", OTHER, (2024,)),
    XSS_CODE: (XSS_NAME, OTHER, (2024,)),
    "STR-981": ("Petite bibliothèque de Lorval", SMALL, CAMPAIGNS),
    "STR-982": ("Petite bibliothèque de Mirande", SMALL, (2024,)),
}
QUESTIONS = load_all()["2024"]
SCALE_QUESTIONS = [q.question_id for q in QUESTIONS if q.kind == "scale"]
THEME_TITLES = {q.theme_id: q.theme_title for q in QUESTIONS}


def synthetic_row(base: dict, code: str, name: str, network: str, campaign: int, rng: random.Random) -> dict:
    row = dict(base)
    row.update(
        {
            "code_structure": code,
            "nom_structure": name,
            "reseau": network,
            "typologie": "Structure d'essai",
            "localisation": f"{rng.randint(1, 95):02d}000",
            "campagne": str(campaign),
            "date_enregistrement": f"{rng.randint(10, 28)}/05/{campaign} 10:{rng.randint(10, 59)}:00",
            "nb_agents_contributeurs": str(rng.randint(1, 20)),
            "nb_agents_interaction": str(rng.randint(5, 200)),
        }
    )
    for question in SCALE_QUESTIONS:
        row[question] = rng.choice(SCALE)
    for e in range(1, 9):
        row[f"E{e}_points_forts"] = f"Point fort {e} de {code}" if rng.random() < 0.6 else ""
        row[f"E{e}_besoin_appui"] = f"Besoin d'appui {e} exprimé par {code}" if rng.random() < 0.6 else "RAS"
    if code == XSS_CODE:
        row["E1_points_forts"] = XSS_TEXT
        row["E2_besoin_appui"] = XSS_TEXT
    return row


def write_fixture_exports(folder: Path) -> Path:
    """One CSV per campaign (answer-export contract), deterministic."""
    folder.mkdir(parents=True, exist_ok=True)
    base = seed_row()
    rng = random.Random(3)
    for campaign in CAMPAIGNS:
        rows = (
            [base]
            if campaign == 2024
            else [synthetic_row(base, "STR-24", base["nom_structure"], BIG, 2023, rng)]
        )
        for code, (name, network, campaigns) in STRUCTURES.items():
            if campaign in campaigns:
                rows.append(synthetic_row(base, code, name, network, campaign, rng))
        with (folder / f"fixture-{campaign}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(base), delimiter=";")
            writer.writeheader()
            writer.writerows(rows)
    return folder


# The STR-24 2024 structure report as printed in the seed report (tests/seed_figures.py): per engagement,
# (rate, n questions, [(theme, rate, points, applicable)...], (total points, total applicable)).
SEED_GLOBAL = GLOBAL
SEED_ENGAGEMENTS = {
    int(engagement[1:]): (
        rate,
        questions,
        [
            (THEME_TITLES[theme], *theme_figures[:2], str(theme_figures[2]))
            for theme, theme_figures in THEMES.items()
            if theme.startswith(f"{engagement}_")
        ],
        (points, str(applicable)),
    )
    for engagement, (rate, points, applicable, questions) in ENGAGEMENTS.items()
}
SEED_STRINGS = [
    SEED_GLOBAL,
    *(e[0] for e in ENGAGEMENTS.values()),
    *dict.fromkeys(t[0] for t in THEMES.values()),  # theme rates
    # points with decimals (whole numbers are too common in a page to prove anything)
    *dict.fromkeys(f[1] for f in [*ENGAGEMENTS.values(), *THEMES.values()] if "," in f[1]),
    "Aucune donnée",
    "06/05/2024 12:22:58",
    "63000",
    "STR-24",
]
