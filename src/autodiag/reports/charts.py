"""Plotly figures as plain specs (dicts): fast to build, embedded without CDN.

Every engagement E1..E8 keeps the same colour in every report (Okabe-Ito palette, safe for
colour-blind readers). Text that comes from the data (structure or network names) is
HTML-escaped before it reaches plotly, which reads labels as pseudo-HTML.
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd

from autodiag import formatting as fmt

# Okabe & Ito (2008), in its order: distinguishable with the common colour-vision deficiencies.
# Where the original fails 3:1 on white (orange, sky blue, yellow: WCAG 1.4.11 for marks), the
# same hue darkened until it passes; TEXT_COLOURS are darker still where a label needs 4.5:1.
OKABE_ITO = ["#C58800", "#229DE2", "#009E73", "#A1960D", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
TEXT_COLOURS = ["#9C6C00", "#187CB5", "#008762", "#80770A", "#0072B2", "#C35600", "#BC4F8B", "#000000"]
ENGAGEMENT_COLOURS = {n: OKABE_ITO[n - 1] for n in range(1, 9)}
GREY = "#8C8C8C"
REFERENCE = "#4D4D4D"
BACKGROUND = "#FFFFFF"
DARK_TEXT, LIGHT_TEXT = "#000000", "#FFFFFF"
# cividis (sequential, readable with colour-vision deficiencies), its stops written out so that
# the cell text's colour is chosen from the very colour plotly paints (linear RGB interpolation).
CIVIDIS = [
    "#00224E",
    "#123570",
    "#3B496C",
    "#575D6D",
    "#707173",
    "#8A8678",
    "#A59C74",
    "#C3B369",
    "#E1CC55",
    "#FEE838",
]
HEATMAP_SCALE = [[i / (len(CIVIDIS) - 1), c] for i, c in enumerate(CIVIDIS)]
WIDTH = 650


def luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of '#RRGGBB'."""
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two '#RRGGBB' colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def scale_colour(value: float, low: float = 0, high: float = 100) -> str:
    """The colour the heatmap paints ``value`` with (between two CIVIDIS stops, in RGB)."""
    t = min(1.0, max(0.0, (value - low) / (high - low))) * (len(CIVIDIS) - 1)
    i = min(int(t), len(CIVIDIS) - 2)
    a, b = CIVIDIS[i], CIVIDIS[i + 1]
    start, end = ([int(c[k : k + 2], 16) for k in (1, 3, 5)] for c in (a, b))
    mix = [round(x + (y - x) * (t - i)) for x, y in zip(start, end)]
    return "#" + "".join(f"{c:02X}" for c in mix)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (always at least 4.5:1)."""
    return DARK_TEXT if contrast(DARK_TEXT, fill) >= contrast(LIGHT_TEXT, fill) else LIGHT_TEXT


def colour(engagement: int) -> str:
    return ENGAGEMENT_COLOURS.get(int(engagement), GREY)


def text_colour(engagement: int) -> str:
    """The engagement's colour for text (4.5:1 on white)."""
    n = int(engagement)
    return TEXT_COLOURS[n - 1] if 1 <= n <= 8 else REFERENCE


def label(text: object) -> str:
    """A data label safe for plotly (which interprets <b>, <a> ... in labels)."""
    return html.escape(str(text), quote=False)  # plotly decodes &lt; &gt; &amp; but shows &quot; raw


def wrapped(text: object, width: int = 40) -> str:
    """A full label over several lines (plotly's <br>), never cut; each line escaped."""
    lines = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False) or [""]
    return "<br>".join(label(line) for line in lines)


def _lines(labels: list[str]) -> int:
    return max((text.count("<br>") + 1 for text in labels), default=1)


# Engagements told apart without colour too: a marker symbol per engagement (the dash of a line
# says how two points are joined: same questionnaire or crosswalk).
SYMBOLS = {
    1: "circle",
    2: "square",
    3: "diamond",
    4: "triangle-up",
    5: "x",
    6: "triangle-down",
    7: "cross",
    8: "star",
}


def _clean(value):
    if value is None:
        return None
    try:
        if isinstance(value, float) and math.isnan(value):
            return None
    except TypeError:
        pass
    try:
        if value is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def plot_values(values) -> list:
    return [_clean(v) for v in values]


