"""Trends: engagement and theme rates per campaign, for one network or nationally.

Two series: every respondent of each campaign (a level: the population changes), and the same
structures in every campaign shown (a balanced panel: what a change is read on). Each point
says how many structures it stands on. Across a questionnaire version change a point is joined
to the previous one only through a crosswalk link (`identique` or `proche`), drawn dotted; a
dashed line marks the change.
"""

from __future__ import annotations

from autodiag import formatting as fmt
from autodiag.analysis import versions
from autodiag.analysis.frames import coverage_share, panel, panel_size, records, same_structures
from autodiag.analysis.privacy import DEFAULT_MIN_GROUP_SIZE, MASKED, Confidentiality
from autodiag.api import Autodiag
from autodiag.labels import theme_code
from autodiag.reports import change_charts
from autodiag.reports.masking import masked_note
from autodiag.reports.page import Report
from autodiag.reports.tables import table

LINE_NOTE = (
    "Chaque point indique entre parenthèses le nombre de structures sur lequel il repose. Trait plein : "
    "même questionnaire ; pointillé : changement de questionnaire, engagement relié par la table de "
    "correspondance (lien « identique » ou « proche ») ; pas de trait : aucune correspondance, les "
    "taux ne se comparent pas. La ligne verticale tiretée marque le changement de questionnaire."
)


