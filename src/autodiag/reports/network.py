"""The network report: a network's structures for one campaign, against the national level.

Confidentiality: structure-level figures come only from the network's own structures
(every query is filtered on the network); other networks appear only through national
aggregates; aggregates over fewer than ``min_group_size`` structures are masked.
"""

from __future__ import annotations

import statistics

import pandas as pd

from autodiag import formatting as fmt
from autodiag.analysis import plans as plan_rule
from autodiag.analysis import versions
from autodiag.analysis.frames import (
    THIN,
    coverage,
    coverage_share,
    group_by,
    panel,
    panel_size,
    previous_campaign,
    records,
    same_structures,
    thin,
    totals,
)
from autodiag.analysis.free_texts import is_trivial
from autodiag.analysis.inspiration import weakest_units
from autodiag.analysis.peers import size_band
from autodiag.analysis.privacy import DEFAULT_MIN_GROUP_SIZE, MASKED, Confidentiality
from autodiag.api import Autodiag
from autodiag.exports.files import rows_csv, rows_xlsx
from autodiag.labels import theme_code
from autodiag.reports import charts, funnel, observed, quality_flags, references
from autodiag.reports.inspiration_section import section as inspiration  # « S'inspirer de »
from autodiag.reports.layout import network_nav, site_references, structure_links_from_network
from autodiag.reports.masking import masked_note
from autodiag.reports.page import Report
from autodiag.reports.tables import (
    PAGED_FROM,
    Html,
    code_cell,
    esc,
    paged_table,
    quotes,
    searchable,
    table,
    tables_script,
)
from autodiag.slugs import slugify

WEAKEST = 10
CROSS_THEMES = 5  # weakest themes detailed structure by structure
HEATMAP_THEMES = 8  # weakest themes in the structures × themes heatmap (fits an A4 page)
HEATMAP_ROWS = 20  # structures per heatmap: each part prints on one A4 page at full size
HEATMAP_MAX = 100  # structures drawn at most; the table beside lists them all
LARGE = PAGED_FROM  # structures: beyond, distributions and the weakest few instead of one mark each
NAMED = 10  # structures named in a sentence or a chart of a large network; the rest are counted
NA_ZERO_NOTE = (
    "Règle officielle : les questions « non applicable » et les réponses vides sont exclues du calcul du "
    "taux. La dernière colonne, pour information seulement, compte ces questions pour 0 point : l'écart "
    "entre les deux colonnes dit combien le taux doit à l'exclusion des « non applicable »."
)
BINS = [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60), (60, 70), (70, 80), (80, 90), (90, 100)]


def _structure_label(code: str, name: str) -> str:
    """The full label (charts wrap it over lines, never cut it)."""
    return f"{code} — {name}"


def build(
    db: Autodiag,
    campaign: int,
    network: str,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    site_links: bool = False,
) -> Report:
    """``site_links``: link each structure code to its report, as laid out by ``autodiag build``."""
    privacy = Confidentiality(min_group_size)
    scores = _score_records(db, campaign, network)
    if not scores:
        raise LookupError(f"aucune structure du réseau « {network} » en {campaign}")
    prev = previous_campaign(db.campaigns(), campaign)
    # This campaign and the previous one; only this network's rows and the national rows (reseau
    # null): never another network.
    summary = pd.concat([db.network_summary(c) for c in (campaign, prev) if c is not None])
    summary = summary[summary["reseau"].isna() | (summary["reseau"] == network)]
    summary_rows = records(summary)
    own = {r["unit"]: r for r in summary_rows if r["campagne"] == campaign and r["reseau"] == network}
    national = {r["unit"]: r for r in summary_rows if r["campagne"] == campaign and r["reseau"] is None}
    prev_own = {r["unit"]: r for r in summary_rows if r["campagne"] == prev and r["reseau"] == network}
    # of the previous campaign, the report reads who answered, the questionnaire and the global rate
    prev_scores = _score_records(db, prev, network, level="global") if prev is not None else []
    # A change is read on the same structures both campaigns (balanced panel), never on two populations.
    both = panel(db, [prev, campaign], network) if prev is not None else {}

    by_code = group_by(scores, "code_structure")
    engagements = sorted({r["engagement"] for r in scores if r["level"] == "engagement"})
    titles = {r["engagement"]: r["title"] for r in scores if r["level"] == "engagement"}

    report = Report(
        title=f"Rapport réseau — {network}",
        subtitle=f"Services Publics + — campagne {campaign} — questionnaire {_version(by_code)}",
        toc=True,
    )
    report.text(
        f"Ce rapport présente les structures du réseau « {network} » uniquement ; les autres réseaux "
        f"n'apparaissent qu'à travers les moyennes nationales. Tout agrégat calculé sur moins de "
        f"{privacy.min_group_size} structures est masqué.",
        "note",
    )
    _participation(report, by_code, prev_scores, campaign, prev)
    shared = site_links  # a site page reads the national figures from the campaign's data file
    if shared:
        report.references = site_references(campaign).hrefs
    _distribution(report, by_code, own, national, privacy, shared)
    _typologies(report, by_code, privacy)
    if site_links:
        links = structure_links_from_network(db, campaign)
        report.nav = network_nav(db, campaign, network)
    else:
        links = {}
    stem = download_stem(network, campaign)
    if site_links:  # a site page: long tables' rows in data scripts beside it (a single file keeps them)
        report.table_data, report.lazy_data, report.lazy_src = {}, {}, f"{stem}-verbatims.js"
    _heatmap(report, by_code, engagements, titles, links, privacy, stem)
    funnel.section(report, db, campaign, network, by_code, links, privacy)
    _against_national(report, network, engagements, titles, own, national, privacy, shared)
    weakest = _weakest_themes(report, scores, own, privacy)
    _structures_by_theme(report, by_code, weakest, links, privacy)
    inspiration(report, db, campaign, scores, weakest, links)
    _changes(
        report,
        by_code,
        group_by(prev_scores, "code_structure"),
        engagements,
        own,
        prev_own,
        both,
        campaign,
        prev,
        privacy,
        links,
    )
    _theme_changes(
        report,
        scores,
        both,
        campaign,
        prev,
        privacy,
        _version(group_by(prev_scores, "code_structure")) if prev_scores else None,
    )
    _plans(report, db, campaign, by_code, links)
    observed.network_section(report, db, campaign, network, privacy, links)
    _verbatims(report, records(db.free_texts(campaign=campaign, network=network)), engagements, titles)
    _quality(report, records(db.answer_quality(campaign=campaign, network=network)), privacy)
    quality_flags.section(report, db, campaign, network, links)
    if report.table_data:  # the rows of the long tables, beside the page
        report.files[f"{stem}-tableaux.js"] = tables_script(report.table_data)
        report.html(f'<script src="{esc(stem)}-tableaux.js"></script>')
    if report.lazy_data:  # the folded quotes' rows, loaded when their section opens
        report.files[report.lazy_src] = tables_script(report.lazy_data)
    return report


