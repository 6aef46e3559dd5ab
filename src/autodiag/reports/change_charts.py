"""Charts of change over time (issue 9).

Trend lines that show how many structures each point stands on and where the questionnaire
changed: points of one version are joined by a solid line, points across a version change by a
dotted line only when the crosswalk links them (`identique` or `proche`), and not at all
otherwise; a dashed vertical line marks each version change."""

from __future__ import annotations

from autodiag import formatting as fmt
from autodiag.reports import charts

# join between two consecutive points: "same" (solid), "link" (dotted, crosswalk), None (no line)
DASH = {"same": "solid", "link": "dot"}


def lines(
    campaigns: list[int],
    series: dict[int, list],
    counts: dict[int, list],
    joins: dict[int, list],
    title: str,
    breaks: list[tuple[int, str]] = (),
) -> dict:
    """``series``/``counts``: engagement -> value / structures per campaign; ``joins``: engagement ->
    one entry per pair of consecutive campaigns; ``breaks``: (index of the first campaign of a new
    version, label)."""
    x = [str(c) for c in campaigns]
    data, ends = [], []
    for e, values in series.items():
        colour = charts.colour(e)
        last = max((i for i, v in enumerate(charts.plot_values(values)) if v is not None), default=None)
        if last is not None:  # by position: a category named « 2025 » would be read as the number 2025
            ends.append((charts.plot_values(values)[last], last, e))
        text = [f"{fmt.rate(v)} ({fmt.number(n or 0)} structures)" for v, n in zip(values, counts[e])]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": x,
                "y": charts.plot_values(values),
                "name": f"E{e}",
                "legendgroup": f"E{e}",
                "marker": {
                    "color": colour,
                    "size": 9,
                    "symbol": charts.SYMBOLS.get(int(e), "circle"),
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                "text": text,
                "hovertemplate": f"E{e} %{{x}} : %{{text}}<extra></extra>",
            }
        )
        for i, join in enumerate(joins[e]):
            if join is None or values[i] is None or values[i + 1] is None:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": x[i : i + 2],
                    "y": charts.plot_values(values[i : i + 2]),
                    "legendgroup": f"E{e}",
                    "showlegend": False,
                    "hoverinfo": "skip",
                    "line": {"color": colour, "width": 2, "dash": DASH[join]},
                }
            )
    shapes, notes = [], []
    for index, text in breaks:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": index - 0.5,
                "x1": index - 0.5,
                "y0": 0,
                "y1": 1,
                "line": {"color": charts.REFERENCE, "width": 1.5, "dash": "dash"},
            }
        )
        notes.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": index - 0.5,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "text": charts.label(text),
                "showarrow": False,
                "font": {"size": 10, "color": charts.REFERENCE},
            }
        )
    layout = charts.layout(
        title,
        440,
        yaxis=charts.rate_axis("Taux moyen (%)"),
        xaxis={"type": "category", "title": {"text": "Campagne"}},
        showlegend=True,
        margin={"l": 60, "r": 50, "t": 50, "b": 50},
        shapes=shapes,
        annotations=notes + charts.end_labels(ends),
    )
    return {"data": data, "layout": layout}


def waterfall(labels: list[str], values: list, title: str) -> dict:
    """A start level, the parts of its change (points of %), the end level: each part a floating
    bar from the running level (plain bars with a base: in the single-file reports' plotly.js)."""
    start, parts, end = values[0], values[1:-1], values[-1]
    bases, heights, colours, text = [0.0], [start], [charts.OKABE_ITO[4]], [fmt.rate(start)]
    level = start
    for part in parts:
        bases.append(min(level, level + part))
        heights.append(abs(part))
        colours.append(charts.OKABE_ITO[2] if part >= 0 else charts.OKABE_ITO[5])
        text.append(charts.signed(part))
        level += part
    bases.append(0.0)
    heights.append(end)
    colours.append(charts.OKABE_ITO[4])
    text.append(fmt.rate(end))
    data = [
        {
            "type": "bar",
            "x": [charts.label(t) for t in labels],
            "y": charts.plot_values(heights),
            "base": charts.plot_values(bases),
            "marker": {"color": colours},
            "text": text,
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{x} : %{text}<extra></extra>",
        }
    ]
    return {"data": data, "layout": charts.layout(title, 360, showlegend=False, yaxis=charts.rate_axis())}
