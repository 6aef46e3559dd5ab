"""Trends: engagement and theme rates per campaign, for one network or nationally."""

from __future__ import annotations

from .. import formatting as fmt
from ..api import Autodiag
from . import DEFAULT_MIN_GROUP_SIZE, charts
from .data import records
from .page import Report
from .privacy import MASKED, enough, masked_note
from .tables import table


def build(db: Autodiag, network: str | None = None, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> Report:
    summary = [r for r in records(db.network_summary()) if r["reseau"] == network]  # None = national rows
    if not summary:
        raise LookupError(f"aucune donnée pour le réseau « {network} »" if network else "base vide")
    scope = f"réseau « {network} »" if network else "niveau national (tous réseaux)"
    campaigns = sorted({r["campagne"] for r in summary})
    cell = {(r["campagne"], r["unit"]): r for r in summary}
    titles = {}
    theme_titles = {}
    for r in records(db.scores(campaign=campaigns[-1], network=network).drop_duplicates("unit")):
        if r["level"] == "engagement":
            titles[r["engagement"]] = r["title"]
        elif r["level"] == "theme":
            theme_titles[r["unit"]] = (r["engagement"], r["title"])
    engagements = sorted(titles)

    def value(campaign, unit):
        row = cell.get((campaign, unit))
        return row["mean"] if row is not None and enough(row["n_rated"], min_group_size) else None

    def shown(campaign, unit):
        row = cell.get((campaign, unit))
        if row is None:
            return "--"
        return fmt.rate(row["mean"]) if enough(row["n_rated"], min_group_size) else MASKED

    report = Report(title=f"Évolution des taux d'atteinte — {network or 'national'}",
                    subtitle=f"Services Publics + — {scope} — campagnes {', '.join(map(str, campaigns))}")
    report.heading("Participation et taux global")
    rows = [[str(c), fmt.number(cell[(c, "global")]["n_structures"]) if (c, "global") in cell else "0", shown(c, "global")]
            for c in campaigns]
    report.html(table(["Campagne", "Structures", "Taux global moyen"], rows, numeric=[1, 2]))

    report.heading("Taux moyen par engagement et par campagne")
    series = {e: [value(c, f"E{e}") for c in campaigns] for e in engagements}
    spec = charts.trend_lines(campaigns, series, f"Taux moyen par engagement — {network or 'national'}")
    rows = [[f"E{e}", titles[e]] + [shown(c, f"E{e}") for c in campaigns] for e in engagements]
    report.chart(spec, table(["Engagement", "Intitulé"] + [str(c) for c in campaigns], rows,
                             numeric=range(2, 2 + len(campaigns))))

    report.heading("Taux moyen par thème et par campagne")
    rows = [[unit, title] + [shown(c, unit) for c in campaigns] for unit, (e, title) in theme_titles.items()]
    report.html(table(["Thème", "Intitulé"] + [str(c) for c in campaigns], rows, numeric=range(2, 2 + len(campaigns))))
    if any(MASKED in row for row in rows) or any(shown(c, "global") == MASKED for c in campaigns):
        report.html(masked_note(min_group_size))
    return report
