"""A questionnaire as the queries that work one row per submission see it.

A submission is a row of 83 answers: reading its cells and scoring it along the row is far
cheaper than unpivoting millions of answers. ``Layout`` is a questionnaire in answer order
(score_submissions.sql gets it as bound lists). stage_codes.sql, which reads one file column
per question, holds ``{{fragments}}`` built here: one lookup per question. Names are quoted
identifiers; every value is a bound parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

# A question with more distinct cells than this is looked up by a join, not a list search.
LIST_LOOKUP_MAX = 64

FRAGMENT = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class Slot:
    """One question of a questionnaire; ``position`` is its place in the answer codes list."""

    position: int
    question_id: str
    theme_id: str
    engagement: int
    thresholds: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class Layout:
    version: str
    slots: tuple[Slot, ...]

    def themes(self) -> dict[str, list[Slot]]:
        """Theme -> its questions, themes in questionnaire order."""
        themes: dict[str, list[Slot]] = {}
        for slot in self.slots:
            themes.setdefault(slot.theme_id, []).append(slot)
        return themes

    def engagements(self) -> dict[str, list[str]]:
        """Engagement unit (E1...) -> its themes, in questionnaire order."""
        engagements: dict[str, list[str]] = {}
        for theme, slots in self.themes().items():
            themes = engagements.setdefault(f"E{slots[0].engagement}", [])
            if theme not in themes:
                themes.append(theme)
        return engagements


def load_layout(con: duckdb.DuckDBPyConnection, version: str) -> Layout:
    rows = con.execute(
        """
        select position, question_id, theme_id, engagement, thresholds
        from referentiel_questions
        where version = $version
        order by position
        """,
        {"version": version},
    ).fetchall()
    slots = tuple(
        Slot(index, question_id, theme_id, engagement, tuple((t["min_count"], t["points"]) for t in thresholds))
        for index, (_, question_id, theme_id, engagement, thresholds) in enumerate(rows, start=1)
    )
    return Layout(version, slots)


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def render(template: str, fragments: dict[str, str]) -> str:
    """The query text with each ``{{name}}`` replaced by its fragment."""
    return FRAGMENT.sub(lambda match: fragments[match.group(1)], template)


# --- reading the cells ------------------------------------------------------------------


def code_lookups(layout: Layout, cells: dict[str, tuple[list, list]]) -> tuple[dict[str, str], dict[str, object]]:
    """Fragments of stage_codes.sql: each question's cell looked up among its normalised
    distinct cells (``cells``: question -> (raw texts, answer codes))."""
    lookups, joins, params = [], [], {}
    for slot in layout.slots:
        column = f"raw_rows.{ident(slot.question_id)}"
        keys, codes = cells.get(slot.question_id, ([], []))
        params[f"keys_{slot.position}"], params[f"codes_{slot.position}"] = keys, codes
        if len(keys) <= LIST_LOOKUP_MAX:
            # list_position matches a null cell to the null key, like any other text
            lookups.append(f"$codes_{slot.position}[list_position($keys_{slot.position}, {column})]")
        else:
            alias = ident(f"cells_{slot.position}")
            joins.append(
                f"left join (select unnest($keys_{slot.position}) as raw_value, unnest($codes_{slot.position}) as code) "
                f"as {alias} on {alias}.raw_value is not distinct from {column}"
            )
            lookups.append(f"{alias}.code")
    return {"answer_codes": ",\n    ".join(lookups), "cell_joins": "\n".join(joins)}, params
