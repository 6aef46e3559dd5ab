"""outputs/index.html: the national overview per campaign and a link to every report."""

from __future__ import annotations

from dataclasses import dataclass, field

from autodiag import formatting as fmt
from autodiag.analysis import versions
from autodiag.analysis.frames import records
from autodiag.analysis.privacy import DEFAULT_MIN_GROUP_SIZE, Confidentiality
from autodiag.api import Autodiag
from autodiag.labels import engagement_label
from autodiag.reports import change_charts, geo_map, scripts, trends
from autodiag.reports.masking import masked_note
from autodiag.reports.page import Report, script_json
from autodiag.reports.tables import esc, table

DASHBOARD_LINE_NOTE = (
    "Trait plein : même questionnaire ; pointillé : changement de questionnaire, engagement relié par "
    "la table de correspondance (lien « identique » ou « proche ») ; pas de trait : aucune "
    "correspondance. Le survol d'un point donne le nombre de structures sur lequel il repose ; la "
    "page d'évolution nationale donne les deux séries (tous les répondants, mêmes structures)."
)


@dataclass
class Links:
    """Relative links (from outputs/) to the reports the build produced."""

    trends: str | None = None
    network_trends: dict = field(default_factory=dict)  # network -> href
    networks: dict = field(default_factory=dict)  # (campaign, network) -> href
    structures: dict = field(default_factory=dict)  # (campaign, network) -> [(code, name, href)]
    typologies: dict = field(default_factory=dict)  # (campaign, code) -> typologie
    failures: list = field(default_factory=list)  # (kind, label, error)


