"""Where each report goes under outputs/: the one place that decides it, used by
``autodiag build`` (and the dashboard's links) and by ``autodiag report ...``.

    outputs/index.html                                the dashboard
    outputs/trends.html                               national trends
    outputs/trends/<network slug>.html                a network's trends
    outputs/<campaign>/networks/<network slug>.html   a network report
    outputs/<campaign>/structures/<code slug>.html    a structure report

Slugs come from :func:`autodiag.slugs.unique_slugs` over every network of the database
(network reports, trends) or every structure code of the campaign (structure reports), so
two names that slugify alike never share a file, whichever command wrote it.
"""

from __future__ import annotations

from pathlib import Path

from autodiag.slugs import slugify, unique_slugs

KINDS = ("network", "structure", "trends")


def report_path(
    kind: str, campaign: int | None, name: str | None, outputs: Path, slugs: dict[str, str] | None = None
) -> Path:
    """The file of one report. ``name`` is the network (network, trends; None = national
    trends) or the structure code; ``slugs`` is :func:`slug_table` (plain slug without it)."""
    if kind not in KINDS:
        raise ValueError(f"type de rapport inconnu : {kind}")
    outputs = Path(outputs)
    if kind == "trends" and name is None:
        return outputs / "trends.html"
    slug = (slugs or {}).get(name) or slugify(name)
    if kind == "trends":
        return outputs / "trends" / f"{slug}.html"
    folder = "networks" if kind == "network" else "structures"
    return outputs / str(campaign) / folder / f"{slug}.html"


def network_slugs(networks: list[str]) -> dict[str, str]:
    """Slugs of every network of the database (network reports and trends)."""
    return unique_slugs(sorted(networks))


def structure_slugs(codes: list[str]) -> dict[str, str]:
    """Slugs of every structure code of one campaign (structure reports)."""
    return unique_slugs(sorted(codes))


def slug_table(db, kind: str, campaign: int | None = None) -> dict[str, str]:
    """The slugs ``build`` uses for ``kind``, read from an open :class:`autodiag.api.Autodiag`."""
    if kind == "structure":
        codes = db.query(
            "select distinct code_structure from retained_submissions where campagne = $c", {"c": campaign}
        )["code_structure"].tolist()
        return structure_slugs(codes)
    return network_slugs(db.networks())


def structure_links_from_network(db, campaign: int) -> dict[str, str]:
    """Relative links from a network report (``<campaign>/networks/``) to each structure
    report of the same campaign (``<campaign>/structures/``), as ``build`` writes them."""
    return {
        code: f"../structures/{slug}.html" for code, slug in slug_table(db, "structure", campaign).items()
    }


def network_nav(db, campaign: int, network: str) -> list[tuple[str, str]]:
    """A network report's links (from ``<campaign>/networks/``): dashboard, the same network's
    other campaigns, its trends and the national trends, as ``build`` writes them."""
    slug = slug_table(db, "network")[network]
    nav = [("Tableau de bord", "../../index.html")]
    for other in db.campaigns():
        if other != campaign and network in db.networks(other):
            nav.append((f"Campagne {other}", f"../../{other}/networks/{slug}.html"))
    nav.append(("Évolution du réseau", f"../../trends/{slug}.html"))
    nav.append(("Évolution nationale", "../../trends.html"))
    return nav
