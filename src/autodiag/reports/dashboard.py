"""outputs/index.html: the national overview per campaign and a link to every report."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from autodiag import formatting as fmt
from autodiag.analysis import versions
from autodiag.analysis.frames import records
from autodiag.analysis.privacy import DEFAULT_MIN_GROUP_SIZE, Confidentiality
from autodiag.api import Autodiag
from autodiag.labels import engagement_label
from autodiag.paths import sql_text
from autodiag.reports import change_charts, geo_map, scripts, trends
from autodiag.reports.page import Report
from autodiag.reports.tables import esc, script_json, table

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
    """The page, whose ``files`` are the structure list's data, one script per campaign (loaded by a
    relative ``<script src>``: works from file://, and the page itself stays small)."""
    privacy = Confidentiality(min_group_size)
    report = Report(
        title="Auto-diagnostics Services Publics + — tableau de bord",
        subtitle="Vue nationale par campagne et accès à tous les rapports",
    )
    summary = records(db.network_summary())
    campaigns = sorted({r["campagne"] for r in summary})
    national = {(r["campagne"], r["unit"]): r for r in summary if r["reseau"] is None}
    if links.failures:
        report.heading("Rapports en échec")
        report.html(table(["Type", "Rapport", "Erreur"], links.failures))

    version_of = trends.campaign_versions(db, None)
    latest = version_of[campaigns[-1]]
    titles, _ = trends.version_titles(db, latest)
    engagements = sorted(titles)
    names = {e: engagement_label(e) for e in engagements}
    # The answer first: the latest campaign's key figures; then the structure search, a few Tabs
    # from the top of the page; then each campaign's networks (older campaigns folded).
    _key_figures(report, campaigns[-1], summary, privacy)
    _structures(report, db, links, campaigns[-1], latest, engagements, names)
    for i, c in enumerate(reversed(campaigns)):
        _campaign(report, c, summary, links, privacy, first=i == 0)
    _national(report, db, links, campaigns, national, version_of, latest, engagements, names, privacy)
    geo_map.section(report, db, privacy)  # ends with the masked-figures note
    return report


def _national(
    report: Report,
    db: Autodiag,
    links: Links,
    campaigns: list,
    national: dict,
    version_of: dict,
    latest: str,
    engagements: list,
    names: dict,
    privacy: Confidentiality,
) -> None:
    """Every campaign's national rates, per engagement of the latest questionnaire."""
    # Each engagement of the latest questionnaire, followed back through the crosswalk only.
    sources = trends.engagement_sources(campaigns, version_of, latest, engagements)
    cells, series, counts, joins = trends.engagement_lines(national, campaigns, version_of, sources, privacy)
    breaks = trends.version_breaks(campaigns, version_of)
    report.heading("Vue nationale, toutes campagnes")
    if links.trends:
        report.html(f"<p>{_a(links.trends, 'Évolution nationale des taux (toutes campagnes)')}</p>")
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


def _below(row: dict | None, privacy: Confidentiality) -> str:
    """How many structures have a global rate under 50 % (masked with the group's other figures)."""
    return privacy.shown(row, "n_below_50", format=lambda n: fmt.number(n or 0))


def _key_figures(report: Report, c: int, summary: list, privacy: Confidentiality) -> None:
    """The latest campaign's national key figures, at the top of the page."""
    g = next(
        (r for r in summary if r["campagne"] == c and r["reseau"] is None and r["unit"] == "global"), None
    )
    report.heading(f"Campagne {c} : chiffres clés")
    figures = [
        ("structures", fmt.number(g["n_structures"] if g else 0)),
        ("taux global moyen", privacy.shown(g, "mean")),
        ("médiane", privacy.shown(g, "median")),
        ("sous 50 %", _below(g, privacy)),
    ]
    report.html(
        '<dl class="key-figures">'
        + "".join(f"<div><dt>{esc(name)}</dt><dd>{esc(value)}</dd></div>" for name, value in figures)
        + "</dl>"
    )