# Columns of the scores a network report never reads: a network of 3,000 structures has 100,000
# score rows, and turning each date into a Python value costs a third of a second.
UNREAD = ["date_enregistrement", "localisation", "heading", "submission_id"]


def _score_records(db: Autodiag, campaign: int, network: str, level: str | None = None) -> list[dict]:
    frame = db.scores(campaign=campaign, network=network).drop(columns=UNREAD)
    return records(frame if level is None else frame[frame["level"] == level])


def _participation(report: Report, by_code: dict, prev_scores: list, campaign: int, prev: int | None) -> None:
    report.heading("Participation")
    identities = [rows[0] for rows in by_code.values()]
    contributors = sum(r["nb_agents_contributeurs"] or 0 for r in identities)
    interaction = sum(r["nb_agents_interaction"] or 0 for r in identities)
    rows = [
        ["Structures ayant répondu", fmt.number(len(identities))],
        ["Agents ayant contribué aux diagnostics", fmt.number(contributors)],
        ["Agents en interaction avec les usagers", fmt.number(interaction)],
    ]
    if prev is not None:
        prev_codes = {r["code_structure"] for r in prev_scores}
        rows.append([f"Structures ayant répondu en {prev}", fmt.number(len(prev_codes))])
        rows.append(
            [f"Structures présentes en {prev} et {campaign}", fmt.number(len(prev_codes & set(by_code)))]
        )
    report.html(table(["Indicateur", "Valeur"], rows, numeric=[1]))


def national_cell(unit: str, field: str) -> str:
    return references.key("national", unit, field)


def _distribution(
    report: Report, by_code: dict, own: dict, national: dict, privacy: Confidentiality, shared: bool = False
) -> None:
    report.heading("Répartition des taux d'atteinte globaux")
    rates = [next(r["rate"] for r in rows if r["level"] == "global") for rows in by_code.values()]
    counts = []
    for low, high in BINS:
        counts.append(
            sum(1 for v in rates if v is not None and (low <= v < high or (high == 100 and v == 100)))
        )
    labels = [f"{low}–{high}" for low, high in BINS]
    spec = charts.histogram(labels, counts, "Structures du réseau par tranche de taux d'atteinte global")
    rows = [
        [f"{low} % à {'moins de ' if high < 100 else ''}{high} %", fmt.number(c)]
        for (low, high), c in zip(BINS, counts)
    ]
    report.chart(spec, table(["Tranche de taux global", "Structures"], rows, numeric=[1]))
    stats = [
        [
            name,
            privacy.shown(own.get("global"), field),
            references.cell(national_cell("global", field))
            if shared
            else privacy.shown(national.get("global"), field),
        ]
        for name, field in DISTRIBUTION_FIELDS
    ]
    if shared:
        report.html(
            '<div id="repartition-chiffres">'
            + table(["Taux global", "Réseau", "National"], stats, numeric=[1, 2])
            + "</div>"
            + references.masked_note_slot(masked_note(privacy), "repartition-chiffres")
        )
        return
    report.html(table(["Taux global", "Réseau", "National"], stats, numeric=[1, 2]))
    if any(MASKED in row for row in stats):
        report.html(masked_note(privacy))


DISTRIBUTION_FIELDS = [
    ("Moyenne", "mean"),
    ("1er quartile", "q1"),
    ("Médiane", "median"),
    ("3e quartile", "q3"),
]


def _typologies(report: Report, by_code: dict, privacy: Confidentiality) -> None:
    """The network's global rates by typologie (masked below the minimum group size)."""
    report.heading("Taux global par typologie", 3)
    groups: dict = {}
    for items in by_code.values():
        rate = _global(items)
        if rate is not None:
            groups.setdefault(items[0]["typologie"] or "--", []).append(rate)
    rows = []
    for name, rates in sorted(groups.items()):
        ok = privacy.enough(len(rates))
        rows.append(
            [
                name,
                fmt.number(len(rates)),
                fmt.rate(sum(rates) / len(rates)) if ok else MASKED,
                fmt.rate(statistics.median(rates)) if ok else MASKED,
            ]
        )
    report.html(
        table(
            ["Typologie", "Structures", "Taux global moyen", "Médiane"],
            rows,
            numeric=[1, 2, 3],
            sortable=True,
        )
    )
    if any(MASKED in row for row in rows):
        report.html(masked_note(privacy))


