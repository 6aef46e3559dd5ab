"""outputs/index.html: the national overview per campaign and a link to every report."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import formatting as fmt
from ..labels import engagement_label
from ..api import Autodiag
from . import DEFAULT_MIN_GROUP_SIZE, charts
from .data import records
from .page import Report
from .privacy import masked_note, masked_stat, shown
from .tables import esc, table


@dataclass
class Links:
    """Relative links (from outputs/) to the reports the build produced."""

    trends: str | None = None
    network_trends: dict = field(default_factory=dict)  # network -> href
    networks: dict = field(default_factory=dict)  # (campaign, network) -> href
    structures: dict = field(default_factory=dict)  # (campaign, network) -> [(code, name, href)]
    failures: list = field(default_factory=list)  # (kind, label, error)


def _a(href: str, text: str) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def build(db: Autodiag, links: Links, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> Report:
    report = Report(title="Auto-diagnostics Services Publics + — tableau de bord",
                    subtitle="Vue nationale par campagne et accès à tous les rapports")
    summary = records(db.network_summary())
    campaigns = sorted({r["campagne"] for r in summary})
    national = {(r["campagne"], r["unit"]): r for r in summary if r["reseau"] is None}
    if links.trends:
        report.html(f"<p>{_a(links.trends, 'Évolution nationale des taux (toutes campagnes)')}</p>")
    if links.failures:
        report.heading("Rapports en échec")
        report.html(table(["Type", "Rapport", "Erreur"], links.failures))

    engagements = sorted({r["engagement"] for r in summary if r["level"] == "engagement"})
    series = {e: [masked_stat(national.get((c, f"E{e}")), "mean", min_group_size) for c in campaigns] for e in engagements}
    report.heading("Vue nationale")
    rows = []
    for c in campaigns:
        g = national.get((c, "global"))
        rows.append([str(c), fmt.number(g["n_structures"] if g else 0),
                     shown(g, "mean", min_group_size), shown(g, "median", min_group_size)]
                    + [shown(national.get((c, f"E{e}")), "mean", min_group_size) for e in engagements])
    names = {e: engagement_label(e) for e in engagements}
    report.chart(charts.trend_lines(campaigns, series, "Taux moyen national par engagement et par campagne", names),
                 table(["Campagne", "Structures", "Taux global moyen", "Médiane"] + [names[e] for e in engagements], rows,
                       numeric=range(1, 4 + len(engagements))))

    for c in reversed(campaigns):
        report.heading(f"Campagne {c}")
        nets = sorted({r["reseau"] for r in summary if r["campagne"] == c and r["reseau"] is not None})
        rows_html = ['<table class="data"><thead><tr><th>Réseau</th><th class=num>Structures</th>'
                     '<th class=num>Taux global moyen</th><th>Rapport réseau</th><th>Rapports des structures</th></tr></thead><tbody>']
        for net in nets:
            g = next((r for r in summary if r["campagne"] == c and r["reseau"] == net and r["unit"] == "global"), None)
            mean = shown(g, "mean", min_group_size)
            href = links.networks.get((c, net))
            structures = links.structures.get((c, net), [])
            items = "".join(f"<li>{_a(h, f'{code} — {name}')}</li>" for code, name, h in structures)
            rows_html.append(
                f"<tr><td>{esc(net)}</td><td class=num>{esc(fmt.number(g['n_structures'] if g else 0))}</td>"
                f"<td class=num>{esc(mean)}</td><td>{_a(href, 'rapport réseau') if href else '—'}"
                + (f" · {_a(links.network_trends[net], 'évolution')}" if net in links.network_trends else "")
                + f"</td><td><details><summary>{len(structures)} rapport(s)</summary><ul>{items}</ul></details></td></tr>"
            )
        rows_html.append("</tbody></table>")
        report.html("".join(rows_html))
    report.html(masked_note(min_group_size))
    return report
