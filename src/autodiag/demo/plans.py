"""The demo's action plans: a few structures of 2024 that answered again in 2025 fill in the plan
that ``autodiag export plan`` writes (some actions done, some not), so that the 2025 pages show
« Suivi du plan d'action ». Written from the scored base (the plan lists its levers)."""

from __future__ import annotations

from pathlib import Path

from autodiag.analysis.levers import LeverReader
from autodiag.analysis.privacy import DEFAULT
from autodiag.api import Autodiag
from autodiag.exports.plan import read_plan_data, write_xlsx
from autodiag.safe_files import atomic_file
from autodiag.slugs import slugify

PLAN_CAMPAIGN = 2024
STRUCTURES = 8  # plans written (STR-24 first, then the smallest codes answering again in 2025)
ACTIONS = [
    ("Mettre en place un tableau de suivi partagé", "Responsable qualité", "31/12/2024", "fait"),
    ("Former l'équipe d'accueil lors d'une réunion de service", "Chef de service", "30/11/2024", "fait"),
    (
        "Afficher la procédure dans les espaces d'accueil",
        "Référent Services Publics +",
        "31/01/2025",
        "en cours",
    ),
    ("Contacter une structure du réseau qui réussit ce thème", "Responsable qualité", "T1 2025", "à lancer"),
    ("Refondre le formulaire en ligne", "Équipe numérique", "30/06/2025", "abandonné"),
]


def write_demo_plans(db_path: Path, folder: Path) -> list[Path]:
    """Filled plans (XLSX, as exported) of a few 2024 structures; the paths written."""
    folder = Path(folder)
    written = []
    with Autodiag(db_path) as db:
        again = set(db.codes(PLAN_CAMPAIGN + 1)) & set(db.codes(PLAN_CAMPAIGN))
        codes = sorted(again, key=lambda c: (c != "STR-24", c))[:STRUCTURES]
        reader = LeverReader(db.con, PLAN_CAMPAIGN)
        reader.plan(codes)
        for n, code in enumerate(codes):
            data = read_plan_data(db, code, PLAN_CAMPAIGN, DEFAULT, reader)
            # Each structure takes on its strongest levers; statuses vary from one to the next.
            filled = {
                lever.question_id: [*ACTIONS[(n + i) % len(ACTIONS)], "action de démonstration"]
                for i, lever in enumerate(data.levers[:4])
            }
            out = folder / f"plan-{slugify(code)}-{PLAN_CAMPAIGN}.xlsx"
            with atomic_file(out) as partial:
                write_xlsx(data, partial, DEFAULT, filled)
            written.append(out)
    return written
