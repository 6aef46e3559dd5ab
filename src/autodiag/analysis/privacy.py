"""Confidentiality rules shared by every report.

- A network report shows structure-level figures of its own network only; other networks
  appear only through national aggregates.
- Any aggregate (mean, median, quartiles, shares, counts per question) computed over fewer
  than ``min_group_size`` structures is suppressed, and the report says so.

The threshold travels as one :class:`Confidentiality` object, from the command line or the
notebook parameter down to every table cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from autodiag import formatting as fmt

DEFAULT_MIN_GROUP_SIZE = 3
MASKED = "masqué"


@dataclass(frozen=True)
class Confidentiality:
    """The minimum group size, and what it lets through."""

    min_group_size: int = DEFAULT_MIN_GROUP_SIZE

    def message(self) -> str:
        return f"données masquées : moins de {self.min_group_size} structures"

    def enough(self, n: object) -> bool:
        """Whether a group of ``n`` structures is large enough to show its aggregates."""
        try:
            return n is not None and int(n) >= int(self.min_group_size)
        except (TypeError, ValueError):
            return False

    def visible(self, row: dict | None) -> bool:
        """Whether the aggregates of a ``network_summary`` row may be shown: computed over at
        least ``min_group_size`` structures with a rate (``n_rated``)."""
        return row is not None and self.enough(row["n_rated"])

    def masked_stat(self, row: dict | None, field: str):
        """``row[field]`` (a mean, quartile, share...) when the row is visible, else None."""
        return row[field] if self.visible(row) else None

    def shown(
        self,
        row: dict | None,
        field: str,
        *,
        format: Callable[[object], str] = fmt.rate,
        absent: str = MASKED,
    ) -> str:
        """``row[field]`` formatted (``autodiag.formatting.rate`` by default), MASKED below the
        threshold, ``absent`` when there is no row at all."""
        if row is None:
            return absent
        return format(row[field]) if self.visible(row) else MASKED


DEFAULT = Confidentiality()
