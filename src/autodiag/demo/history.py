"""The demo's first campaigns, 2021 and 2022, answered on the 9-engagement questionnaire
(data/referentiels/2021.csv, a demo reconstruction).

The same invented structures as the 2023-2025 campaigns, with the same latent model: an old
question matched to a 2024 one by the crosswalk (an `identique` theme link) is answered as that
question would have been two or one years earlier; the questions without a 2024 match (the
old engagement 8 « compétences », the old theme on partner services) follow the structure's
level only. Drawn with their own random generator, after everything else: the 2023-2025 files
stay byte-identical with or without this history.

Layout: <campaign>/<network-slug>-<campaign>.csv, one file per network (UTF-8 with BOM).
"""

from __future__ import annotations

import random
from pathlib import Path

from autodiag.analysis.change import question_map
from autodiag.demo.generator import (
    HISTORY_CAMPAIGNS,
    Structure,
    campaign_date,
    latent_logit,
    meta_values,
    multi_answer,
    scale_answer,
    write_csv,
)
from autodiag.demo.vocabulary import FREE_TEXTS
from autodiag.ingest.columns import IDENTITY_COLUMNS, text_columns
from autodiag.referentiel import crosswalk, questionnaires
from autodiag.referentiel.questionnaires import Question

OLD_VERSION = "2021"
NEW_VERSION = "2024"
# Share of the structures of 2023 that answered the year before (and of those, the year before again).
PARTICIPATION = {2022: 0.85, 2021: 0.8}
# Where an old engagement's free texts come from in the 2024 pools (8 « compétences » has its own).
TEXT_POOL = {1: 1, 2: 2, 3: 3, 4: 3, 5: 4, 6: 6, 7: 7, 9: 8}
SKILLS_TEXTS = (
    (
        "Plan de formation à l'accueil suivi par toute l'équipe.",
        "Tutorat des nouveaux agents pendant leurs premières semaines.",
        "Échanges de pratiques mensuels entre les services.",
    ),
    (
        "Peu de formations disponibles sur l'accueil des publics en difficulté.",
        "Besoin d'un module sur la gestion des situations tendues.",
        "Temps de formation difficile à dégager en période d'affluence.",
    ),
)


def write_history(
    out_dir: Path, structures: list[Structure], question_offset: dict[str, float], seed: int
) -> list[Path]:
    """Write the 2021 and 2022 files; return their paths."""
    rng = random.Random(seed + 2021)
    by_version = questionnaires.load_all()
    old, new = by_version[OLD_VERSION], {q.question_id: q for q in by_version[NEW_VERSION]}
    matched = question_map(by_version, crosswalk.load(by_version), OLD_VERSION, NEW_VERSION)
    columns = [
        *IDENTITY_COLUMNS,
        *(q.question_id for q in old),
        *text_columns(sorted({q.engagement for q in old})),
    ]
    answering = [s for s in structures if 2023 in s.years]
    written = []
    for campaign in sorted(HISTORY_CAMPAIGNS, reverse=True):
        answering = [s for s in answering if rng.random() < PARTICIPATION[campaign]]
        by_network: dict[str, list[list[object]]] = {}
        for structure in sorted(answering, key=lambda s: s.number):
            row = _row(rng, structure, campaign, old, new, matched, question_offset)
            by_network.setdefault(structure.network.slug, []).append([row.get(c, "") for c in columns])
        for slug, rows in sorted(by_network.items()):
            path = out_dir / str(campaign) / f"{slug}-{campaign}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_csv(path, columns, rows, "utf-8-sig")
            written.append(path)
    return written


def _row(
    rng,
    structure: Structure,
    campaign: int,
    old: list[Question],
    new: dict[str, Question],
    matched: dict[str, str],
    question_offset: dict[str, float],
) -> dict[str, object]:
    row = meta_values(rng, structure, campaign)
    row["date_enregistrement"] = campaign_date(rng, campaign).strftime("%d/%m/%Y %H:%M:%S")
    for question in old:
        twin = new.get(matched.get(question.question_id, ""))
        if twin is None:  # no 2024 match: the structure's level, its trend and some noise
            logit = (
                structure.level
                + structure.network.offset
                + structure.trend * (campaign - 2023)
                + rng.gauss(0.0, 0.6)
            )
            row[question.question_id] = scale_answer(rng, structure, question, logit, False)
            continue
        logit = latent_logit(rng, structure, campaign, twin, question_offset, False)
        if twin.kind == "multi":
            row[question.question_id] = multi_answer(rng, structure, twin, logit)
        else:
            row[question.question_id] = scale_answer(rng, structure, twin, logit, False)
    for engagement in sorted({q.engagement for q in old}):
        pools = SKILLS_TEXTS if engagement not in TEXT_POOL else FREE_TEXTS[TEXT_POOL[engagement]]
        for kind, pool in zip(("points_forts", "besoin_appui"), pools):
            row[f"E{engagement}_{kind}"] = rng.choice(pool) if rng.random() < structure.text_rate else ""
    return row
