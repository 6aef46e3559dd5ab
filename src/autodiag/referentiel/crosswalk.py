"""The crosswalk between questionnaire versions (data/referentiels/correspondances.csv).

Each line links an engagement or a theme of one version to its successor in the next, as
`identique` (same questions, same meaning), `proche` (comparable, worded or grouped
differently) or `aucune` (no successor, or no predecessor when the first code is empty), with
a short reason. A trend joins two campaigns of different versions only through `identique` or
`proche` links.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autodiag.paths import CROSSWALK_FILE
from autodiag.referentiel.questionnaires import Question, ReferentielError
from autodiag.referentiel.rule_tables import read_rows

LINKS = ("identique", "proche", "aucune")
COMPARABLE = ("identique", "proche")
COLUMNS = (
    "version_avant",
    "niveau_avant",
    "code_avant",
    "version_apres",
    "niveau_apres",
    "code_apres",
    "lien",
    "raison",
)
LEVELS = ("global", "engagement", "theme")


@dataclass(frozen=True)
class Link:
    before_version: str
    before_level: str  # '' when the unit has no predecessor
    before: str
    after_version: str
    after_level: str  # '' when the unit has no successor
    after: str
    link: str
    reason: str

    @property
    def comparable(self) -> bool:
        return self.link in COMPARABLE


def units(questions: list[Question]) -> set[tuple[str, str]]:
    """(level, code) of every unit a questionnaire scores."""
    found = {("global", "global")}
    for q in questions:
        found.add(("engagement", f"E{q.engagement}"))
        found.add(("theme", q.theme_id))
    return found


def load(questionnaires: dict[str, list[Question]], path: Path = CROSSWALK_FILE) -> list[Link]:
    """Read and check the crosswalk against the questionnaires; a missing file is no link."""
    return [_link(path.name, line, row, questionnaires) for line, row in read_rows(path, COLUMNS)]


def _link(name: str, line: int, row: dict[str, str], questionnaires: dict[str, list[Question]]) -> Link:
    where = f"{name}, ligne {line}"
    link = Link(*(row[c].strip() for c in COLUMNS))
    if link.link not in LINKS:
        raise ReferentielError(f"{where}, colonne lien : « {link.link} » inconnu ({', '.join(LINKS)})")
    if not link.reason:
        raise ReferentielError(f"{where}, colonne raison : vide (dites pourquoi en quelques mots)")
    for side, version, level, code in (
        ("avant", link.before_version, link.before_level, link.before),
        ("apres", link.after_version, link.after_level, link.after),
    ):
        if version not in questionnaires:
            raise ReferentielError(f"{where}, colonne version_{side} : questionnaire « {version} » inconnu")
        if not code and not level:
            continue  # no predecessor / no successor
        if level not in LEVELS:
            raise ReferentielError(
                f"{where}, colonne niveau_{side} : « {level} » inconnu ({', '.join(LEVELS)})"
            )
        if (level, code) not in units(questionnaires[version]):
            raise ReferentielError(
                f"{where}, colonne code_{side} : « {code} » n'est pas un {level} du questionnaire {version}"
            )
    if not link.before and not link.after:
        raise ReferentielError(f"{where} : ni code_avant ni code_apres")
    if (not link.before or not link.after) and link.link != "aucune":
        raise ReferentielError(f"{where}, colonne lien : un code sans correspondant se marque « aucune »")
    return link


def successors(links: list[Link], version: str, level: str, code: str) -> list[Link]:
    return [k for k in links if k.before_version == version and (k.before_level, k.before) == (level, code)]
