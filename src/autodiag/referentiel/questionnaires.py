"""Questionnaires ("référentiels"): one CSV per version, and which campaign uses which."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from autodiag.paths import CAMPAIGNS_FILE, CONTRADICTIONS_FILE, CROSSWALK_FILE, REFERENTIELS_DIR


@dataclass(frozen=True)
class Question:
    version: str
    position: int
    question_id: str
    engagement: int
    engagement_title: str
    engagement_heading: str
    theme_id: str
    theme_title: str
    kind: str  # "scale" or "multi"
    options: tuple[str, ...]
    thresholds: tuple[tuple[int, float], ...]  # (at least n options, points)
    question: str


class ReferentielError(ValueError):
    pass


MAX_OPTIONS = 15


def _parse_thresholds(text: str, where: str) -> tuple[tuple[int, float], ...]:
    if not text:
        return ()
    pairs = []
    for part in text.split("|"):
        count, _, points = part.partition(":")
        try:
            pairs.append((int(count), float(points)))
        except ValueError:
            raise ReferentielError(f"{where} : seuil « {part} » illisible (attendu n:points)") from None
    return tuple(sorted(pairs))


def load_version(path: Path) -> list[Question]:
    """Read one référentiel file; its version is the file name without extension."""
    version = path.stem
    questions = []
    with path.open(encoding="utf-8", newline="") as f:
        for position, row in enumerate(csv.DictReader(f, delimiter=";"), start=1):
            where = f"{path.name}, ligne {position + 1}"
            kind = row["kind"]
            if kind not in ("scale", "multi"):
                raise ReferentielError(f"{where} : type « {kind} » inconnu (scale ou multi)")
            options = tuple(o for o in row["options"].split("|") if o) if row["options"] else ()
            if len(options) > MAX_OPTIONS:
                # the ticked options are stored as bits of a 16-bit answer code (schema.sql)
                raise ReferentielError(
                    f"{where} : {len(options)} options, au plus {MAX_OPTIONS} par question"
                )
            questions.append(
                Question(
                    version=version,
                    position=position,
                    question_id=row["question_id"],
                    engagement=int(row["engagement"]),
                    engagement_title=row["engagement_title"],
                    engagement_heading=row.get("engagement_heading") or row["engagement_title"],
                    theme_id=row["theme_id"],
                    theme_title=row["theme_title"],
                    kind=kind,
                    options=options,
                    thresholds=_parse_thresholds(row["thresholds"], where),
                    question=row.get("question", ""),
                )
            )
    _check_structure(path.name, questions)
    return questions


def _check_structure(name: str, questions: list[Question]) -> None:
    """Ids that the scores rely on: one line per question, each theme in one engagement, each
    option once in its question."""
    seen: dict[str, int] = {}
    theme_engagement: dict[str, int] = {}
    for q in questions:
        where = f"{name}, ligne {q.position + 1}"
        if q.question_id in seen:
            raise ReferentielError(
                f"{where} : question {q.question_id} déjà décrite ligne {seen[q.question_id] + 1}"
            )
        seen[q.question_id] = q.position
        engagement = theme_engagement.setdefault(q.theme_id, q.engagement)
        if engagement != q.engagement:
            raise ReferentielError(
                f"{where} : le thème {q.theme_id} est déjà dans l'engagement {engagement}, pas dans l'engagement {q.engagement}"
            )
        keys = [" ".join(o.lower().split()) for o in q.options]
        if len(set(keys)) != len(keys):
            raise ReferentielError(f"{where} : une option de {q.question_id} est en double")


# Files of data/referentiels/ that are not questionnaires.
NOT_QUESTIONNAIRES = {CAMPAIGNS_FILE.name, CROSSWALK_FILE.name, CONTRADICTIONS_FILE.name}


def load_all(directory: Path = REFERENTIELS_DIR) -> dict[str, list[Question]]:
    return {
        p.stem: load_version(p) for p in sorted(directory.glob("*.csv")) if p.name not in NOT_QUESTIONNAIRES
    }


def load_campaigns(path: Path = CAMPAIGNS_FILE) -> dict[int, str]:
    """campagne -> référentiel version, as declared in campagnes.csv."""
    with path.open(encoding="utf-8", newline="") as f:
        return {int(r["campagne"]): r["referentiel"] for r in csv.DictReader(f, delimiter=";")}