def _campaign(
    report: Report, c: int, summary: list, links: Links, privacy: Confidentiality, first: bool
) -> None:
    """A campaign's networks, one row each with the links to its reports; an older campaign
    folded, with its national key figures."""
    nets = sorted({r["reseau"] for r in summary if r["campagne"] == c and r["reseau"] is not None})
    parts = []
    if first:
        report.heading(f"Campagne {c} : réseaux")
    else:
        g = next(
            (r for r in summary if r["campagne"] == c and r["reseau"] is None and r["unit"] == "global"), None
        )
        figures = [
            ("structures", fmt.number(g["n_structures"] if g else 0)),
            ("taux global moyen", privacy.shown(g, "mean")),
            ("médiane", privacy.shown(g, "median")),
            ("sous 50 %", _below(g, privacy)),
        ]
        parts += [
            f"<details><summary>Campagne {esc(c)} : chiffres clés et réseaux</summary>",
            '<dl class="key-figures">'
            + "".join(f"<div><dt>{esc(name)}</dt><dd>{esc(value)}</dd></div>" for name, value in figures)
            + "</dl>",
        ]
    parts.append(
        '<div class="table-wrap"><table class="data sortable"><caption>'
        f"Réseaux de la campagne {esc(c)}</caption><thead><tr><th scope=col>Réseau</th>"
        "<th scope=col class=num>Structures</th><th scope=col class=num>Taux global moyen</th>"
        "<th scope=col class=num>Médiane</th><th scope=col class=num>Sous 50 %</th>"
        "<th scope=col>Rapports</th><th scope=col>Structures</th></tr></thead><tbody>"
    )
    for net in nets:
        row = next(
            (r for r in summary if r["campagne"] == c and r["reseau"] == net and r["unit"] == "global"), None
        )
        href = links.networks.get((c, net))
        structures = links.structures.get((c, net), [])
        # Sets the filters of the structure table above (no list hidden in the row).
        show = (
            f'<a href="#structures" class="show-structures" data-campagne="{esc(c)}" data-reseau="{esc(net)}">'
            f"{esc(fmt.number(len(structures)))} structure(s) dans le tableau</a>"
        )
        parts.append(
            f"<tr><th scope=row>{esc(net)}</th><td class=num>{esc(fmt.number(row['n_structures'] if row else 0))}</td>"
            f"<td class=num>{esc(privacy.shown(row, 'mean'))}</td><td class=num>{esc(privacy.shown(row, 'median'))}</td>"
            f"<td class=num>{esc(_below(row, privacy))}</td><td>{_a(href, 'rapport réseau') if href else '—'}"
            + (f" · {_a(links.network_trends[net], 'évolution')}" if net in links.network_trends else "")
            + f"</td><td>{show}</td></tr>"
        )
    parts.append("</tbody></table></div>" + ("" if first else "</details>"))
    report.html("".join(parts))


def data_file(campaign: int | str) -> str:
    """The structure list's data of one campaign, relative to outputs/."""
    return f"data/structures-{campaign}.js"


def _rate(value) -> float | None:
    """A rate rounded as the pages print it (half-up, one decimal); the script writes the comma."""
    return None if value is None or value != value else _rounded(value)


@functools.lru_cache(maxsize=65536)
def _rounded(value: float) -> float:
    # Rates repeat (a few questions per engagement): each distinct value is rounded once.
    return float(fmt.round_half_up(value))


def _structure_data(db: Autodiag, links: Links, latest: str, engagements: list) -> dict[int, dict]:
    """Per campaign, every structure report of the site as compact rows for the page's script:
    [code, name, network index, typologie index, slug (null: the code in lower case), global rate,
    [engagement rates]]. Engagement rates are keyed by the latest questionnaire's engagements,
    reached from an older version through the crosswalk only (an old E5 is not the 2024 E5)."""
    units_of: dict = {}  # version -> the latest engagements' units in it (one lookup per version)
    by_key: dict = {}  # (campaign, code) -> [version, global rate, {E1: rate…}]
    # A national site has 250,000 rows here: read column by column, without a dict per row.
    frame = db.query(sql_text("marts/dashboard_rates"))
    for campaign, code, version, level, engagement, rate in zip(*(frame[c].tolist() for c in frame.columns)):
        found = by_key.get((campaign, code))
        if found is None:
            found = by_key[(campaign, code)] = [version, None, {}]
        if level == "global" and found[1] is None:
            found[1] = rate
        elif level == "engagement":
            found[2][f"E{engagement}"] = rate
    out: dict = {}
    for (campaign, network), items in sorted(links.structures.items()):
        data = out.setdefault(
            int(campaign),
            {
                "prefix": f"{campaign}/structures/",
                "engagements": list(engagements),
                "networks": [],
                "typologies": [],
                "rows": [],
            },
        )
        nets, typologies = data["networks"], data["typologies"]
        if not nets or nets[-1][0] != network:
            nets.append([network, links.networks.get((campaign, network))])
        for code, name, href in items:
            found = by_key.get((campaign, code))
            version, overall, rates = found or (latest, None, {})
            if version not in units_of:
                units_of[version] = [
                    versions.source(version, latest, "engagement", f"E{e}") for e in engagements
                ]
            typologie = links.typologies.get((campaign, code)) if found else None
            if typologie is not None and typologie not in typologies:
                typologies.append(typologie)
            inside = href.startswith(data["prefix"]) and href.endswith(".html")
            slug = href[len(data["prefix"]) : -len(".html")] if inside else href
            data["rows"].append(
                [
                    code,
                    name,
                    len(nets) - 1,
                    typologies.index(typologie) if typologie is not None else None,
                    None if slug == code.lower() else slug,
                    _rate(overall),
                    [_rate(rates.get(u.unit)) if u.comparable else None for u in units_of[version]],
                ]
            )
    return out


