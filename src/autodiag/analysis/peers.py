"""Peer groups: beside its network, a structure against structures like it, whatever their
network (aggregates only, masked below the minimum group size):

- the same typologie;
- the same size band of « agents en interaction avec les usagers ».
"""

from __future__ import annotations

import statistics

from autodiag import formatting as fmt
from autodiag.analysis.privacy import MASKED, Confidentiality

# Bands of agents in contact with users (bounds included).
SIZE_BANDS = [(0, 19), (20, 49), (50, 99), (100, 199), (200, None)]


def size_band(agents: object) -> str | None:
    """« 50 à 99 agents », « 200 agents ou plus »; None when the count is unknown."""
    try:
        n = int(agents)
    except (TypeError, ValueError):
        return None
    for low, high in SIZE_BANDS:
        if n >= low and (high is None or n <= high):
            return f"{low} agents ou plus" if high is None else f"{low} à {high} agents"
    return None


def groups(identity: dict) -> list[tuple[str, str, object]]:
    """(kind, label, key) of the structure's peer groups."""
    out = []
    if identity.get("typologie"):
        out.append(("typologie", f"Même typologie (« {identity['typologie']} »)", identity["typologie"]))
    band = size_band(identity.get("nb_agents_interaction"))
    if band:
        out.append(("taille", f"Même taille ({band} en interaction avec les usagers)", band))
    return out


def peer_rates(rows: list[dict]) -> dict:
    """(kind, key, unit) -> rates of every structure of the campaign (global and engagements)."""
    out: dict = {}
    for r in rows:
        if r["level"] not in ("global", "engagement") or r["rate"] is None:
            continue
        keys = [("typologie", r.get("typologie")), ("taille", size_band(r.get("nb_agents_interaction")))]
        for kind, key in keys:
            if key:
                out.setdefault((kind, key, r["unit"]), []).append(float(r["rate"]))
    return out


def median_cell(rates: list | None, privacy: Confidentiality) -> str:
    """« 55,6 % (12) », or the mask when the group is smaller than the minimum."""
    if not rates or not privacy.enough(len(rates)):
        return MASKED
    return f"{fmt.rate(statistics.median(rates))} ({fmt.number(len(rates))})"
