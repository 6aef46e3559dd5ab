"""Trends: engagement and theme rates per campaign, for one network or nationally."""

from __future__ import annotations

from .. import formatting as fmt
from ..labels import theme_code
from ..api import Autodiag
from . import DEFAULT_MIN_GROUP_SIZE, charts
from .data import records
from .page import Report
from .privacy import MASKED, masked_note, masked_stat, shown
from .tables import table


def build(db: Autodiag, network: str | None = None, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> Report:
    summary = [r for r in records(db.network_summary()) if r["reseau"] == network]  # None = national rows
    if not summary:
        raise LookupError(f"aucune donnée pour le réseau « {network} »" if network else "base vide")
    scope = f"réseau « {network} »" if network else "niveau national (tous réseaux)"
    campaigns = sorted({r["campagne"] for r in summary})
    cell = {(r["campagne"], r["unit"]): r for r in summary}
    titles, theme_titles = _titles(db, campaigns[-1], network)
    engagements = sorted(titles)

    def value(campaign, unit):
        return masked_stat(cell.get((campaign, unit)), "mean", min_group_size)

    def mean(campaign, unit):
        return shown(cell.get((campaign, unit)), "mean", min_group_size, absent="--")

    report = Report(title=f"Évolution des taux d'atteinte — {network or 'national'}",
                    subtitle=f"Services Publics + — {scope} — campagnes {', '.join(map(str, campaigns))}")
    report.heading("Participation et taux global")
    rows = [[str(c), fmt.number(cell[(c, "global")]["n_structures"]) if (c, "global") in cell else "0", mean(c, "global")]
            for c in campaigns]
    report.html(table(["Campagne", "Structures", "Taux global moyen"], rows, numeric=[1, 2]))

    report.heading("Taux moyen par engagement et par campagne")
    series = {e: [value(c, f"E{e}") for c in campaigns] for e in engagements}
    spec = charts.trend_lines(campaigns, series, f"Taux moyen par engagement — {network or 'national'}")
    rows = [[f"E{e}", titles[e]] + [mean(c, f"E{e}") for c in campaigns] for e in engagements]
    report.chart(spec, table(["Engagement", "Intitulé"] + [str(c) for c in campaigns], rows,
                             numeric=range(2, 2 + len(campaigns))))

    report.heading("Taux moyen par thème et par campagne")
    rows = [[theme_code(unit), title] + [mean(c, unit) for c in campaigns] for unit, (e, title) in theme_titles.items()]
    report.html(table(["Thème", "Intitulé"] + [str(c) for c in campaigns], rows, numeric=range(2, 2 + len(campaigns))))
    if any(MASKED in row for row in rows) or any(mean(c, "global") == MASKED for c in campaigns):
        report.html(masked_note(min_group_size))
    return report


def _titles(db: Autodiag, campaign: int, network: str | None) -> tuple[dict, dict]:
    """Engagement and theme titles, in report order, from the questionnaire(s) the campaign's
    submissions were scored on: {engagement: title}, {theme: (engagement, title)}."""
    versions = db.query(
        "select distinct version from retained_submissions where campagne = $c and ($n is null or reseau = $n)",
        {"c": campaign, "n": network},
    )["version"]
    questions = db.referentiel()
    questions = questions[questions["version"].isin(versions)]
    titles = {int(r["engagement"]): r["engagement_title"] for r in records(questions.drop_duplicates("engagement"))}
    themes = {r["theme_id"]: (int(r["engagement"]), r["theme_title"]) for r in records(questions.drop_duplicates("theme_id"))}
    return titles, themes
