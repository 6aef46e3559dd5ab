"""Small helpers to turn API frames into plain Python records (fast, NA -> None)."""

from __future__ import annotations

import math

import pandas as pd

from autodiag import formatting as fmt


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as dicts of plain Python values (what ``to_dict("records")`` gives), NA as None;
    column by column, since a build turns frames of a million values into records."""
    if frame.empty:
        return []
    columns = []
    for name in frame.columns:
        column = frame[name]
        values = column.tolist()
        missing = column.isna()
        if missing.any():  # NA, NaN, NaT and None, as none_if_na says, by pandas' own test
            values = [None if gone else v for v, gone in zip(values, missing.tolist())]
        columns.append(values)
    names = list(frame.columns)
    return [dict(zip(names, row)) for row in zip(*columns)]


def none_if_na(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def previous_campaign(campaigns: list[int], campaign: int) -> int | None:
    earlier = [c for c in campaigns if c < campaign]
    return max(earlier) if earlier else None


def group_by(rows: list[dict], key: str) -> dict:
    out: dict = {}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return out


def panel(db, campaigns: list[int], network: str | None = None) -> dict:
    """(campaign, unit) -> panel_summary record: the same structures in every campaign."""
    if len(campaigns) < 2:
        return {}
    return {(r["campagne"], r["unit"]): r for r in records(db.panel_summary(campaigns, network))}


def panel_size(rows: dict) -> int:
    return next((r["n_panel"] for r in rows.values()), 0)


def same_structures(n: int, campaigns: list[int]) -> str:
    """« sur les 31 structures présentes en 2023 et 2024 »."""
    years = [str(c) for c in campaigns]
    listed = years[0] if len(years) == 1 else ", ".join(years[:-1]) + " et " + years[-1]
    if n == 1:
        return f"sur la seule structure présente en {listed}"
    return f"sur les {n} structures présentes en {listed}"


# Under half of the questions asked applicable: the rate rests on few questions, said so.
LOW_COVERAGE = 0.5
THIN = "peu de questions applicables"


def thin(applicable, asked) -> bool:
    return bool(asked) and applicable is not None and applicable / asked < LOW_COVERAGE


def coverage(applicable, asked, missing) -> str:
    """« 11 sur 13, 1 vide » (applicable questions out of those asked, and the empty answers);
    « … — peu de questions applicables » when fewer than half apply."""

    if not asked:
        return "--"
    text = f"{fmt.number(applicable or 0)} sur {fmt.number(asked)}, {fmt.number(missing or 0)} vide{'s' if (missing or 0) > 1 else ''}"
    return f"{text} — {THIN}" if thin(applicable or 0, asked) else text


def coverage_share(row: dict | None) -> str:
    """An aggregate's coverage: « 94 % applicables, 24 vides » (over all its structures)."""

    if not row or not row.get("n_asked"):
        return "--"
    missing = row.get("n_missing") or 0
    return (
        f"{fmt.number(100 * (row['n_applicable'] or 0) / row['n_asked'], 0)} % applicables, "
        f"{fmt.number(missing)} vide{'s' if missing > 1 else ''}"
    )


def totals(rows: list[dict]) -> tuple[int, int, int]:
    """(applicable, asked, empty) of a submission's engagement score records, summed."""
    engagements = [r for r in rows if r["level"] == "engagement"]
    return (
        sum(r["applicable"] or 0 for r in engagements),
        sum(r["n_questions"] or 0 for r in engagements),
        sum(r["missing"] or 0 for r in engagements),
    )
