"""The network report's « S'inspirer de » section: on each of the network's weakest themes,
the network's structures that score well on it and have improved (rule: autodiag.analysis.inspiration),
with their « points forts » on that engagement, so an analyst knows whom to call."""

from __future__ import annotations

from autodiag import formatting as fmt
from autodiag.analysis import inspiration as rule
from autodiag.analysis import versions
from autodiag.analysis.frames import records
from autodiag.analysis.free_texts import is_trivial
from autodiag.labels import theme_code
from autodiag.paths import sql_text
from autodiag.reports import charts
from autodiag.reports.page import Report
from autodiag.reports.tables import Link, code_cell, esc, paged_table, table

ROW = 20  # px per structure in the chart
GAP = 14  # px between two themes
LINE = 14  # px per line of a wrapped theme label
LEGEND_BELOW = 50  # px under the plot: below the axis title
PER_THEME = 10  # structures drawn or named per theme; the table lists them all


def section(report: Report, db, campaign: int, scores: list, weakest: list, links: dict) -> None:
    """``scores``: the campaign's score records of the network; ``weakest``: the network report's
    weakest themes, (mean, unit, first score row, summary row), weakest first."""
    report.heading("S'inspirer de")
    chosen = weakest[: rule.THEMES]
    if not chosen:
        report.text("Aucun thème classé : pas de structure à proposer.", "empty")
        return
    network = scores[0]["reseau"]
    report.text(
        f"Pour chacun des {len(chosen)} thèmes les plus faibles du réseau, les structures du réseau dont le taux "
        f"sur le thème atteint au moins {_threshold()} (sur au moins la moitié des questions du thème "
        f"applicables) et a progressé d'au moins {fmt.number(rule.MIN_GAIN, 0)} point depuis leur campagne "
        "précédente (la plus récente avant celle-ci ; d'un questionnaire à l'autre, seulement par une "
        "correspondance « identique » ou « proche »), avec leurs points forts sur l'engagement du thème : "
        "des structures à contacter. Les structures au-dessus du seuil sans campagne antérieure comparable "
        "sont citées à part.",
        "note",
    )
    earlier = records(
        db.query(sql_text("marts/earlier_theme_scores"), {"campagne": campaign, "reseau": network})
    )
    texts = [
        t for t in records(db.free_texts(campaign=campaign, network=network)) if not is_trivial(t["text"])
    ]
    found = rule.contacts(scores, earlier, texts, [unit for _, unit, _, _ in chosen], _theme_source)

    themes = [(mean, unit, first["title"], found[unit]) for mean, unit, first, _ in chosen]
    rows = []
    for _, unit, _, contacts in themes:
        for c in contacts:
            if c.status == rule.IMPROVED:
                rows.append(
                    [
                        theme_code(unit),
                        code_cell(c.code, links),
                        c.name,
                        fmt.rate(c.rate),
                        _before(c),
                        fmt.rate(c.rate_before),
                        charts.signed(c.change),
                        c.strengths or "(aucun point fort rédigé)",
                    ]
                )
    spec = chart(themes, campaign)
    data = (
        paged_table(
            "structures-a-contacter",
            [
                "Thème",
                "Code",
                "Structure",
                f"Taux {campaign}",
                "Campagne antérieure",
                "Taux antérieur",
                "Évolution",
                "Points forts sur l'engagement du thème",
            ],
            rows,
            caption="Structures à contacter",
            numeric=[3, 5, 6],
            nowrap=[0, 1],
            what="les structures à contacter",
            store=report.table_data,
        )
        if rows
        else (
            '<p class="empty">Aucune structure à contacter sur ces thèmes.</p>'
            + table(
                ["Thème", "Intitulé", f"Moyenne du réseau {campaign}", "Structures à contacter"],
                [[theme_code(unit), title, fmt.rate(mean), "0"] for mean, unit, title, _ in themes],
                numeric=[2, 3],
            )
        )
    )
    legend = "; ".join(f"{theme_code(unit)} : {title}" for _, unit, title, _ in themes)
    report.chart(spec, data + f'<p class="note">{esc(legend)}</p>' + _sentences(themes, links))


def _theme_source(before: str, after: str, unit: str) -> versions.Source:
    return versions.source(before, after, "theme", unit)


def _code_html(code: str, links: dict) -> str:
    return Link(code, links.get(code)).html()


def _before(c: rule.Contact) -> str:
    """« 2024 », or across a questionnaire change « 2022 (questionnaire 2021, thème E4 T1 : identique) »."""
    if c.version_before == c.version:
        return str(c.campaign_before)
    return f"{c.campaign_before} (questionnaire {c.version_before}, thème {theme_code(c.unit_before)} : {c.link})"


def _sentences(themes: list, links: dict) -> str:
    """What the table cannot say, one sentence per theme: no one to call, and the structures
    above the threshold without a comparable earlier rate (each piece escaped here)."""
    parts = []
    for _, unit, title, contacts in themes:
        said = []
        if not any(c.status == rule.IMPROVED for c in contacts):
            said.append(esc(f"aucune structure du réseau n'y atteint {_threshold()} en progression"))
        unproven = [c for c in contacts if c.status == rule.NO_EARLIER]
        if unproven:
            listed = ", ".join(
                f"{_code_html(c.code, links)} ({esc(fmt.rate(c.rate))})" for c in unproven[:PER_THEME]
            )
            if len(unproven) > PER_THEME:
                listed += esc(f" et {fmt.number(len(unproven) - PER_THEME)} autre(s)")
            said.append(esc("au-dessus du seuil sans campagne antérieure comparable : ") + listed)
        if said:
            parts.append(f'<p class="note">{esc(theme_code(unit))} {esc(title)} : {" ; ".join(said)}.</p>')
    return "".join(parts)


