"""Where each report goes under outputs/: the one place that decides it, used by
``autodiag build`` (and the dashboard's links) and by ``autodiag report ...``.

    outputs/index.html                                the dashboard
    outputs/trends.html                               national trends
    outputs/trends/<network slug>.html                a network's trends
    outputs/<campaign>/networks/<network slug>.html   a network report
    outputs/<campaign>/structures/<code slug>.html    a structure report
    outputs/rapports/…                                standalone files of ``autodiag report …``
                                                      (never a site page; ``build`` never touches them)

Slugs come from :func:`autodiag.slugs.unique_slugs` over every network of the database
(network reports, trends) or every structure code of the campaign (structure reports), so
two names that slugify alike never share a file, whichever command wrote it.
"""

from __future__ import annotations

from pathlib import Path

from autodiag.reports import references
from autodiag.slugs import slugify, unique_slugs

KINDS = ("network", "structure", "trends")
STANDALONE = "rapports"


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


def standalone_path(
    kind: str, campaign: int | None, name: str | None, outputs: Path, slugs: dict[str, str] | None = None
) -> Path:
    """Where ``autodiag report …`` writes by default: outputs/rapports/<campaign>-reseau-<slug>.html,
    <campaign>-structure-<slug>.html, evolution-<slug or national>.html."""
    if kind not in KINDS:
        raise ValueError(f"type de rapport inconnu : {kind}")
    slug = "national" if name is None else (slugs or {}).get(name) or slugify(name)
    stem = {
        "network": f"{campaign}-reseau-{slug}",
        "structure": f"{campaign}-structure-{slug}",
        "trends": f"evolution-{slug}",
    }[kind]
    return Path(outputs) / STANDALONE / f"{stem}.html"


def is_site_page(path: Path, outputs: Path) -> bool:
    """Whether ``path`` is (or would be) a page of the site ``build`` writes under ``outputs``, or
    a page recorded in the manifest.json of a site around it."""
    path = Path(path).resolve()
    for root in [Path(outputs).resolve(), *path.parents[:4]]:
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            continue
        if root == Path(outputs).resolve() and parts[:1] != (STANDALONE,) and _site_layout(parts):
            return True
        manifest = root / "manifest.json"
        if manifest.is_file() and f'"{"/".join(parts)}"' in manifest.read_text(
            encoding="utf-8", errors="replace"
        ):
            return True
    return False


def _site_layout(parts: tuple) -> bool:
    if parts in (("index.html",), ("trends.html",), ("manifest.json",)) or parts[:1] == ("assets",):
        return True
    if len(parts) == 2 and parts[0] == "trends":
        return True
    return len(parts) == 3 and parts[0].isdigit() and parts[1] in ("networks", "structures")


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


def trends_nav(db, network: str | None) -> list[tuple[str, str]]:
    """A trends page's links, as ``build`` writes them: from outputs/trends.html (national) the
    dashboard; from outputs/trends/<slug>.html the dashboard, the network's latest report and the
    national trends."""
    if network is None:
        return [("Tableau de bord", "index.html")]
    slugs = slug_table(db, "network")
    latest = max(c for c in db.campaigns() if network in db.networks(c))
    return [
        ("Tableau de bord", "../index.html"),
        (f"Rapport du réseau « {network} » ({latest})", f"../{latest}/networks/{slugs[network]}.html"),
        ("Évolution nationale", "../trends.html"),
    ]


def site_references(campaign: int, network_slug: str | None = None) -> references.Site:
    """The campaign's data file of shared figures (and its network's, for a structure page),
    from a network or structure page of the site (both two folders under the site's root)."""
    found = [references.src(campaign)] + ([references.src(campaign, network_slug)] if network_slug else [])
    return references.Site(campaign, tuple("../../" + name for name in found))