def _global(items: list) -> float | None:
    return next((r["rate"] for r in items if r["level"] == "global"), None)


def _weakest_first(by_code: dict) -> list:
    """Structures by global rate, weakest first (no rate last), then by code."""
    return sorted(by_code.items(), key=lambda kv: (_global(kv[1]) is None, _global(kv[1]) or 0, kv[0]))


def download_stem(network: str, campaign: int) -> str:
    """The name of the files written beside a network report (the same in every layout)."""
    return f"{slugify(network)}-{campaign}"


def _group_rows(
    by_code: dict, units: list[str], level: str, privacy: Confidentiality
) -> tuple[str, list, list]:
    """One heatmap row per typologie (per size band of agents when the network has one typologie):
    its structures' mean per unit, None below the threshold. Returns (what a row is, names, z)."""
    typologies = {items[0]["typologie"] for items in by_code.values()}
    if len(typologies) > 1:
        what, key = "typologie", lambda items: items[0]["typologie"] or "--"
    else:
        what, key = (
            "tranche d'agents en interaction",
            lambda items: size_band(items[0]["nb_agents_interaction"]) or "--",
        )
    groups: dict = {}
    for code, items in by_code.items():
        groups.setdefault(key(items), []).append(code)
    names, z = [], []
    for name, codes in sorted(groups.items(), key=lambda kv: _band_order(kv[0])):
        rates = [{r["unit"]: r["rate"] for r in by_code[code] if r["level"] == level} for code in codes]
        row = []
        for unit in units:
            found = [r[unit] for r in rates if r.get(unit) is not None]
            row.append(sum(found) / len(found) if privacy.enough(len(found)) else None)
        names.append(f"{name} ({fmt.number(len(codes))} structures)")
        z.append(row)
    return what, names, z


def _band_order(name: str) -> tuple:
    """Size bands by their first number (« 5 à 9 » before « 10 à 49 »), other names alphabetically."""
    first = name.split(" ")[0]
    return (0, int(first), "") if first.isdigit() else (1, 0, name)


def _heatmap(
    report: Report,
    by_code: dict,
    engagements: list[int],
    titles: dict,
    links: dict,
    privacy: Confidentiality,
    stem: str,
) -> None:
    report.heading("Taux par structure et par engagement")
    large = len(by_code) > LARGE
    report.text(
        "Structures classées par taux d'atteinte global, du plus faible au plus élevé."
        + (
            f" Le réseau compte {fmt.number(len(by_code))} structures : la carte montre les {HEATMAP_ROWS} plus "
            "faibles, puis une ligne par typologie ; le tableau les donne toutes."
            if large
            else ""
        ),
        "note",
    )
    names, z, rows, data, few = [], [], [], [], 0
    for code, items in _weakest_first(by_code):
        rates = {r["engagement"]: r["rate"] for r in items if r["level"] == "engagement"}
        overall = next(r["rate"] for r in items if r["level"] == "global")
        names.append(_structure_label(code, items[0]["nom_structure"]))
        z.append([rates.get(e) for e in engagements])
        applicable, asked, missing = totals(items)
        few += thin(applicable, asked)
        rows.append(
            [code_cell(code, links), items[0]["nom_structure"], fmt.rate(overall)]
            + [fmt.rate(rates.get(e)) for e in engagements]
            + [coverage(applicable, asked, missing)]
        )
        data.append(
            [code, items[0]["nom_structure"], items[0]["typologie"], _number(overall)]
            + [_number(rates.get(e)) for e in engagements]
            + [applicable, asked, missing]
        )
    legend = "; ".join(f"E{e} : {titles[e]}" for e in engagements)
    flag = (
        (
            f'<p class="masked">{few} structure(s) : {THIN} (moins de la moitié des questions posées) ; '
            f"leur taux repose sur peu de réponses (colonne « Questions applicables »).</p>"
        )
        if few
        else ""
    )
    columns = (
        ["Code", "Structure", "Typologie", "Taux global"]
        + [f"E{e}" for e in engagements]
        + ["Questions applicables", "Questions posées", "Réponses vides"]
    )
    report.files[f"{stem}-structures.csv"] = rows_csv(columns, data)
    report.files[f"{stem}-structures.xlsx"] = rows_xlsx(columns, data)
    downloads = [("CSV", f"{stem}-structures.csv"), ("XLSX", f"{stem}-structures.xlsx")]
    full = paged_table(
        "structures-engagements",
        ["Code", "Structure", "Global"]
        + [f"E{e}" for e in engagements]
        + ["Questions applicables (sur posées, vides)"],
        rows,
        caption="Taux par structure et par engagement",
        numeric=range(2, 3 + len(engagements)),
        nowrap=[0],
        downloads=downloads,
        what="les structures",
        store=report.table_data,
    )
    _heatmaps(
        report,
        names,
        z,
        "Taux par structure et engagement",
        full + f'<p class="note">{esc(legend)}</p>' + flag,
        engagements=engagements,
        limit=HEATMAP_ROWS if large else HEATMAP_MAX,
    )
    if large:
        what, names, z = _group_rows(by_code, [f"E{e}" for e in engagements], "engagement", privacy)
        report.chart(
            charts.heatmap(names, list(engagements), z, f"Taux moyen par {what} et par engagement"),
            _group_table(what, names, [f"E{e}" for e in engagements], z)
            + f'<p class="note">Moyenne des structures de chaque {esc(what)} ; case vide : moins de '
            f"{privacy.min_group_size} structures.</p>",
        )


