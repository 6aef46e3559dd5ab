"""Which unit of an earlier questionnaire a unit of the later one continues, read from the
crosswalk (data/referentiels/correspondances.csv). A trend joins two campaigns of different
versions only through an `identique` or `proche` link, never by matching codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from autodiag.referentiel import crosswalk, questionnaires

SAME = "même questionnaire"


@dataclass(frozen=True)
class Source:
    unit: str | None  # the unit in the earlier version; None: no comparable predecessor
    link: str  # identique, proche or aucune
    reason: str

    @property
    def comparable(self) -> bool:
        return self.unit is not None


@lru_cache(maxsize=1)
def links() -> tuple[crosswalk.Link, ...]:
    return tuple(crosswalk.load(questionnaires.load_all()))


def source(before: str, after: str, level: str, unit: str, known: tuple | None = None) -> Source:
    """The unit of version ``before`` that ``unit`` (of version ``after``) continues."""
    if before == after:
        return Source(unit, "identique", SAME)
    found = [
        k
        for k in (links() if known is None else known)
        if (k.before_version, k.after_version) == (before, after)
        and (k.after_level, k.after) == (level, unit)
    ]
    comparable = [k for k in found if k.comparable and k.before_level == level]
    if len(comparable) == 1:
        k = comparable[0]
        return Source(k.before, k.link, k.reason)
    reason = found[0].reason if found else f"aucune correspondance déclarée entre {before} et {after}"
    return Source(None, "aucune", reason)


def comparability(campaigns: list[int], versions: dict[int, str], sources: dict[int, Source]) -> str:
    """The comparability cell of a trend table row: how the row crosses each version change."""
    parts = []
    for before, after in zip(campaigns, campaigns[1:]):
        if versions[before] == versions[after]:
            continue
        s = sources[before]
        where = f"{versions[before]} → {versions[after]}"
        if s.comparable:
            old = s.unit.replace("_", " ") if s.unit != "global" else "global"
            parts.append(f"{s.link} ({where}, ancien {old}) : {s.reason}")
        else:
            parts.append(f"non comparable ({where}) : {s.reason}")
    return " ; ".join(parts) or SAME


def link_text(found: Source, old: str, new: str) -> str:
    """How a unit of the ``new`` questionnaire compares with its source in the ``old`` one, said
    for a table cell: « même questionnaire », « non comparable : … », or the link and its reason."""
    if old == new:
        return SAME
    if not found.comparable:
        return f"non comparable : {found.reason}"
    return f"{found.link} (ancien {found.unit.replace('_', ' ')}) : {found.reason}"
