"""The questionnaire-shaped parts of the queries that work one row per submission.

A submission is a row of 83 answers: reading its cells and scoring it along the row is far
cheaper than unpivoting millions of answers. The query files that do so (answer_cells,
stage_codes, score_submissions) hold ``{{fragments}}``: one expression per question, theme or
engagement of a questionnaire, built here from the questionnaire stored in the database.
Names are quoted identifiers; every value is a bound parameter.
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
    kind: str
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
        select position, question_id, kind, theme_id, engagement, thresholds
        from referentiel_questions
        where version = $version
        order by position
        """,
        {"version": version},
    ).fetchall()
    slots = tuple(
        Slot(index, question_id, kind, theme_id, engagement, tuple((t["min_count"], t["points"]) for t in thresholds))
        for index, (_, question_id, kind, theme_id, engagement, thresholds) in enumerate(rows, start=1)
    )
    return Layout(version, slots)


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def render(template: str, fragments: dict[str, str]) -> str:
    """The query text with each ``{{name}}`` replaced by its fragment."""
    return FRAGMENT.sub(lambda match: fragments[match.group(1)], template)


# --- reading the cells ------------------------------------------------------------------


def distinct_cells(question_columns: list[str]) -> tuple[dict[str, str], dict[str, object]]:
    """Fragments of answer_cells.sql: the distinct cells of each question column."""
    params = {f"question_{i}": column for i, column in enumerate(question_columns)}
    selects = "\nunion all\n".join(
        f"select distinct $question_{i} as question_id, raw_rows.{ident(column)} as raw_value from raw_rows"
        for i, column in enumerate(question_columns)
    )
    return {"distinct_cells": selects}, params


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


# --- scoring ----------------------------------------------------------------------------


def _sum(terms: list[str]) -> str:
    return " + ".join(terms) if terms else "0"


def scoring(layout: Layout, scale_points: list[float | None]) -> tuple[dict[str, str], dict[str, object]]:
    """Fragments of score_submissions.sql. ``scale_points``: points by scale code (index 0 =
    code 0), from the scale_levels table."""
    params: dict[str, object] = {"version": layout.version, "scale_points": scale_points}
    points = []
    for slot in layout.slots:
        code = f"codes[{slot.position}]"
        if slot.kind == "multi":
            params[f"thresholds_{slot.position}"] = [{"min_count": n, "points": p} for n, p in slot.thresholds]
            expression = f"multi_points({code}, $thresholds_{slot.position}::struct(min_count integer, points double)[])"
        else:
            expression = f"$scale_points[{code} + 1]"
        points.append(f"{expression}::double as {ident('p_' + slot.question_id)}")

    themes = layout.themes()
    theme_sums = []
    for theme, slots in themes.items():
        p = [ident("p_" + s.question_id) for s in slots]
        theme_sums += [
            f"{_sum([f'coalesce({x}, 0.0)' for x in p])} as {ident('pts_' + theme)}",
            f"{_sum([f'({x} is not null)::integer' for x in p])} as {ident('app_' + theme)}",
            f"{_sum([f'(codes[{s.position}] = 0)::integer' for s in slots])} as {ident('mis_' + theme)}",
        ]

    engagements = layout.engagements()
    engagement_sums = [
        f"{_sum([ident(part + '_' + t) for t in engagement_themes])} as {ident(part + '_' + unit)}"
        for unit, engagement_themes in engagements.items()
        for part in ("pts", "app", "mis")
    ]

    units = [*engagements, *themes]
    rates = [
        f"100.0 * {ident('pts_' + u)} / nullif({ident('app_' + u)}, 0) as {ident('rate_' + u)}" for u in units
    ]
    engagement_rates = [ident("rate_" + u) for u in engagements]
    global_rate = (
        f"({_sum([f'coalesce({r}, 0.0)' for r in engagement_rates])}) "
        f"/ nullif({_sum([f'({r} is not null)::integer' for r in engagement_rates])}, 0)"
    )

    def unit_list(part: str, cast: str) -> str:
        return ", ".join([f"null::{cast}", *(ident(f"{part}_{u}") for u in units)])

    fragments = {
        "question_points": ",\n        ".join(points),
        "theme_sums": ",\n        ".join(theme_sums),
        "engagement_sums": ",\n        ".join(engagement_sums),
        "unit_rates": ",\n        ".join(rates),
        "global_rate": global_rate,
        "points_list": unit_list("pts", "double"),
        "applicable_list": unit_list("app", "integer"),
        "missing_list": unit_list("mis", "integer"),
        "rate_list": ", ".join(["rate_global", *(ident("rate_" + u) for u in units)]),
    }
    return fragments, params