def _group_table(what: str, names: list[str], columns: list[str], z: list[list]) -> str:
    """The rates a per-group heatmap draws (« -- » where a group is too small)."""
    return table(
        [what.capitalize()] + columns,
        [[name] + [fmt.rate(v) for v in values] for name, values in zip(names, z)],
        numeric=range(1, 1 + len(columns)),
    )


def _number(value) -> float | None:
    """A rate for a spreadsheet: rounded as the pages print it."""
    return None if value is None else float(fmt.round_half_up(value))


def _heatmaps(
    report: Report,
    names: list[str],
    z: list[list],
    title: str,
    table_html: str,
    engagements: list[int] = (),
    columns: list[str] | None = None,
    limit: int | None = None,
) -> None:
    """A structures × units heatmap in parts of HEATMAP_ROWS rows, so that each part prints on one
    page at a readable size (one chart of 40 structures printed at half size); the table that
    lists every structure comes after the last part; each earlier part carries the table of its
    own rows (folded), so that no part is a chart alone."""
    drawn = min(len(names), HEATMAP_MAX if limit is None else limit)
    starts = list(range(0, drawn, HEATMAP_ROWS))
    for start in starts:
        end = min(start + HEATMAP_ROWS, drawn)
        part = (
            title
            if len(names) <= HEATMAP_ROWS
            else f"{title} (structures {start + 1} à {end} sur {fmt.number(len(names))})"
        )
        note = ""
        if start == starts[-1] and drawn < len(names):
            note = (
                f'<p class="note">La carte montre les {drawn} structures les plus faibles ; le tableau donne les '
                f"{fmt.number(len(names))} structures.</p>"
            )
        report.chart(
            charts.heatmap(names[start:end], list(engagements), z[start:end], part, columns=columns),
            note + table_html
            if start == starts[-1]
            else _part_table(names[start:end], z[start:end], columns or [f"E{e}" for e in engagements]),
        )


def _part_table(names: list[str], z: list[list], columns: list[str]) -> str:
    """The rows one part of a split heatmap draws (the full table follows the last part)."""
    rows = [[name] + [fmt.rate(v) for v in values] for name, values in zip(names, z)]
    return (
        "<details><summary>Données de cette partie</summary>"
        + table(["Structure"] + columns, rows, numeric=range(1, 1 + len(columns)))
        + "</details>"
    )


NATIONAL_MEAN = "Moyenne nationale"


def national_gap(mine: float | None, nat: float | None) -> str:
    """The network's mean minus the national one, « masqué » when either is."""
    return charts.signed(mine - nat) if mine is not None and nat is not None else MASKED


def gap_key(network: str, unit: str) -> str:
    return references.key("ecart", network, unit)


def bars_key(network: str, unit: str, name: str) -> str:
    return references.key("barres", network, unit, name)


def _against_national(
    report: Report,
    network: str,
    engagements: list[int],
    titles: dict,
    own: dict,
    national: dict,
    privacy: Confidentiality,
    shared: bool = False,
) -> None:
    """``shared``: the national figures (and the gaps) read from the campaign's data file."""
    report.heading("Chaque engagement face au niveau national")
    network_means = [privacy.masked_stat(own.get(f"E{e}"), "mean") for e in engagements]
    national_means = (
        [None] * len(engagements)
        if shared
        else [privacy.masked_stat(national.get(f"E{e}"), "mean") for e in engagements]
    )
    rows = []
    for e, mine, nat in zip(engagements, network_means, national_means):
        rows.append(
            [
                f"E{e}",
                titles[e],
                privacy.shown(own.get(f"E{e}"), "mean"),
                privacy.shown(own.get(f"E{e}"), "median"),
                references.cell(national_cell(f"E{e}", "mean"))
                if shared
                else privacy.shown(national.get(f"E{e}"), "mean"),
                references.cell(gap_key(network, f"E{e}")) if shared else national_gap(mine, nat),
                coverage_share(own.get(f"E{e}"))
                if privacy.masked_stat(own.get(f"E{e}"), "mean") is not None
                else MASKED,
                privacy.shown(own.get(f"E{e}"), "mean_na_zero"),
            ]
        )
    columns = [
        "Engagement",
        "Intitulé",
        "Moyenne du réseau (règle officielle)",
        "Médiane du réseau",
        "Moyenne nationale",
        "Écart",
        "Questions applicables (réseau)",
        "Moyenne du réseau, N/A compté 0 (pour information)",
    ]
    if all(v is None for v in network_means):
        report.html(masked_note(privacy))
        report.html(table(columns, rows, numeric=[2, 3, 4, 5, 7]))
        return
    spec = charts.engagement_bars(
        engagements,
        network_means,
        "Taux moyen du réseau et moyenne nationale par engagement",
        name="Réseau (moyenne)",
        reference=national_means,
        reference_name=NATIONAL_MEAN,
    )
    note = f'<p class="note">{esc(NA_ZERO_NOTE)}</p>'
    if shared:
        units = [f"E{e}" for e in engagements]
        references.substitute(spec, charts.BARS_REFERENCE, lambda name, i: bars_key(network, units[i], name))
        report.chart(
            spec, f'<div id="national-chiffres">{table(columns, rows, numeric=[2, 3, 4, 5, 7])}</div>{note}'
        )
        report.html(references.masked_note_slot(masked_note(privacy), "national-chiffres"))
        return
    report.chart(spec, table(columns, rows, numeric=[2, 3, 4, 5, 7]) + note)
    if any(MASKED in row for row in rows):
        report.html(masked_note(privacy))


