"""A questionnaire as the queries that work one row per submission see it.

A submission is a row of 83 answers: reading its cells and scoring it along the row is far
cheaper than unpivoting millions of answers. ``Layout`` is a questionnaire in answer order.
stage_codes.sql (one lookup per question) and score_submissions.sql (one column per question,
theme and engagement) hold ``{{fragments}}`` built here. Names are quoted identifiers or
generated from positions; every value is a bound parameter.
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
    kind: str = "scale"  # or "multi"


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
        select position, question_id, theme_id, engagement, thresholds, kind
        from referentiel_questions
        where version = $version
        order by position
        """,
        {"version": version},
    ).fetchall()
    slots = tuple(
        Slot(
            index,
            question_id,
            theme_id,
            engagement,
            tuple((t["min_count"], t["points"]) for t in thresholds),
            kind,
        )
        for index, (_, question_id, theme_id, engagement, thresholds, kind) in enumerate(rows, start=1)
    )
    return Layout(version, slots)


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def render(template: str, fragments: dict[str, str]) -> str:
    """The query text with each ``{{name}}`` replaced by its fragment."""
    return FRAGMENT.sub(lambda match: fragments[match.group(1)], template)


# --- reading the cells ------------------------------------------------------------------


def code_lookups(
    layout: Layout, cells: dict[str, tuple[list, list]]
) -> tuple[dict[str, str], dict[str, object]]:
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


# --- scoring ------------------------------------------------------------------------------


def score_fragments(layout: Layout) -> tuple[dict[str, str], dict[str, object]]:
    """Fragments of score_submissions.sql for ``layout``, and the thresholds they bind.

    Sums run left to right in questionnaire order: question points are quarters, so their
    sums are exact in any order, and the global rate adds the engagement rates in engagement
    order, always the same digits."""
    themes = list(layout.themes().values())
    theme_number = {slots[0].theme_id: k for k, slots in enumerate(themes, start=1)}
    engagements = [[theme_number[t] for t in ts] for ts in layout.engagements().values()]
    points, thresholds = _question_points(layout)
    fragments = {
        "question_codes": _columns(f"codes[{s.position}] as code_{s.position}" for s in layout.slots),
        "question_points": _columns(points),
        "theme_sums": _columns(_theme_sums(themes)),
        "engagement_sums": _columns(_engagement_sums(engagements)),
        "rates": _columns(_rates(len(engagements), len(themes))),
        "score_lists": _columns(_score_lists(len(engagements), len(themes))),
    }
    return fragments, thresholds


def _question_points(layout: Layout) -> tuple[list[str], dict[str, object]]:
    """points_N per question, and the thresholds of the multiple-choice ones (bound)."""
    points, thresholds = [], {}
    for slot in layout.slots:
        code = f"code_{slot.position}"
        scale = f"$scale_points[{code} + 1]"
        if slot.kind == "multi":
            name = f"thresholds_{slot.position}"
            thresholds[name] = [{"min_count": n, "points": p} for n, p in slot.thresholds]
            points.append(f"question_points({code}, ${name}, {scale}) as points_{slot.position}")
        else:
            points.append(f"{scale} as points_{slot.position}")
    return points, thresholds


def _theme_sums(themes: list[list[Slot]]) -> list[str]:
    sums = []
    for k, slots in enumerate(themes, start=1):
        sums += [
            f"{_plus(f'coalesce(points_{s.position}, 0.0)' for s in slots)} as theme_points_{k}",
            f"{_plus(f'(points_{s.position} is not null)::integer' for s in slots)} as theme_applicable_{k}",
            f"{_plus(f'(code_{s.position} = 0)::integer' for s in slots)} as theme_missing_{k}",
        ]
    return sums


def _engagement_sums(engagements: list[list[int]]) -> list[str]:
    """Each engagement's measures: the sums of its themes' (``engagements``: theme numbers)."""
    return [
        f"{_plus(f'theme_{measure}_{t}' for t in themes)} as engagement_{measure}_{e}"
        for e, themes in enumerate(engagements, start=1)
        for measure in ("points", "applicable", "missing")
    ]


def _rates(engagements: int, themes: int) -> list[str]:
    """Each unit's rate; the global rate, the mean of the engagement rates that exist."""
    rates = [
        f"100.0 * {level}_points_{k} / nullif({level}_applicable_{k}, 0) as {level}_rate_{k}"
        for level, count in (("engagement", engagements), ("theme", themes))
        for k in range(1, count + 1)
    ]
    each = range(1, engagements + 1)
    rates.append(
        f"{_plus(f'coalesce(engagement_rate_{e}, 0.0)' for e in each)} / "
        f"nullif({_plus(f'(engagement_rate_{e} is not null)::integer' for e in each)}, 0) as global_rate"
    )
    return rates


def _score_lists(engagements: int, themes: int) -> list[str]:
    """The four lists of score_sets, in report order: global, engagements, themes."""

    def units(measure: str, cast: str = "") -> str:
        names = [f"engagement_{measure}_{e}" for e in range(1, engagements + 1)]
        names += [f"theme_{measure}_{k}" for k in range(1, themes + 1)]
        return ", ".join(name + cast for name in names)

    return [
        f"[null::double, {units('points')}] as points",
        f"[null::usmallint, {units('applicable', '::usmallint')}] as applicable",
        f"[null::usmallint, {units('missing', '::usmallint')}] as missing",
        f"[global_rate, {units('rate')}] as rate",
    ]


def _plus(terms) -> str:
    return "(" + " + ".join(terms) + ")"


def _columns(expressions) -> str:
    return ",\n        ".join(expressions)
