"""The funnel plot of a network report: each structure's global rate against its number of
applicable questions, with the network mean and control limits.

A rate computed on few applicable questions moves a lot by chance; the limits widen as the
number of questions falls, so a low rate on few questions is told apart from a truly low one.
Rule (said in the report and in docs/site-et-rapports.md): centre = the network's mean global rate; limits =
centre ± z · σ / √n, where σ is the standard deviation of the points (0 to 1) of every
applicable answered question of the network and n the structure's applicable questions;
z = 1,96 (95 %) and 3,09 (99,8 %); clipped to 0–100 %.
"""

from __future__ import annotations

import math

from autodiag import formatting as fmt
from autodiag.analysis.privacy import Confidentiality
from autodiag.paths import sql_text
from autodiag.reports import charts
from autodiag.reports.masking import masked_note
from autodiag.reports.tables import PAGED_FROM, Link, esc, paged_table

Z95, Z998 = 1.96, 3.09


def limits(centre: float, sd: float, n: int, z: float) -> tuple[float, float]:
    """(low, high) in % for a structure with ``n`` applicable questions."""
    half = 100 * z * sd / math.sqrt(n) if n > 0 else 100.0
    return max(0.0, centre - half), min(100.0, centre + half)


def position(rate: float, centre: float, sd: float, n: int) -> str:
    """Where a rate falls against the limits, in French."""
    low95, high95 = limits(centre, sd, n, Z95)
    low998, high998 = limits(centre, sd, n, Z998)
    if rate < low998:
        return "sous la limite à 99,8 %"
    if rate < low95:
        return "sous la limite à 95 %"
    if rate > high998:
        return "au-dessus de la limite à 99,8 %"
    if rate > high95:
        return "au-dessus de la limite à 95 %"
    return "dans les limites"


def points(by_code: dict) -> list[tuple[str, str, int, float]]:
    """(code, name, applicable questions, global rate) of each structure with a global rate."""
    out = []
    for code, items in sorted(by_code.items()):
        overall = next((r["rate"] for r in items if r["level"] == "global"), None)
        n = sum(int(r["applicable"] or 0) for r in items if r["level"] == "engagement")
        if overall is not None and n > 0:
            out.append((code, items[0]["nom_structure"], n, float(overall)))
    return out


def spread(db, campaign: int, network: str) -> dict:
    """n_points, mean_points, sd_points of the network's question points (sql/marts/question_point_spread.sql)."""
    frame = db.query(sql_text("marts/question_point_spread"), {"campagne": campaign, "reseau": network})
    return frame.iloc[0].to_dict()


def chart(items: list, centre: float, sd: float, title: str) -> dict:
    ns = [n for _, _, n, _ in items]
    lo, hi = max(1, min(ns) - 5), max(ns) + 5
    grid = list(range(lo, hi + 1))
    data = []
    for z, name, dash in ((Z998, "Limites à 99,8 %", "dot"), (Z95, "Limites à 95 %", "dash")):
        for side, show in ((0, True), (1, False)):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": grid,
                    "y": [limits(centre, sd, n, z)[side] for n in grid],
                    "name": name,
                    "legendgroup": name,
                    "showlegend": show,
                    "line": {"color": charts.REFERENCE, "width": 1.5, "dash": dash},
                    "hoverinfo": "skip",
                }
            )
    data.append(
        {
            "type": "scatter",
            "mode": "lines",
            "x": [lo, hi],
            "y": [centre, centre],
            "name": "Moyenne du réseau",
            "line": {"color": charts.REFERENCE, "width": 2},
            "hoverinfo": "skip",
        }
    )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": ns,
            "y": [r for *_, r in items],
            "name": "Structures",
            "marker": {"color": charts.OKABE_ITO[4], "size": 8, "line": {"color": "#FFFFFF", "width": 1}},
            # The code alone in a large network's hover: the name is one click away.
            "text": [
                charts.label(c if len(items) > PAGED_FROM else f"{c} — {name}") for c, name, _, _ in items
            ],
            "customdata": [fmt.rate(r) for *_, r in items],
            "hovertemplate": "%{text}<br>%{x} questions : %{customdata}<extra></extra>",
        }
    )
    layout = charts.layout(
        title,
        440,
        yaxis=charts.rate_axis("Taux d'atteinte global (%)"),
        xaxis={"title": {"text": "Questions applicables"}, "gridcolor": "#E5E5E5"},
        showlegend=True,
    )
    return {"data": data, "layout": layout}


def section(
    report, db, campaign: int, network: str, by_code: dict, links: dict, privacy: Confidentiality
) -> None:
    report.heading("Taux global et nombre de questions applicables (entonnoir)")
    items = points(by_code)
    if not privacy.enough(len(items)):
        report.html(masked_note(privacy))
        return
    stats = spread(db, campaign, network)
    centre = sum(r for *_, r in items) / len(items)
    sd = float(stats["sd_points"] or 0.0)
    report.text(
        "Chaque point est une structure. Un taux calculé sur peu de questions applicables varie davantage "
        "par hasard : les limites s'élargissent quand ce nombre diminue. Une structure sous la limite à "
        "99,8 % a un taux bas que le petit nombre de questions n'explique pas.",
        "note",
    )
    report.text(
        f"Règle : moyenne du réseau ({fmt.rate(centre)}) ± z × σ / √n, où σ ({fmt.number(sd, 3)}) est "
        f"l'écart-type des points des {fmt.number(int(stats['n_points']))} réponses applicables du réseau "
        "et n le nombre de questions applicables de la structure ; z = 1,96 (95 %) et 3,09 (99,8 %).",
        "note",
    )
    rows = []
    # A large network lists the structures outside the limits only (the others: « dans les limites »).
    large = len(items) > PAGED_FROM
    for code, name, n, rate in sorted(items, key=lambda item: (item[3], item[0])):
        if large and position(rate, centre, sd, n) == "dans les limites":
            continue
        low95, _ = limits(centre, sd, n, Z95)
        low998, _ = limits(centre, sd, n, Z998)
        rows.append(
            [
                Link(code, links.get(code)) if links.get(code) else code,
                name,
                fmt.number(n),
                fmt.rate(rate),
                fmt.rate(low95),
                fmt.rate(low998),
                position(rate, centre, sd, n),
            ]
        )
    report.chart(
        chart(items, centre, sd, "Taux global des structures selon leur nombre de questions applicables"),
        paged_table(
            "structures-entonnoir",
            [
                "Code",
                "Structure",
                "Questions applicables",
                "Taux global",
                "Limite basse 95 %",
                "Limite basse 99,8 %",
                "Position",
            ],
            rows,
            caption=("Structures hors des limites" if large else "Structures")
            + ", de la plus faible à la plus forte",
            numeric=[2, 3, 4, 5],
            nowrap=[0],
            what="les structures",
            store=report.table_data,
        )
        + (
            f'<p class="note">{esc(fmt.number(len(items) - len(rows)))} autres structures dans les limites.</p>'
            if large
            else ""
        ),
    )