def _weakest_themes(report: Report, scores: list, own: dict, privacy: Confidentiality) -> list:
    """Shows the network's weakest themes; returns them as (mean, unit, first score row, summary row)."""
    report.heading("Thèmes les plus faibles du réseau")
    themes = {}
    for r in scores:
        if r["level"] == "theme":
            themes.setdefault(r["unit"], r)
    n_structures = len({r["code_structure"] for r in scores})
    units = weakest_units([own[u] for u in themes if u in own], len(themes), privacy)
    ranked = [(own[u]["mean"], u, themes[u], own[u]) for u in units]
    hidden = len(themes) - len(ranked)
    if not ranked:
        report.html(masked_note(privacy))
        return []
    weakest = ranked[:WEAKEST]
    spec = charts.theme_bars(
        [f"{theme_code(u)} {f['title']}" for _, u, f, _ in weakest],
        [f["engagement"] for _, _, f, _ in weakest],
        [m for m, _, _, _ in weakest],
        f"Les {len(weakest)} thèmes au taux moyen le plus bas",
    )
    rows = [
        [
            theme_code(unit),
            first["title"],
            fmt.rate(mean),
            fmt.rate(s["pct_below_50"]) if s["pct_below_50"] is not None else "--",
            f"{fmt.number(s['n_rated'])} sur {fmt.number(n_structures)}",
        ]
        for mean, unit, first, s in weakest
    ]
    report.chart(
        spec,
        table(
            ["Thème", "Intitulé", "Taux moyen", "Structures sous 50 %", "Structures où le thème s'applique"],
            rows,
            numeric=[2, 3, 4],
            nowrap=[0],
            sortable=True,
        ),
    )
    if hidden:
        report.text(
            f"{hidden} thème(s) non classé(s) : appliqué(s) dans moins de {privacy.min_group_size} structures.",
            "masked",
        )
    return weakest


def _structures_by_theme(
    report: Report, by_code: dict, weakest: list, links: dict, privacy: Confidentiality
) -> None:
    """Which structures are weakest on the network's weakest themes (its own structures only)."""
    report.heading("Structures et thèmes les plus faibles")
    if not weakest:
        report.text("Aucun thème classé : pas de vue par structure.", "empty")
        return
    units = [unit for _, unit, _, _ in weakest][:HEATMAP_THEMES]
    titles = {unit: first["title"] for _, unit, first, _ in weakest}
    theme_rates = {
        code: {r["unit"]: r["rate"] for r in items if r["level"] == "theme"}
        for code, items in by_code.items()
    }
    ordered = _weakest_first(by_code)
    large = len(by_code) > LARGE

    report.text(
        f"Pour chacun des {min(CROSS_THEMES, len(units))} thèmes les plus faibles du réseau, les structures "
        "dont le taux est inférieur à 50 %, de la plus faible à la moins faible"
        + (f" (les {NAMED} plus faibles nommées, toutes dans le tableau plus bas)." if large else "."),
        "note",
    )
    rows = []
    for mean, unit, first, _ in weakest[:CROSS_THEMES]:
        below = sorted(
            (theme_rates[code].get(unit), code)
            for code in by_code
            if theme_rates[code].get(unit) is not None and theme_rates[code][unit] < 50
        )
        rows.append(
            [
                theme_code(unit),
                first["title"],
                fmt.rate(mean),
                fmt.number(len(below)),
                _which(below, units.index(unit) + 2, theme_code(unit), links),
            ]
        )
    report.html(
        table(
            ["Thème", "Intitulé", "Taux moyen du réseau", "Structures sous 50 %", "Lesquelles (taux)"],
            rows,
            numeric=[2, 3],
            nowrap=[0],
        )
    )

    data_rows = [
        [code_cell(code, links), items[0]["nom_structure"]]
        + [fmt.rate(theme_rates[code].get(u)) for u in units]
        for code, items in ordered
    ]
    legend = "; ".join(f"{theme_code(unit)} : {titles[unit]}" for unit in units)
    full = (
        paged_table(
            "structures-themes",
            ["Code", "Structure"] + [theme_code(u) for u in units],
            data_rows,
            caption="Taux par structure, thèmes les plus faibles",
            numeric=range(2, 2 + len(units)),
            nowrap=[0],
            what="les structures",
            store=report.table_data,
        )
        + f'<p class="note">{esc(legend)} ; « --% » : thème sans question applicable.</p>'
    )
    if not large:
        names = [_structure_label(code, items[0]["nom_structure"]) for code, items in ordered]
        z = [[theme_rates[code].get(unit) for unit in units] for code, _ in ordered]
        _heatmaps(
            report,
            names,
            z,
            "Taux par structure, thèmes les plus faibles",
            full,
            columns=[theme_code(unit) for unit in units],
        )
        return
    # Many structures share a rate of 0 on a weak theme: one row per group says more.
    what, names, z = _group_rows(by_code, units, "theme", privacy)
    report.chart(
        charts.heatmap(
            names,
            [],
            z,
            f"Taux moyen par {what}, thèmes les plus faibles",
            columns=[theme_code(unit) for unit in units],
        ),
        _group_table(what, names, [theme_code(unit) for unit in units], z)
        + f'<p class="note">Moyenne des structures de chaque {esc(what)} ; case vide : moins de '
        f"{privacy.min_group_size} structures où le thème s'applique.</p>" + full,
    )


