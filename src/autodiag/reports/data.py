"""Small helpers to turn API frames into plain Python records (fast, NA -> None)."""

from __future__ import annotations

import math

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict]:
    if frame.empty:
        return []
    return [{k: none_if_na(v) for k, v in row.items()} for row in frame.to_dict("records")]


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
