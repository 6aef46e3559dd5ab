"""Confidentiality rules shared by every report.

- A network report shows structure-level figures of its own network only; other networks
  appear only through national aggregates.
- Any aggregate (mean, median, quartiles, shares, counts per question) computed over fewer
  than ``min_group_size`` structures is suppressed, and the report says so.
"""

from __future__ import annotations

from typing import Callable

from autodiag import formatting as fmt

DEFAULT_MIN_GROUP_SIZE = 3
MASKED = "masqué"


def masked_message(min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> str:
    return f"données masquées : moins de {min_group_size} structures"


def enough(n: object, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> bool:
    try:
        return n is not None and int(n) >= int(min_group_size)
    except (TypeError, ValueError):
        return False


def visible(row: dict | None, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> bool:
    """Whether the aggregates of a ``network_summary`` row may be shown: computed over at
    least ``min_group_size`` structures with a rate (``n_rated``)."""
    return row is not None and enough(row["n_rated"], min_group_size)


def masked_stat(row: dict | None, field: str, min_group_size: int = DEFAULT_MIN_GROUP_SIZE):
    """``row[field]`` (a mean, quartile, share...) when the row is visible, else None."""
    return row[field] if visible(row, min_group_size) else None


def shown(row: dict | None, field: str, min_group_size: int = DEFAULT_MIN_GROUP_SIZE, *,
          format: Callable[[object], str] = fmt.rate, absent: str = MASKED) -> str:
    """``row[field]`` formatted (``autodiag.formatting.rate`` by default), MASKED below the
    threshold, ``absent`` when there is no row at all."""
    if row is None:
        return absent
    return format(row[field]) if visible(row, min_group_size) else MASKED