def _which(below: list, column: int, name: str, links: dict) -> object:
    """The structures under 50 % on a theme: all of them when few, else the weakest named, the
    rest counted, and a link showing them all in the table (filtered on that column)."""
    if not below:
        return "aucune"
    named = ", ".join(f"{code} ({fmt.rate(rate)})" for rate, code in below[:NAMED])
    if len(below) <= NAMED:
        return named
    rest = len(below) - NAMED
    return Html(
        f"{esc(named)} et {esc(fmt.number(rest))} autre(s) : "
        f'<a href="#structures-themes" data-filter-column="{column}" data-filter-below="50" '
        f'data-filter-label="{esc(name)} sous 50 %">les {esc(fmt.number(len(below)))} dans le tableau</a>'
    )


def _changes(
    report: Report,
    by_code: dict,
    prev_by_code: dict,
    engagements: list[int],
    own: dict,
    prev_own: dict,
    both: dict,
    campaign: int,
    prev: int | None,
    privacy: Confidentiality,
    links: dict,
) -> None:
    report.heading("Évolution depuis la campagne précédente")
    if prev is None or not prev_by_code:
        report.text("Pas de campagne précédente pour ce réseau : pas de comparaison possible.", "empty")
        return
    n = panel_size(both)
    report.text(
        f"Évolution calculée {same_structures(n, [prev, campaign])} : les mêmes structures les deux "
        f"années. Les moyennes de tous les répondants ({fmt.number(len(prev_by_code))} structures en {prev}, "
        f"{fmt.number(len(by_code))} en {campaign}) sont des niveaux, pas une évolution.",
        "note",
    )
    old_version, new_version = _version(prev_by_code), _version(by_code)
    units = [("global", "global", "Global")] + [("engagement", f"E{e}", f"E{e}") for e in engagements]
    rows, current, before = [], [], []
    for level, unit, name in units:
        found = versions.source(old_version, new_version, level, unit)
        then_row = both.get((prev, found.unit)) if found.comparable else None
        now = privacy.masked_stat(both.get((campaign, unit)), "mean")
        then = privacy.masked_stat(then_row, "mean")
        if found.comparable:
            change = charts.signed(now - then) if now is not None and then is not None else MASKED
        else:
            change = "non comparable"
        rows.append(
            [
                name,
                privacy.shown(then_row, "mean", absent="--"),
                privacy.shown(both.get((campaign, unit)), "mean"),
                change,
                fmt.number((both.get((campaign, unit)) or {}).get("n_rated") or 0),
                privacy.shown(prev_own.get(found.unit), "mean", absent="--") if found.comparable else "--",
                privacy.shown(own.get(unit), "mean", absent="--"),
                versions.link_text(found, old_version, new_version),
            ]
        )
        if level == "engagement":
            current.append(now)
            before.append(then)
    columns = [
        "Engagement",
        f"Moyenne {prev}",
        f"Moyenne {campaign}",
        "Évolution",
        "Structures comparées",
        f"Niveau {prev}, tous répondants",
        f"Niveau {campaign}, tous répondants",
        "Comparabilité",
    ]
    data = table(
        columns,
        rows,
        numeric=[1, 2, 3, 4, 5, 6],
        caption=f"Mêmes structures : {same_structures(n, [prev, campaign])}",
    )
    if any(v is not None for v in current) and any(v is not None for v in before):
        spec = charts.compare_bars(
            engagements,
            current,
            before,
            f"Taux moyen par engagement, mêmes structures ({fmt.number(n)}) : {prev} et {campaign}",
            current_name=str(campaign),
            previous_name=str(prev),
        )
        report.chart(spec, data)
    else:
        report.html(data)
    if any(MASKED in row for row in rows):
        report.html(masked_note(privacy))

    report.heading("Évolution du taux global par structure", 3)
    glob = versions.source(old_version, new_version, "global", "global")
    if not glob.comparable:
        report.text(
            f"Taux global non comparable entre le questionnaire {old_version} et le questionnaire "
            f"{new_version} ({glob.reason}) : voir les engagements ci-dessus.",
            "empty",
        )
        return
    items = []
    for code in sorted(set(by_code) & set(prev_by_code)):
        now = next(r["rate"] for r in by_code[code] if r["level"] == "global")
        then = next((r["rate"] for r in prev_by_code[code] if r["level"] == "global"), None)
        if now is None or then is None:
            continue
        items.append((now - then, code, by_code[code][0]["nom_structure"], then, now))
    if not items:
        report.text(f"Aucune structure du réseau n'a répondu en {prev} et en {campaign}.", "empty")
        return
    items.sort(key=lambda item: (-item[0], item[1]))
    full = paged_table(
        "structures-evolution",
        ["Code", "Structure", f"Taux {prev}", f"Taux {campaign}", "Évolution"],
        [[code_cell(c, links), n, fmt.rate(t), fmt.rate(w), charts.signed(d)] for d, c, n, t, w in items],
        caption=f"Évolution du taux global entre {prev} et {campaign}, par structure",
        numeric=[2, 3, 4],
        nowrap=[0],
        what="les structures",
        store=report.table_data,
    )
    if len(items) <= LARGE:
        spec = charts.delta_bars(
            [_structure_label(c, n) for _, c, n, _, _ in items],
            [d for d, *_ in items],
            f"Évolution du taux global entre {prev} et {campaign}, par structure",
        )
        report.chart(spec, full)
        return
    # One bar per structure would be metres tall: the distribution, then the largest moves named.
    labels, counts = _change_bins([d for d, *_ in items])
    report.chart(
        charts.histogram(
            labels,
            counts,
            f"Structures par évolution du taux global entre {prev} et {campaign}",
            axis="Évolution du taux global (points)",
        ),
        table(
            ["Évolution (points)", "Structures"],
            [[b, fmt.number(n)] for b, n in zip(labels, counts)],
            numeric=[1],
        ),
    )
    ends = items[:NAMED] + items[-NAMED:]
    spec = charts.delta_bars(
        [_structure_label(c, n) for _, c, n, _, _ in ends],
        [d for d, *_ in ends],
        f"Les {NAMED} plus fortes hausses et les {NAMED} plus fortes baisses, sur "
        f"{fmt.number(len(items))} structures",
    )
    report.chart(spec, full)


