"""« Qualité des réponses » in the network report: which of the network's structures have answers
that deserve a second look (autodiag.analysis.quality: straight-lining, implausible jumps, unusual shares
of « non applicable » or empty answers, contradictions).

Confidentiality: the flags are read for this network only; a share's threshold may come from
the whole campaign (a national aggregate) when the network is small.
"""

from __future__ import annotations

from autodiag import formatting as fmt
from autodiag.analysis.frames import records
from autodiag.analysis.quality import KINDS, READER_RULES, threshold_text, value_text
from autodiag.reports import charts
from autodiag.reports.tables import code_cell, esc, paged_table, table

OPEN_ROWS = 20  # a longer list of flags is folded (<details>) under its count


def section(report, db, campaign: int, network: str, links: dict) -> None:
    report.heading("Qualité des réponses : structures à revoir", 3)
    flags = records(db.answer_flags(campaign=campaign, network=network))
    report.text(
        "Des avertissements, pas des erreurs : une réponse signalée peut être exacte, mais mérite d'être "
        "vérifiée avec la structure. Les paires de questions contradictoires sont une lecture du "
        "questionnaire par autodiag, pas une règle officielle.",
        "note",
    )
    by_kind = {kind: [f for f in flags if f["flag"] == kind] for kind in KINDS}
    rows = [
        [
            KINDS[kind],
            fmt.number(len(items)),
            fmt.number(len({f["code_structure"] for f in items})),
            READER_RULES[kind],
        ]
        for kind, items in by_kind.items()
    ]
    summary = table(["Signalement", "Réponses à revoir", "Structures", "Règle"], rows, numeric=[1, 2])
    if not flags:
        report.html(summary)
        report.text("Aucune réponse à revoir selon ces règles.", "empty")
        return
    n_structures = len({f["code_structure"] for f in flags})
    report.chart(
        chart(by_kind, f"Réponses à revoir par signalement ({fmt.number(n_structures)} structure(s))"),
        summary,
    )
    detail = paged_table(
        "reponses-a-revoir",
        ["Code", "Structure", "Signalement", "Engagement", "Valeur", "Seuil", "Détail"],
        [
            [
                code_cell(f["code_structure"], links),
                f["nom_structure"],
                KINDS[f["flag"]],
                f"E{f['engagement']}" if f["engagement"] is not None else "--",
                value_text(f["flag"], f["value"]),
                threshold_text(f["flag"], f["threshold"]),
                f["detail"],
            ]
            for f in flags
        ],
        caption="Réponses à revoir",
        numeric=[4, 5],
        nowrap=[0],
        what="les réponses à revoir",
        store=report.table_data,
    )
    if len(flags) > OPEN_ROWS:
        detail = f"<details><summary>Les {esc(fmt.number(len(flags)))} réponses à revoir</summary>{detail}</details>"
    report.html(detail)


def chart(by_kind: dict, title: str) -> dict:
    """One horizontal bar per kind of flag (every kind, zeros included), its count as text."""
    names = [charts.wrapped(KINDS[kind], 30) for kind in by_kind]
    counts = [len(items) for items in by_kind.values()]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": names,
            "x": counts,
            "marker": {"color": charts.OKABE_ITO[4]},
            "text": [fmt.number(c) for c in counts],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y} : %{x}<extra></extra>",
        }
    ]
    layout = charts.layout(
        title,
        330,
        showlegend=False,
        margin={"l": 230, "r": 50, "t": 50, "b": 50},
        xaxis={"title": {"text": "Réponses à revoir"}, "rangemode": "tozero", "gridcolor": "#E5E5E5"},
        yaxis={"autorange": "reversed"},
    )
    return {"data": data, "layout": layout}