def _layout(title: str, height: int, **extra) -> dict:
    layout = {
        "title": {"text": label(title), "x": 0, "xanchor": "left", "font": {"size": 15}},
        "width": WIDTH,
        "height": height,
        "separators": ", ",  # French: decimal comma, space for thousands
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "font": {"family": "Arial, Helvetica, sans-serif", "size": 12},
        "plot_bgcolor": "#FFFFFF",
        "paper_bgcolor": "#FFFFFF",
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
    }
    layout.update(extra)
    return layout


def _rate_axis(title: str = "Taux d'atteinte (%)") -> dict:
    return {
        "range": [0, 105],
        "title": {"text": title},
        "gridcolor": "#E5E5E5",
        "ticksuffix": " %",
        "zeroline": False,
    }


def engagement_bars(
    engagements: list[int],
    values: list,
    title: str,
    *,
    name: str = "Taux",
    reference: list | None = None,
    reference_name: str = "",
) -> dict:
    """One bar per engagement in its colour, with an optional reference marker per engagement
    (then the bar's value is written above the higher of the two, never under the marker)."""
    x = [f"E{e}" for e in engagements]
    data = [
        {
            "type": "bar",
            "x": x,
            "y": plot_values(values),
            "name": label(name),
            "marker": {"color": [colour(e) for e in engagements]},
            "text": [fmt.rate(v) for v in values],
            "textposition": "outside" if reference is None else "none",
            "cliponaxis": False,
            "hovertemplate": "%{x} : %{text}<extra></extra>",
        }
    ]
    if reference is not None:
        above = [
            None if v is None else max(v, (r if r is not None else v) + 2.5)
            for v, r in zip(plot_values(values), plot_values(reference))
        ]
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "x": x,
                "y": above,
                "text": [fmt.rate(v) for v in values],
                "textposition": "top center",
                "cliponaxis": False,
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": x,
                "y": plot_values(reference),
                "name": label(reference_name),
                "marker": {
                    "symbol": "diamond",
                    "size": 11,
                    "color": REFERENCE,
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                "text": [fmt.rate(v) for v in reference],
                "hovertemplate": "%{x} : %{text}<extra>" + label(reference_name) + "</extra>",
            }
        )
    return {"data": data, "layout": _layout(title, 400, yaxis=_rate_axis(), showlegend=reference is not None)}


# The values of position_chart's group trace (its median and quartiles), one per engagement.
POSITION_GROUP = [
    (2, ("y",), "y"),
    (2, ("error_y", "array"), "plus"),
    (2, ("error_y", "arrayminus"), "minus"),
    (2, ("text",), "text"),
]
# engagement_bars' values that depend on the reference: the labels' height and its markers.
BARS_REFERENCE = [(1, ("y",), "above"), (2, ("y",), "y"), (2, ("text",), "text")]


def position_chart(
    engagements: list[int],
    values: list,
    q1: list,
    median: list,
    q3: list,
    title: str,
    *,
    name: str,
    group_name: str,
) -> dict:
    """A structure's rates (bars) against its group's median (diamond) and quartiles (whiskers)."""
    x = [f"E{e}" for e in engagements]
    med = plot_values(median)
    plus = [None if m is None or _clean(b) is None else _clean(b) - m for m, b in zip(med, q3)]
    minus = [None if m is None or _clean(a) is None else m - _clean(a) for m, a in zip(med, q1)]
    data = [
        {
            "type": "bar",
            "x": x,
            "y": plot_values(values),
            "name": label(name),
            "showlegend": False,
            "marker": {"color": [colour(e) for e in engagements]},
            "text": [fmt.rate(v) for v in values],
            "hovertemplate": "%{x} : %{text}<extra></extra>",
            "textposition": "none",
        },
        # Legend entry only (no bar drawn): a neutral swatch, the bars wear each engagement's colour.
        {
            "type": "bar",
            "x": x[:1],
            "y": [None],
            "name": label(f"{name} (couleur de chaque engagement)"),
            "marker": {"color": GREY},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": x,
            "y": med,
            "name": label(group_name),
            "marker": {
                "symbol": "diamond",
                "size": 12,
                "color": REFERENCE,
                "line": {"color": "#FFFFFF", "width": 2},
            },
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": plus,
                "arrayminus": minus,
                "color": REFERENCE,
                "thickness": 2,
                "width": 8,
            },
            "text": [fmt.rate(v) for v in median],
            "hovertemplate": "%{x} : médiane %{text}<extra></extra>",
        },
    ]
    return {
        "data": data,
        "layout": _layout(title, 420, yaxis=_rate_axis(), showlegend=True, barmode="overlay"),
    }