def _a(href: str, text: str) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def build(db: Autodiag, links: Links, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> Report:
    privacy = Confidentiality(min_group_size)
    report = Report(
        title="Auto-diagnostics Services Publics + — tableau de bord",
        subtitle="Vue nationale par campagne et accès à tous les rapports",
    )
    summary = records(db.network_summary())
    campaigns = sorted({r["campagne"] for r in summary})
    national = {(r["campagne"], r["unit"]): r for r in summary if r["reseau"] is None}
    if links.trends:
        report.html(f"<p>{_a(links.trends, 'Évolution nationale des taux (toutes campagnes)')}</p>")
    if links.failures:
        report.heading("Rapports en échec")
        report.html(table(["Type", "Rapport", "Erreur"], links.failures))

    version_of = trends.campaign_versions(db, None)
    latest = version_of[campaigns[-1]]
    titles, _ = trends.version_titles(db, latest)
    engagements = sorted(titles)
    # Each engagement of the latest questionnaire, followed back through the crosswalk only.
    sources = trends.engagement_sources(campaigns, version_of, latest, engagements)
    cells, series, counts, joins = trends.engagement_lines(national, campaigns, version_of, sources, privacy)
    breaks = trends.version_breaks(campaigns, version_of)
    report.heading("Vue nationale")
    rows = []
    for i, c in enumerate(campaigns):
        g = national.get((c, "global"))
        rows.append(
            [
                str(c),
                version_of[c],
                fmt.number(g["n_structures"] if g else 0),
                privacy.shown(g, "mean"),
                privacy.shown(g, "median"),
            ]
            + [privacy.shown(cells[e][i], "mean", absent="--") for e in engagements]
        )
    names = {e: engagement_label(e) for e in engagements}
    report.chart(
        change_charts.lines(
            campaigns, series, counts, joins, "Taux moyen national par engagement et par campagne", breaks
        ),
        table(
            ["Campagne", "Questionnaire", "Structures", "Taux global moyen", "Médiane"]
            + [names[e] for e in engagements],
            rows,
            numeric=range(2, 5 + len(engagements)),
        ),
    )
    if breaks:
        report.text(
            f"Engagements du questionnaire {latest}. Avant un changement de questionnaire, un engagement "
            "n'est suivi que par la table de correspondance (« -- » : aucun engagement comparable) ; le "
            "taux global ne se compare pas d'un questionnaire à l'autre. « -- » : non demandé cette "
            "campagne-là.",
            "note",
        )
    report.text(DASHBOARD_LINE_NOTE, "note")
    # The structure search before the campaign tables: a few Tabs from the top of the page.
    _structures(report, db, links, latest, engagements, names)

    for c in reversed(campaigns):
        report.heading(f"Campagne {c}")
        nets = sorted({r["reseau"] for r in summary if r["campagne"] == c and r["reseau"] is not None})
        rows_html = [
            f'<div class="table-wrap"><table class="data sortable"><caption>Réseaux de la campagne {esc(c)}</caption>'
            "<thead><tr><th>Réseau</th><th class=num>Structures</th>"
            "<th class=num>Taux global moyen</th><th>Rapport réseau</th><th>Rapports des structures</th></tr></thead><tbody>"
        ]
        for net in nets:
            g = next(
                (r for r in summary if r["campagne"] == c and r["reseau"] == net and r["unit"] == "global"),
                None,
            )
            mean = privacy.shown(g, "mean")
            href = links.networks.get((c, net))
            structures = links.structures.get((c, net), [])
            # Sets the filters of the structure table below (no list hidden in the row).
            show = (
                f'<a href="#structures" class="show-structures" data-campagne="{esc(c)}" data-reseau="{esc(net)}">'
                f"{len(structures)} structure(s) dans le tableau</a>"
            )
            rows_html.append(
                f"<tr><td>{esc(net)}</td><td class=num>{esc(fmt.number(g['n_structures'] if g else 0))}</td>"
                f"<td class=num>{esc(mean)}</td><td>{_a(href, 'rapport réseau') if href else '—'}"
                + (f" · {_a(links.network_trends[net], 'évolution')}" if net in links.network_trends else "")
                + f"</td><td>{show}</td></tr>"
            )
        rows_html.append("</tbody></table></div>")
        report.html("".join(rows_html))
    geo_map.section(report, db, privacy)
    report.html(masked_note(privacy))
    return report


def _structure_rows(db: Autodiag, links: Links, latest: str, engagements: list) -> list[dict]:
    """One record per structure report of the site, for the page's script (JSON). Engagement
    rates are keyed by the latest questionnaire's engagements, reached from an older version
    through the crosswalk only (an old E5 is not the 2024 E5)."""
    # The global and engagement rates only (not the themes': five times as many rows).
    units_of: dict = {}  # version -> the latest engagements' units in it (one lookup per version)
    by_key: dict = {}
    for r in records(db.structure_history()):
        by_key.setdefault((r["campagne"], r["code_structure"]), []).append(r)
    rows = []
    for (campaign, network), items in sorted(links.structures.items()):
        for code, name, href in items:
            found = by_key.get((campaign, code), [])
            overall = next((r["rate"] for r in found if r["level"] == "global"), None)
            rates = {f"E{r['engagement']}": r["rate"] for r in found if r["level"] == "engagement"}
            version = found[0]["version"] if found else latest
            if version not in units_of:
                units_of[version] = {
                    e: versions.source(version, latest, "engagement", f"E{e}") for e in engagements
                }
            units = units_of[version]
            rows.append(
                {
                    "campagne": int(campaign),
                    "reseau": network,
                    "code": code,
                    "nom": name,
                    "typologie": links.typologies.get((campaign, code)) if found else None,
                    "href": href,
                    "reseau_href": links.networks.get((campaign, network)),
                    "global": fmt.rate(overall),
                    "engagements": {
                        str(e): fmt.rate(rates[u.unit])
                        for e, u in units.items()
                        if u.comparable and u.unit in rates
                    },
                }
            )
    return rows


def _options(element_id: str, label: str, values: list, names: dict | None = None) -> str:
    names = names or {}
    options = "".join(f'<option value="{esc(v)}">{esc(names.get(v, v))}</option>' for v in values)
    return (
        f'<label for="{element_id}">{esc(label)}<select id="{element_id}"><option value="">Tous</option>'
        f"{options}</select></label>"
    )


def _structures(
    report: Report, db: Autodiag, links: Links, latest: str, engagements: list, names: dict
) -> None:
    """Every structure report in one table, filtered by campaign, network, typologie and
    engagement and searched by code or name (accents and case ignored), all in the page."""
    rows = _structure_rows(db, links, latest, engagements)
    report.heading("Rapports des structures")
    if not rows:
        report.text("Aucun rapport de structure.", "empty")
        return
    campaigns = sorted({str(r["campagne"]) for r in rows}, reverse=True)
    networks = sorted({r["reseau"] for r in rows})
    typologies = sorted({r["typologie"] for r in rows if r["typologie"]})
    report.html(
        '<div class="filters">'
        '<label for="f-search">Code ou nom de la structure<input type="search" id="f-search" '
        'placeholder="Rechercher..." autocomplete="off"></label>'
        + _options("f-campagne", "Campagne", campaigns)
        + _options("f-reseau", "Réseau", networks)
        + _options("f-typologie", "Typologie", typologies)
        + _options(
            "f-engagement",
            "Engagement",
            [str(e) for e in engagements],
            {str(e): names[e] for e in engagements},
        )
        + '<span id="structures-count" class="search-count" aria-live="polite"></span></div>'
        '<div class="table-wrap"><table class="data sortable" id="structures">'
        "<caption>Rapports des structures (filtrés ci-dessus)</caption><thead><tr><th>Code</th><th>Structure</th>"
        "<th class=num>Campagne</th><th>Réseau</th><th>Typologie</th><th class=num>Taux global</th>"
        '<th class=num id="engagement-head">Taux de l\'engagement choisi</th></tr></thead><tbody></tbody></table></div>'
        f'<p class="note">Taux de l\'engagement choisi : engagements du questionnaire {esc(latest)} ; pour une '
        "campagne d'un questionnaire plus ancien, l'engagement correspondant selon la table de correspondance "
        "(« -- » : aucun).</p>"
        '<noscript><p class="note">Sans JavaScript, les rapports restent accessibles depuis chaque rapport réseau.</p></noscript>'
        f'<script type="application/json" id="structures-data">{script_json({"rows": rows})}</script>'
        f"<script>{scripts.DASHBOARD}</script>"
    )