def data_script(campaign: int, data: dict) -> bytes:
    """One campaign's data as a script assigning to a global (a JSON file cannot be read from file://)."""
    key = script_json(str(campaign))
    return (
        "window.AUTODIAG_DATA=window.AUTODIAG_DATA||{};window.AUTODIAG_DATA["
        + key
        + "]="
        + script_json(data)
        + ";\n"
    ).encode("utf-8")


def _options(
    element_id: str,
    label: str,
    values: list,
    names: dict | None = None,
    everything: str = "Tous",
    selected: str | None = None,
) -> str:
    names = names or {}
    options = "".join(
        f'<option value="{esc(v)}"{" selected" if v == selected else ""}>{esc(names.get(v, v))}</option>'
        for v in values
    )
    return (
        f'<label for="{element_id}">{esc(label)}<select id="{element_id}"><option value="">{esc(everything)}</option>'
        f"{options}</select></label>"
    )


SORTABLE = [
    ("code", "Code", ""),
    ("nom", "Structure", ""),
    ("campagne", "Campagne", "num"),
    ("reseau", "Réseau", ""),
    ("typologie", "Typologie", ""),
    ("global", "Taux global", "num"),
    ("engagement", "Taux de l'engagement choisi", "num"),
]


def _structures(
    report: Report, db: Autodiag, links: Links, last: int, latest: str, engagements: list, names: dict
) -> None:
    """Every structure report in one paged table (the rows in view only), filtered by campaign
    (the latest by default), network, typologie and engagement and searched by code or name
    (accents and case ignored). The rows come from one data script per campaign."""
    data = _structure_data(db, links, latest, engagements)
    report.heading("Rapports des structures")
    if not data:
        report.text("Aucun rapport de structure.", "empty")
        return
    for campaign, content in sorted(data.items()):
        report.files[data_file(campaign)] = data_script(campaign, content)
    campaigns = [str(c) for c in sorted(data, reverse=True)]
    networks = sorted({n for content in data.values() for n, _ in content["networks"]})
    typologies = sorted({t for content in data.values() for t in content["typologies"]})
    total = sum(len(content["rows"]) for content in data.values())
    start = str(last) if last in data else campaigns[0]
    heads = "".join(
        f"<th scope=col{' class=num' if cls else ''}{' id=engagement-head' if key == 'engagement' else ''}>"
        f'<button type="button" class="sort" data-key="{key}"><span class="label">{esc(text)}</span>'
        '<span class="arrow" aria-hidden="true">\u2195</span></button></th>'
        for key, text, cls in SORTABLE
    )
    report.html(
        '<div class="filters">'
        '<label for="f-search">Code ou nom de la structure<input type="search" id="f-search" '
        'placeholder="Rechercher..." autocomplete="off"></label>'
        + _options("f-campagne", "Campagne", campaigns, everything="Toutes", selected=start)
        + _options("f-reseau", "Réseau", networks)
        + _options("f-typologie", "Typologie", typologies)
        + _options(
            "f-engagement",
            "Engagement",
            [str(e) for e in engagements],
            {str(e): names[e] for e in engagements},
            everything="Aucun",
        )
        + "</div>"
        f'<p id="structures-count" class="search-count" aria-live="polite">{esc(fmt.number(total))} rapports de '
        "structure au total</p>"
        '<div class="table-wrap"><table class="data paged" id="structures"'
        f' data-campaigns="{esc(",".join(campaigns))}" data-engagements="{esc(",".join(str(e) for e in engagements))}">'
        f"<caption>Rapports des structures (50 par page)</caption><thead><tr>{heads}</tr></thead><tbody></tbody></table></div>"
        '<nav class="pager" aria-label="Pages du tableau des structures">'
        '<button type="button" data-page="first">Première page</button>'
        '<button type="button" data-page="previous">Page précédente</button>'
        '<span id="structures-page" aria-live="polite"></span>'
        '<button type="button" data-page="next">Page suivante</button>'
        '<button type="button" data-page="last">Dernière page</button></nav>'
        f'<p class="note">Taux de l\'engagement choisi : engagements du questionnaire {esc(latest)} ; pour une '
        "campagne d'un questionnaire plus ancien, l'engagement correspondant selon la table de correspondance "
        "(« -- » : aucun).</p>"
        '<noscript><p class="note">Sans JavaScript, les rapports restent accessibles depuis chaque rapport réseau.</p></noscript>'
        f'<script src="{esc(data_file(start))}"></script>'
        f"<script>{scripts.DASHBOARD}</script>"
    )