CHANGE_STEP = 5  # points per bar of the distribution of changes


def _change_bins(deltas: list[float]) -> tuple[list[str], list[int]]:
    """Bars of CHANGE_STEP points from the largest drop to the largest rise (a bar [a, b[)."""
    low = int(min(deltas) // CHANGE_STEP) * CHANGE_STEP
    high = int(max(deltas) // CHANGE_STEP) * CHANGE_STEP
    labels, counts = [], []
    for start in range(low, high + 1, CHANGE_STEP):
        labels.append(f"{_points(start)} à {_points(start + CHANGE_STEP)}")
        counts.append(sum(1 for d in deltas if start <= d < start + CHANGE_STEP))
    return labels, counts


def _points(value: int) -> str:
    return ("+" if value > 0 else "") + fmt.number(value)


def _plans(report: Report, db: Autodiag, campaign: int, by_code: dict, links: dict) -> None:
    """The network's structures that sent a plan at an earlier campaign, and what became of its actions."""
    report.heading("Suivi des plans d'action")
    follow = plan_rule.FollowUp(db.con, campaign)
    followed = {code: follow(code) for code in follow.codes() if code in by_code}
    if not followed:
        report.text(
            f"Aucune structure du réseau n'a envoyé de plan d'action pour une campagne antérieure à {campaign} "
            "(autodiag ingest-plan).",
            "empty",
        )
        return
    every = [a for actions in followed.values() for a in actions]
    total = plan_rule.counts(every)
    report.text(
        f"{fmt.number(len(followed))} structure(s) sur {fmt.number(len(by_code))} ont envoyé un plan, suivi "
        f"en {campaign} : {fmt.number(len(every))} action(s) — "
        + " ; ".join(f"{fmt.number(n)} {plan_rule.OUTCOMES[k]}" for k, n in total.items())
        + "."
    )
    rows = []
    for code, actions in sorted(followed.items()):
        counted = plan_rule.counts(actions)
        rows.append(
            [
                code_cell(code, links),
                by_code[code][0]["nom_structure"],
                str(actions[0].plan_campaign),
                fmt.number(len(actions)),
            ]
            + [fmt.number(counted[k]) for k in plan_rule.OUTCOMES]
        )
    rows.append(
        ["Total", "", "", fmt.number(len(every))] + [fmt.number(total[k]) for k in plan_rule.OUTCOMES]
    )
    report.html(
        table(
            [
                "Code",
                "Structure",
                "Plan de",
                "Actions",
                *(v.capitalize() for v in plan_rule.OUTCOMES.values()),
            ],
            rows,
            numeric=range(3, 8),
            total_rows=[len(rows) - 1],
            nowrap=[0],
        )
    )


def _theme_label(unit: str, title: str) -> str:
    """The full label (charts wrap it over lines, never cut it)."""
    return f"{theme_code(unit)} {title}"


def _version(by_code: dict) -> str:
    """The questionnaire version of a campaign's score records (one per campaign)."""
    return next(rows[0]["version"] for rows in by_code.values())


def _theme_changes(
    report: Report,
    scores: list,
    both: dict,
    campaign: int,
    prev: int | None,
    privacy: Confidentiality,
    prev_version: str | None = None,
) -> None:
    """The network's mean per theme on the same structures, previous campaign against this one
    (masked aggregates excluded)."""
    if prev is None or not both:
        return
    report.heading("Évolution par thème", 3)
    n = panel_size(both)
    report.text(
        f"Mêmes structures : {same_structures(n, [prev, campaign])} (pour chaque thème, celles où il "
        f"s'applique les deux années).",
        "note",
    )
    themes = {}
    for r in scores:
        if r["level"] == "theme":
            themes.setdefault(r["unit"], r)
    items = []
    for unit, first in themes.items():
        found = versions.source(prev_version or first["version"], first["version"], "theme", unit)
        now = privacy.masked_stat(both.get((campaign, unit)), "mean")
        then = privacy.masked_stat(both.get((prev, found.unit)), "mean") if found.comparable else None
        if now is not None and then is not None:  # both aggregates over enough structures
            items.append((now - then, unit, first["title"], then, now, both[(campaign, unit)]["n_rated"]))
    hidden = len(themes) - len(items)
    if not items:
        report.text(
            f"Aucun thème comparable : chaque thème s'applique dans moins de {privacy.min_group_size} structures "
            f"présentes en {prev} et en {campaign}, ou n'a pas de correspondant.",
            "masked",
        )
        return
    items.sort(key=lambda item: (item[0], item[1]))
    spec = charts.delta_bars(
        [_theme_label(u, t) for _, u, t, _, _, _ in items],
        [d for d, *_ in items],
        f"Évolution du taux moyen par thème entre {prev} et {campaign}, mêmes structures (baisses en tête)",
    )
    rows = [
        [theme_code(u), t, fmt.rate(then), fmt.rate(now), charts.signed(d), fmt.number(k)]
        for d, u, t, then, now, k in items
    ]
    report.chart(
        spec,
        table(
            [
                "Thème",
                "Intitulé",
                f"Moyenne {prev}",
                f"Moyenne {campaign}",
                "Évolution",
                "Structures comparées",
            ],
            rows,
            numeric=[2, 3, 4, 5],
            nowrap=[0],
        ),
    )
    if hidden:
        report.text(
            f"{hidden} thème(s) non comparé(s) : appliqué(s) dans moins de {privacy.min_group_size} structures "
            f"présentes en {prev} et en {campaign}, ou sans correspondant dans le questionnaire précédent.",
            "masked",
        )


VERBATIM_FIELDS = {"points_forts": "Points forts", "besoin_appui": "Besoins d'appui"}


def _verbatims(report: Report, texts: list, engagements: list[int], titles: dict) -> None:
    """Both « Points forts » and « Besoins d'appui », per engagement, each engagement with its
    search box (filters as one types, offline: page script over text nodes)."""
    report.heading("Points forts et besoins d'appui exprimés, par engagement")
    kept = [t for t in texts if t["field"] in VERBATIM_FIELDS]
    trivial = sum(1 for t in kept if is_trivial(t["text"]))
    if trivial:
        report.text(f"{trivial} réponse(s) sans contenu (« RAS », « néant »…) ne sont pas reprises.", "note")
    by_engagement = group_by([t for t in kept if not is_trivial(t["text"])], "engagement")
    for e in engagements:
        items = by_engagement.get(e, [])
        if len(items) > PAGED_FROM:  # a long list: folded, each field a paged table
            stored = len(report.lazy_data) if report.lazy_data is not None else 0
            parts = []
            for field, name in VERBATIM_FIELDS.items():
                chosen = [t for t in items if t["field"] == field]
                parts.append(
                    f"<h4>{esc(name)} ({esc(fmt.number(len(chosen)))})</h4>"
                    + paged_table(
                        f"verbatims-e{e}-{field.replace('_', '-')}",
                        ["Code", "Structure", name],
                        [[t["code_structure"], t["nom_structure"], t["text"]] for t in chosen],
                        caption=f"{name}, engagement {e}",
                        nowrap=[0],
                        what=f"les {name.lower()} de l'engagement {e}",
                        store=report.lazy_data,
                    )
                )
            # Only when this section stored rows beside the page (a field of up to PAGED_FROM
            # quotes is a plain table, inside the page).
            grew = report.lazy_data is not None and len(report.lazy_data) > stored
            src = f' data-src="{esc(report.lazy_src)}"' if grew else ""
            report.html(
                f"<details{src}><summary><h3>Engagement {esc(e)} : {esc(titles[e])} "
                f"({esc(fmt.number(len(items)))} réponses)</h3></summary>{''.join(parts)}</details>"
            )
            continue
        report.heading(f"Engagement {e} : {titles[e]}", 3)
        parts = []
        for field, name in VERBATIM_FIELDS.items():
            chosen = [t for t in items if t["field"] == field]
            parts.append(
                f"<h4>{esc(name)} ({len(chosen)})</h4>"
                + quotes(
                    [t["text"] for t in chosen],
                    [f"{t['code_structure']} — {t['nom_structure']}" for t in chosen],
                )
            )
        report.html(searchable("".join(parts), f"les verbatims de l'engagement {e}"))


def _quality(report: Report, quality: list, privacy: Confidentiality) -> None:
    report.heading("Qualité des données : réponses « non applicable » et non renseignées")
    if not quality:
        report.text("Aucune réponse.", "empty")
        return
    n = max(r["n_submissions"] for r in quality)
    if not privacy.enough(n):
        report.html(masked_note(privacy))
        return
    total_na = sum(r["n_not_applicable"] for r in quality)
    total_missing = sum(r["n_missing"] for r in quality)
    total = sum(r["n_submissions"] for r in quality)
    report.text(
        f"Sur {fmt.number(total)} réponses attendues : {fmt.number(total_na)} « non applicable » "
        f"({fmt.rate(100 * total_na / total)}) et {fmt.number(total_missing)} non renseignées "
        f"({fmt.rate(100 * total_missing / total)})."
    )
    rows = [
        [
            r["question_id"],
            r["question"] or "",
            fmt.number(r["n_submissions"]),
            fmt.number(r["n_answered"]),
            fmt.number(r["n_not_applicable"]),
            fmt.number(r["n_missing"]),
            fmt.rate(100 * (r["n_not_applicable"] + r["n_missing"]) / r["n_submissions"]),
        ]
        for r in quality
    ]
    report.html(
        "<details><summary>Détail par question</summary>"
        + table(
            [
                "Question",
                "Intitulé",
                "Structures",
                "Répondues",
                "Non applicable",
                "Non renseignées",
                "Part exclue",
            ],
            rows,
            numeric=[2, 3, 4, 5, 6],
        )
        + "</details>"
    )