def build(db: Autodiag, network: str | None = None, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> Report:
    privacy = Confidentiality(min_group_size)
    summary = [r for r in records(db.network_summary()) if r["reseau"] == network]  # None = national rows
    if not summary:
        raise LookupError(f"aucune donnée pour le réseau « {network} »" if network else "base vide")
    name = network or "national"
    scope = f"réseau « {network} »" if network else "niveau national (tous réseaux)"
    campaigns = sorted({r["campagne"] for r in summary})
    version_of = campaign_versions(db, network)
    latest = version_of[campaigns[-1]]
    cell = {(r["campagne"], r["unit"]): r for r in summary}
    same = panel(db, campaigns, network)
    n_panel = panel_size(same)
    titles, theme_titles = version_titles(db, latest)
    engagements = sorted(titles)

    report = Report(
        title=f"Évolution des taux d'atteinte — {name}",
        subtitle=f"Services Publics + — {scope} — campagnes {', '.join(map(str, campaigns))}",
    )
    report.heading("Participation et taux global")
    report.text(
        f"Deux séries : tous les répondants de chaque campagne (un niveau : ce ne sont pas les mêmes "
        f"structures d'une année à l'autre), et les mêmes structures à chaque campagne "
        f"({same_structures(n_panel, campaigns)}), sur lesquelles se lit une évolution.",
        "note",
    )
    rows = []
    for c in campaigns:
        g, p = cell.get((c, "global")), same.get((c, "global"))
        rows.append(
            [
                str(c),
                version_of[c],
                fmt.number(g["n_structures"]) if g else "0",
                privacy.shown(g, "mean", absent="--"),
                privacy.shown(p, "mean", absent="--") if len(campaigns) > 1 else "--",
                coverage_share(g) if privacy.masked_stat(g, "mean") is not None else MASKED,
            ]
        )
    report.html(
        table(
            [
                "Campagne",
                "Questionnaire",
                "Structures",
                "Taux global moyen, tous répondants",
                f"Taux global moyen, mêmes structures ({fmt.number(n_panel)})",
                "Questions applicables, tous répondants",
            ],
            rows,
            numeric=[2, 3, 4],
        )
    )
    if len(set(version_of.values())) > 1:
        report.text(
            "Le taux global est la moyenne des engagements du questionnaire de la campagne (9 puis 8 "
            "engagements) : il ne se compare pas d'un questionnaire à l'autre.",
            "note",
        )

    breaks = version_breaks(campaigns, version_of)
    sources = engagement_sources(campaigns, version_of, latest, engagements)
    masked = False
    for label, cells in (
        ("tous les répondants", cell),
        (f"mêmes structures à chaque campagne ({fmt.number(n_panel)})", same),
    ):
        if cells is same and len(campaigns) < 2:
            continue
        report.heading(f"Taux moyen par engagement et par campagne — {label}")
        found, series, counts, joins = engagement_lines(cells, campaigns, version_of, sources, privacy)
        table_rows = []
        for e, rows_e in found.items():
            table_rows.append(
                [f"E{e}", titles[e]]
                + [_point(r, privacy) for r in rows_e]
                + [versions.comparability(campaigns, version_of, sources[e])]
            )
            masked |= any(_point(r, privacy) == MASKED for r in rows_e)
        short = "tous les répondants" if cells is cell else f"mêmes structures ({fmt.number(n_panel)})"
        spec = change_charts.lines(
            campaigns, series, counts, joins, f"Taux moyen par engagement — {short}", breaks
        )
        report.chart(
            spec,
            table(
                ["Engagement", "Intitulé"] + [str(c) for c in campaigns] + ["Comparabilité"],
                table_rows,
                numeric=range(2, 2 + len(campaigns)),
            ),
        )
    report.text(LINE_NOTE, "note")
    report.heading("Questions applicables par engagement et par campagne — tous les répondants", 3)
    report.text(
        "Part des questions posées qui étaient applicables, et réponses laissées vides : un taux qui repose "
        "sur peu de questions applicables se lit avec prudence.",
        "note",
    )
    rows = []
    for e in engagements:
        cells_e = [cell.get((c, sources[e][c].unit)) if sources[e][c].comparable else None for c in campaigns]
        rows.append(
            [f"E{e}"]
            + [
                coverage_share(r) if privacy.masked_stat(r, "mean") is not None else (MASKED if r else "--")
                for r in cells_e
            ]
        )
    report.html(table(["Engagement"] + [str(c) for c in campaigns], rows))

    report.heading("Taux moyen par thème et par campagne — tous les répondants")
    rows = []
    for unit, (e, title) in theme_titles.items():
        found = {c: versions.source(version_of[c], latest, "theme", unit) for c in campaigns}
        cells_t = [cell.get((c, found[c].unit)) if found[c].comparable else None for c in campaigns]
        rows.append(
            [theme_code(unit), title]
            + [_point(r, privacy) for r in cells_t]
            + [versions.comparability(campaigns, version_of, found)]
        )
        masked |= any(_point(r, privacy) == MASKED for r in cells_t)
    report.html(
        table(
            ["Thème", "Intitulé"] + [str(c) for c in campaigns] + ["Comparabilité"],
            rows,
            numeric=range(2, 2 + len(campaigns)),
        )
    )
    if masked or any(privacy.shown(cell.get((c, "global")), "mean") == MASKED for c in campaigns):
        report.html(masked_note(privacy))
    return report


def _point(row: dict | None, privacy: Confidentiality) -> str:
    """« 76,3 % (31) »: the mean and the structures it stands on; masked below the threshold."""
    if row is None:
        return "--"
    value = privacy.shown(row, "mean")
    return value if value == MASKED else f"{value} ({fmt.number(row['n_rated'])})"


def version_breaks(campaigns: list[int], version_of: dict) -> list[tuple[int, str]]:
    """(index of the first campaign of a new questionnaire, label) for each version change."""
    return [
        (i, f"questionnaire {version_of[campaigns[i - 1]]} → {version_of[c]}")
        for i, c in enumerate(campaigns)
        if i and version_of[c] != version_of[campaigns[i - 1]]
    ]


def engagement_sources(campaigns: list[int], version_of: dict, latest: str, engagements: list[int]) -> dict:
    """engagement -> campaign -> the unit it continues in that campaign's questionnaire (crosswalk only)."""
    return {
        e: {c: versions.source(version_of[c], latest, "engagement", f"E{e}") for c in campaigns}
        for e in engagements
    }


def engagement_lines(
    cells: dict, campaigns: list[int], version_of: dict, sources: dict, privacy: Confidentiality
) -> tuple[dict, dict, dict, dict]:
    """From summary rows keyed (campaign, unit): for each engagement, its row per campaign (None
    when not comparable), the means shown (masked below the group size), the structures each
    stands on, and how consecutive points are joined."""
    found = {
        e: [cells.get((c, src[c].unit)) if src[c].comparable else None for c in campaigns]
        for e, src in sources.items()
    }
    series = {e: [privacy.masked_stat(r, "mean") for r in rows] for e, rows in found.items()}
    counts = {e: [r["n_rated"] if r else 0 for r in rows] for e, rows in found.items()}
    joins = {
        e: [join(version_of, src, a, b) for a, b in zip(campaigns, campaigns[1:])]
        for e, src in sources.items()
    }
    return found, series, counts, joins


def join(version_of: dict, sources: dict, before: int, after: int) -> str | None:
    if version_of[before] == version_of[after]:
        return "same" if sources[before].comparable else None
    return "link" if sources[before].comparable else None


def campaign_versions(db: Autodiag, network: str | None) -> dict[int, str]:
    """campaign -> questionnaire version (several versions in one campaign are listed together)."""
    found: dict[int, list[str]] = {}
    for r in records(db.campaign_versions(network)):
        found.setdefault(r["campagne"], []).append(r["version"])
    return {c: ", ".join(v) for c, v in found.items()}


def version_titles(db: Autodiag, version: str) -> tuple[dict, dict]:
    """Engagement and theme titles of a questionnaire version, in report order:
    {engagement: title}, {theme: (engagement, title)}."""
    questions = db.referentiel(version)
    titles = {
        int(r["engagement"]): r["engagement_title"] for r in records(questions.drop_duplicates("engagement"))
    }
    themes = {
        r["theme_id"]: (int(r["engagement"]), r["theme_title"])
        for r in records(questions.drop_duplicates("theme_id"))
    }
    return titles, themes