def compare_bars(
    engagements: list[int],
    current: list,
    previous: list,
    title: str,
    *,
    current_name: str,
    previous_name: str,
) -> dict:
    """Previous campaign (grey) against the current one (engagement colours)."""
    x = [f"E{e}" for e in engagements]
    data = [
        {
            "type": "bar",
            "x": x,
            "y": plot_values(previous),
            "name": label(previous_name),
            "marker": {"color": GREY},
            "text": [fmt.rate(v) for v in previous],
            "hovertemplate": "%{x} : %{text}<extra></extra>",
            "textposition": "none",
        },
        {
            "type": "bar",
            "x": x,
            "y": plot_values(current),
            "name": label(current_name),
            "showlegend": False,
            "marker": {"color": [colour(e) for e in engagements]},
            "text": [fmt.rate(v) for v in current],
            "hovertemplate": "%{x} : %{text}<extra></extra>",
            "textposition": "none",
        },
        # Legend entry only: the bars wear each engagement's colour, so no single colour (E1's)
        # may stand for the campaign. A point-less scatter takes no slot among the grouped bars.
        {
            "type": "scatter",
            "mode": "markers",
            "x": [None],
            "y": [None],
            "name": label(f"{current_name} (couleur de chaque engagement)"),
            "marker": {
                "symbol": "square",
                "size": 12,
                "color": "#FFFFFF",
                "line": {"color": REFERENCE, "width": 2},
            },
            "hoverinfo": "skip",
        },
    ]
    return {"data": data, "layout": _layout(title, 400, yaxis=_rate_axis(), barmode="group", showlegend=True)}


def histogram(
    bin_labels: list[str], counts: list[int], title: str, axis: str = "Taux d'atteinte global (%)"
) -> dict:
    """Pre-binned counts, so that the table beside it holds exactly the same figures."""
    data = [
        {
            "type": "bar",
            "x": bin_labels,
            "y": counts,
            "marker": {"color": OKABE_ITO[4]},
            "text": [fmt.number(c) for c in counts],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{x} : %{text} structure(s)<extra></extra>",
        }
    ]
    top = max(range(len(counts)), key=lambda i: counts[i]) if counts else None
    unit = " points" if "points" in axis else " %"
    summary = (
        f"{fmt.number(sum(counts))} structures ; la tranche la plus fréquente : {bin_labels[top]}{unit} "
        f"({fmt.number(counts[top])} structures)."
        if top is not None
        else ""
    )
    return {
        "summary": summary,
        "data": data,
        "layout": _layout(
            title,
            380,
            showlegend=False,
            xaxis={"title": {"text": axis}},
            yaxis={"title": {"text": "Structures"}, "gridcolor": "#E5E5E5", "rangemode": "tozero"},
        ),
    }


def heatmap(
    rows: list[str], engagements: list[int], z: list[list], title: str, columns: list[str] | None = None
) -> dict:
    """Structures (rows) × engagements (columns; or any ``columns`` labels), rates as colours and as text."""
    text = [[fmt.rate(v) for v in row] for row in z]
    y = [wrapped(r, 38) for r in rows]  # full names over two lines rather than cut into look-alikes
    height = max(300, 120 + max(22, 12 * _lines(y) + 6) * len(rows))
    x = [label(c) for c in columns] if columns is not None else [f"E{e}" for e in engagements]
    data = [
        {
            "type": "heatmap",
            "x": x,
            "y": y,
            "z": [plot_values(row) for row in z],
            "text": text,
            "colorscale": HEATMAP_SCALE,
            "zmin": 0,
            "zmax": 100,
            "hoverongaps": False,
            "colorbar": {"title": {"text": "%"}, "ticksuffix": " %"},
            "hovertemplate": "%{y}<br>%{x} : %{text}<extra></extra>",
        },
        cell_texts(x, y, z, text),
    ]
    layout = _layout(
        title,
        height,
        showlegend=False,
        margin={"l": 250, "r": 20, "t": 50, "b": 40},
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 10}},
        xaxis={"side": "top"},
    )
    return {"data": data, "layout": layout}


def cell_texts(x: list, y: list, z: list[list], text: list[list]) -> dict:
    """A heatmap's values written in its cells, each black or white by its cell's colour (a text
    trace: plotly's own heatmap text takes one colour per trace)."""
    xs, ys, texts, colours = [], [], [], []
    for row, values, labels in zip(y, z, text):
        for column, value, shown in zip(x, plot_values(values), labels):
            if value is None:
                continue
            xs.append(column)
            ys.append(row)
            texts.append(shown)
            colours.append(text_on(scale_colour(value)))
    return {
        "type": "scatter",
        "mode": "text",
        "x": xs,
        "y": ys,
        "text": texts,
        "hoverinfo": "skip",
        "textfont": {"size": 9, "color": colours},
        "showlegend": False,
    }