def chart(themes: list, campaign: int) -> dict:
    """Per weak theme (a band, its full title wrapped), the network mean (a vertical segment) and each
    structure to call: a segment from its earlier rate (hollow) to this campaign's (filled),
    its code beside; the threshold as a dotted line. Positions in pixels, top to bottom."""
    ticks, texts, mean_x, mean_y = [], [], [], []
    now_x, now_y, codes, hover, then_x, then_y, seg_x, seg_y = [], [], [], [], [], [], [], []
    top, bands, empty = 0, [], []  # empty: « et n autre(s) » under a theme's drawn structures
    for mean, unit, title, contacts in themes:
        improved = [c for c in contacts if c.status == rule.IMPROVED]
        called = improved[:PER_THEME]  # the chart stays a screen tall; the table lists them all
        label = charts.wrapped(f"{theme_code(unit)} {title}", 34)
        if not improved:  # said under the title: no label in the plot
            label += "<br><i>aucune structure à contacter</i>"
        more = 1 if len(improved) > len(called) else 0  # a row for « et n autre(s) »
        height = max(ROW * (max(len(called), 1) + more), LINE * (label.count("<br>") + 1) + 6)
        centre = top + height / 2
        ticks.append(centre)
        texts.append(label)
        mean_x += [mean, mean, None]  # a vertical segment across the theme's band: on no one's row
        mean_y += [top, top + height, None]
        if top:
            bands.append(
                {
                    "type": "line",
                    "xref": "paper",
                    "yref": "y",
                    "x0": 0,
                    "x1": 1,
                    "y0": top - GAP / 2,
                    "y1": top - GAP / 2,
                    "line": {"color": "#E0E0E0", "width": 1},
                }
            )
        first = top + ROW / 2 if more else centre - ROW * (len(called) - 1) / 2
        for i, c in enumerate(called):
            y = first + i * ROW
            now_x.append(c.rate)
            now_y.append(y)
            codes.append(charts.label(c.code))
            hover.append(
                charts.label(f"{c.code} — {c.name} : {fmt.rate(c.rate_before)} → {fmt.rate(c.rate)}")
            )
            then_x.append(c.rate_before)
            then_y.append(y)
            seg_x += [c.rate_before, c.rate, None]
            seg_y += [y, y, None]
        if len(improved) > len(called):
            empty.append(
                {
                    "x": 105,
                    "y": top + height - ROW / 2,
                    "xref": "x",
                    "yref": "y",
                    "xanchor": "right",
                    "showarrow": False,
                    "font": {"size": 10, "color": charts.REFERENCE},
                    "text": f"et {fmt.number(len(improved) - len(called))} autre(s) dans le tableau",
                }
            )
        top += height + GAP
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": seg_x,
            "y": seg_y,
            "showlegend": False,
            "hoverinfo": "skip",
            "cliponaxis": False,
            "line": {"color": charts.GREY, "width": 2},
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": then_x,
            "y": then_y,
            "name": "Leur taux à la campagne antérieure",
            "cliponaxis": False,
            "marker": {"symbol": "circle-open", "size": 9, "color": charts.REFERENCE, "line": {"width": 2}},
            "text": hover,
            "hovertemplate": "%{text}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": now_x,
            "y": now_y,
            "name": f"Taux {campaign} des structures à contacter",
            "marker": {"symbol": "circle", "size": 10, "color": charts.OKABE_ITO[2]},
            "text": codes,
            "textposition": "middle right",
            "textfont": {"size": 10},
            "cliponaxis": False,
            "customdata": hover,
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": mean_x,
            "y": mean_y,
            "name": f"Moyenne du réseau {campaign} sur le thème",
            "line": {"color": charts.OKABE_ITO[5], "width": 3},
            "text": [None if m is None else fmt.rate(m) for m in mean_x],
            "hovertemplate": "Moyenne du réseau : %{text}<extra></extra>",
        },
    ]
    threshold = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": rule.HIGH,
        "x1": rule.HIGH,
        "y0": 0,
        "y1": 1,
        "line": {"color": charts.REFERENCE, "width": 1, "dash": "dot"},
    }
    note = {
        "x": rule.HIGH,
        "y": 1,
        "xref": "x",
        "yref": "paper",
        "yanchor": "bottom",
        "xanchor": "center",
        "showarrow": False,
        "text": f"seuil {_threshold()}",
        "font": {"size": 10, "color": charts.REFERENCE},
    }
    height = top + 170
    layout = charts.layout(
        f"Thèmes les plus faibles : structures à contacter ({campaign})",
        height,
        margin={"l": 250, "r": 70, "t": 60, "b": 110},
        xaxis={
            **charts.rate_axis("Taux d'atteinte sur le thème (%)"),
            "range": [-4, 105],
        },  # a 0 % marker whole, clear of the labels
        yaxis={
            "range": [top - GAP, 0],
            "tickvals": ticks,
            "ticktext": texts,
            "tickfont": {"size": 10},
            "showgrid": False,
            "zeroline": False,
        },
        shapes=bands + [threshold],
        annotations=[note] + empty,
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": -LEGEND_BELOW / max(top - GAP, 1), "yanchor": "top"},
    )
    return {"data": data, "layout": layout}


def _threshold() -> str:
    """« 75 % » (the threshold is whole: no decimal)."""
    return f"{fmt.number(rule.HIGH)} %"
