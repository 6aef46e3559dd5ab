"""A small export set for the report tests: the real STR-24 2024 row plus synthetic
structures in three networks and two campaigns (one network too small to show aggregates,
one structure whose name and verbatim are HTML/JS injections)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from autodiag.paths import REFERENTIELS_DIR, SEED_EXPORT

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


def seed_row() -> dict[str, str]:
    with SEED_EXPORT.open(encoding="utf-8", newline="") as f:
        return next(csv.DictReader(f, delimiter=";"))


def scale_questions() -> list[str]:
    with (REFERENTIELS_DIR / "2024.csv").open(encoding="utf-8", newline="") as f:
        return [r["question_id"] for r in csv.DictReader(f, delimiter=";") if r["kind"] == "scale"]


def synthetic_row(base: dict, code: str, name: str, network: str, campaign: int, rng: random.Random) -> dict:
    row = dict(base)
    row.update({
        "code_structure": code, "nom_structure": name, "reseau": network, "typologie": "Structure d'essai",
        "localisation": f"{rng.randint(1, 95):02d}000", "campagne": str(campaign),
        "date_enregistrement": f"{rng.randint(10, 28)}/05/{campaign} 10:{rng.randint(10, 59)}:00",
        "nb_agents_contributeurs": str(rng.randint(1, 20)), "nb_agents_interaction": str(rng.randint(5, 200)),
    })
    for question in scale_questions():
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
        rows = [base] if campaign == 2024 else [
            synthetic_row(base, "STR-24", base["nom_structure"], BIG, 2023, rng)]
        for code, (name, network, campaigns) in STRUCTURES.items():
            if campaign in campaigns:
                rows.append(synthetic_row(base, code, name, network, campaign, rng))
        with (folder / f"fixture-{campaign}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(base), delimiter=";")
            writer.writeheader()
            writer.writerows(rows)
    return folder


# The STR-24 2024 structure report as printed in the seed report (seeds/003): per engagement,
# (rate, n questions, [(theme, rate, points, applicable)...], (total points, total applicable)).
SEED_GLOBAL = "55,6 %"
SEED_ENGAGEMENTS = {
    1: ("61,1 %", 13, [("Accueil courtois, attitude bienveillante et respect mutuel", "68,8%", "5,5", "8"),
                       ("Application du droit à l'erreur dans les conditions prévues par la loi", "0%", "0", "1")], ("5,5", "9")),
    2: ("61,8 %", 17, [("Diversité des canaux de contact", "45%", "2,25", "5"),
                       ("Complétude et actualisation des informations pratiques", "70,8%", "4,25", "6"),
                       ("Accessibilité du service public", "66,7%", "4", "6")], ("10,5", "17")),
    3: ("43,8 %", 12, [("Accompagnement des usagers sur l'ensemble des canaux de contact", "55%", "2,75", "5"),
                       ("Orientation des usagers", "25%", "0,25", "1"),
                       ("Attention portée aux demandes urgentes ou prioritaires", "0%", "0", "1"),
                       ("Proactivité", "41,7%", "1,25", "3"),
                       ("Principe de l'aller-vers et lutte contre le non-recours", "50%", "1", "2")], ("5,25", "12")),
    4: ("66,7 %", 6, [("Transmission d'une réponse à toute demande écrite", "100%", "2", "2"),
                      ("Visibilité sur l'avancement du traitement d'une demande / démarche", "--%", "--", "0"),
                      ("Gestion des délais de traitement des démarches / demandes", "0%", "0", "1")], ("2", "3")),
    5: ("57,1 %", 7, [("Communications écrites et orales simples et faciles à comprendre", "80%", "4", "5"),
                      ("Simplification des documents écrits", "0%", "0", "2")], ("4", "7")),
    6: ("31,3 %", 5, [("Déploiement des indicateurs communs des services publics", "0%", "0", "2"),
                      ("Communication des résultats de qualité de service", "25%", "0,25", "1"),
                      ("Analyse des résultats de qualité de service", "100%", "1", "1")], ("1,25", "4")),
    7: ("42,9 %", 14, [("Prise en compte des avis des usagers", "50%", "2", "4"),
                       ("Déploiement du programme Services Publics +", "58,3%", "1,75", "3"),
                       ("Démarche d'amélioration continue", "32,1%", "2,25", "7")], ("6", "14")),
    8: ("80,6 %", 9, [("Actions en réponse aux enjeux de la transition écologique et énergétique", "75%", "4,5", "6"),
                      ("Incitation à la participation des usagers", "91,7%", "2,75", "3")], ("7,25", "9")),
}
SEED_STRINGS = [SEED_GLOBAL, *(e[0] for e in SEED_ENGAGEMENTS.values()),
                "68,8%", "45%", "70,8%", "66,7%", "55%", "25%", "41,7%", "50%", "100%", "0%", "--%", "80%",
                "58,3%", "32,1%", "75%", "91,7%",
                "5,5", "10,5", "5,25", "2,25", "4,25", "2,75", "0,25", "1,25", "1,75", "4,5", "7,25",
                "Aucune donnée", "06/05/2024 12:22:58", "63000", "STR-24"]
