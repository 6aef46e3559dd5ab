"""Confidentiality rules shared by every report.

- A network report shows structure-level figures of its own network only; other networks
  appear only through national aggregates.
- Any aggregate (mean, median, quartiles, shares, counts per question) computed over fewer
  than ``min_group_size`` structures is suppressed, and the report says so.
"""

from __future__ import annotations

from . import DEFAULT_MIN_GROUP_SIZE

MASKED = "masqué"


def masked_message(min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> str:
    return f"données masquées : moins de {min_group_size} structures"


def enough(n: object, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> bool:
    try:
        return n is not None and int(n) >= int(min_group_size)
    except (TypeError, ValueError):
        return False


def masked_note(min_group_size: int) -> str:
    from .tables import esc

    return f'<p class="masked">« {esc(MASKED)} » : {esc(masked_message(min_group_size))} (seuil de confidentialité).</p>'