def theme_bars(themes: list[str], engagements: list[int], values: list, title: str) -> dict:
    """Horizontal bars for themes, coloured by their engagement."""
    y = [wrapped(t, 44) for t in themes]  # full titles, wrapped, never cut mid-word
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": y,
            "x": plot_values(values),
            "marker": {"color": [colour(e) for e in engagements]},
            "text": [fmt.rate(v) for v in values],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y} : %{text}<extra></extra>",
        }
    ]
    layout = _layout(
        title,
        max(300, 90 + max(34, 13 * _lines(y) + 8) * len(themes)),
        showlegend=False,
        margin={"l": 270, "r": 60, "t": 50, "b": 40},
        xaxis=_rate_axis("Taux moyen (%)"),
        yaxis={"autorange": "reversed", "tickfont": {"size": 10}},
    )
    return {"data": data, "layout": layout}


def end_labels(ends: list[tuple[float, int, int]], gap: float = 4.5) -> list[dict]:
    """« E3 » beside each line's last point; labels of lines ending close together are spread
    ``gap`` points apart (in rate units) so that overlapping lines stay named."""
    placed: list[dict] = []
    for x in sorted({end[1] for end in ends}):
        column = sorted((y, e) for y, xx, e in ends if xx == x)
        positions: list[float] = []
        for y, _engagement in column:
            positions.append(max(y, positions[-1] + gap) if positions else y)
        overflow = max(0.0, (positions[-1] if positions else 0) - 104)
        for (_y, e), at in zip(column, positions):
            placed.append(
                {
                    "x": x,
                    "y": at - overflow,
                    "text": f"E{e}",
                    "showarrow": False,
                    "xanchor": "left",
                    "xshift": 10,
                    "font": {"color": text_colour(e), "size": 11},
                }
            )
    return placed


def delta_bars(names: list[str], deltas: list, title: str) -> dict:
    """Change of the global rate per structure (points of percentage)."""
    y = [wrapped(n, 40) for n in names]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": y,
            "x": plot_values(deltas),
            "marker": {
                "color": [OKABE_ITO[2] if (d or 0) >= 0 else OKABE_ITO[5] for d in plot_values(deltas)]
            },
            "text": [signed(d) for d in deltas],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y} : %{text}<extra></extra>",
        }
    ]
    layout = _layout(
        title,
        max(300, 90 + max(20, 12 * _lines(y) + 6) * len(names)),
        showlegend=False,
        margin={"l": 250, "r": 60, "t": 50, "b": 40},
        xaxis={"title": {"text": "Évolution (points de %)"}, "zeroline": True, "zerolinecolor": REFERENCE},
        yaxis={"autorange": "reversed", "tickfont": {"size": 10}},
    )
    return {"data": data, "layout": layout}


def signed(value) -> str:
    """An evolution in points of percentage: '+3,2 pts', '-1,0 pts'."""
    value = _clean(value)
    if value is None:
        return "--"
    text = fmt.number(value, 1)
    return ("+" + text if value > 0 and not text.startswith("-") else text) + " pts"


def gain_bars(engagements: list[int], gains: list, title: str) -> dict:
    """What each engagement would add to the global rate if all its levers were met (points)."""
    x = [f"E{e}" for e in engagements]
    data = [
        {
            "type": "bar",
            "x": x,
            "y": plot_values(gains),
            "marker": {"color": [colour(e) for e in engagements]},
            "text": [signed(g) for g in gains],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{x} : %{text} sur le taux global<extra></extra>",
        }
    ]
    top = max([g for g in plot_values(gains) if g is not None] or [1.0])
    return {
        "data": data,
        "layout": _layout(
            title,
            400,
            showlegend=False,
            yaxis={
                "range": [0, top * 1.15],
                "title": {"text": "Gain du taux global (points de %)"},
                "gridcolor": "#E5E5E5",
                "ticksuffix": " pts",
                "zeroline": False,
            },
        ),
    }


def layout(title: str, height: int, **extra) -> dict:
    """The layout every chart shares (title, French separators, fonts), for other modules' charts."""
    return _layout(title, height, **extra)


def rate_axis(title: str = "Taux d'atteinte (%)") -> dict:
    return _rate_axis(title)
