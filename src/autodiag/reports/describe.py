"""A chart's short text summary, in French, read from its plotly spec: what a screen reader
user hears before the table (the lowest and highest values, the reference beside them).
The summary says what the chart draws; the figures themselves are in the table under it."""

from __future__ import annotations

import html
import re

from autodiag import formatting as fmt
from autodiag.reports import references as shared_figures

TABLE_ONLY = "Les valeurs du graphique sont dans le tableau qui suit."


def plain(text: object) -> str:
    """A plotly label as plain text: <br> as a space, tags dropped, entities decoded."""
    text = re.sub(r"<br\s*/?>", " ", str(text or ""))
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def title(spec: dict) -> str:
    found = spec.get("layout", {}).get("title", {})
    return plain(found.get("text") if isinstance(found, dict) else found)


def summary(spec: dict) -> str:
    """The spec's own ``summary`` when its builder wrote one, else one read from its traces."""
    if spec.get("summary"):
        return spec["summary"]
    traces = [t for t in spec.get("data", []) if t.get("hoverinfo") != "skip" and t.get("mode") != "text"]
    kinds = {t.get("type", "scatter") for t in traces}
    if "heatmap" in kinds:
        return _heatmap(next(t for t in traces if t.get("type") == "heatmap"))
    bars = [t for t in traces if t.get("type") == "bar" and _points(t)]
    if bars:
        main = bars[-1]  # drawn last, in front: the current campaign beside the previous one
        others = [t for t in traces if t is not main and t.get("name") and (_points(t) or _read_later(t))]
        return _bars(main, others)
    lines = [t for t in traces if t.get("type", "scatter") == "scatter" and t.get("name", "").startswith("E")]
    if lines:
        return _lines(lines)
    return TABLE_ONLY


def _points(trace: dict) -> list[tuple[str, float]]:
    """(category, value) of a bar or marker trace, vertical or horizontal; missing values left out."""
    horizontal = trace.get("orientation") == "h"
    categories, values = (trace.get("y"), trace.get("x")) if horizontal else (trace.get("x"), trace.get("y"))
    return [
        (plain(c), float(v))
        for c, v in zip(categories or [], values or [])
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    ]


def _value(trace: dict, category: str, value: float) -> str:
    """The value as the chart writes it (its text label), else as a rate."""
    categories = trace.get("y") if trace.get("orientation") == "h" else trace.get("x")
    labels = [plain(c) for c in categories or []]
    texts = trace.get("text") or []
    at = labels.index(category) if category in labels else len(texts)
    if at < len(texts) and isinstance(texts[at], str):
        return plain(texts[at]) or fmt.rate(value)
    return fmt.rate(value)


def _read_later(trace: dict) -> bool:
    """Whether the trace's values come from the site's data file (references.py)."""
    return any(isinstance(v, str) and v.startswith(shared_figures.PREFIX) for v in trace.get("y") or [])


def reference_clause(trace: dict, category: str, value: float | None) -> str:
    """« ; Moyenne nationale pour E6 : 20,8 % », or nothing when the reference has no value there."""
    if value is None:
        return ""
    return f" ; {plain(trace.get('name'))} pour {category} : {_value(trace, category, value)}"


def _shared(trace: dict, category: str) -> str | None:
    """The reference's clause read from the site's data file (references.py): the token of its
    text's key with « |resume » for « |text », ended by references.END; None without one."""
    categories = [plain(c) for c in (trace.get("x") or [])]
    texts = trace.get("text") or []
    at = categories.index(category) if category in categories else None
    found = texts[at] if at is not None and at < len(texts) else None
    if not (isinstance(found, str) and found.startswith(shared_figures.PREFIX) and found.endswith("|text")):
        return None
    return found[: -len("text")] + "resume" + shared_figures.END


def _bars(trace: dict, references: list[dict]) -> str:
    points = _points(trace)
    if len(points) == 1:
        return f"{points[0][0]} : {_value(trace, *points[0])}."
    low, high = min(points, key=lambda p: p[1]), max(points, key=lambda p: p[1])
    text = (
        f"Valeur la plus faible : {low[0]}, {_value(trace, *low)} ; "
        f"la plus élevée : {high[0]}, {_value(trace, *high)}"
    )
    for reference in references[:1]:
        at = dict(_points(reference))
        if low[0] in at:
            text += reference_clause(reference, low[0], at[low[0]])
        else:
            text += _shared(reference, low[0]) or ""
    return text + "."


def _heatmap(trace: dict) -> str:
    rows, columns = [plain(r) for r in trace.get("y", [])], [plain(c) for c in trace.get("x", [])]
    cells = [
        (v, r, c)
        for r, values in zip(rows, trace.get("z", []))
        for c, v in zip(columns, values)
        if isinstance(v, (int, float))
    ]
    text = f"{fmt.number(len(rows))} lignes et {fmt.number(len(columns))} colonnes"
    if not cells:
        return text + " sans valeur."
    low, high = min(cells), max(cells)
    return (
        f"{text} ; valeur la plus faible : {low[1]}, {low[2]}, {fmt.rate(low[0])} ; "
        f"la plus élevée : {high[1]}, {high[2]}, {fmt.rate(high[0])}."
    )


def _lines(traces: list[dict]) -> str:
    """Engagement lines over campaigns: who is lowest and highest at the last campaign drawn."""
    last: list[tuple[float, str, str]] = []
    for trace in traces:
        points = [
            (x, y) for x, y in zip(trace.get("x") or [], trace.get("y") or []) if isinstance(y, (int, float))
        ]
        if points:
            last.append((points[-1][1], plain(trace.get("name")), str(points[-1][0])))
    if not last:
        return TABLE_ONLY
    at = max(p[2] for p in last)
    ends = [p for p in last if p[2] == at]
    low, high = min(ends), max(ends)
    return (
        f"{fmt.number(len(traces))} engagements suivis campagne après campagne ; en {at}, le plus faible : "
        f"{low[1]}, {fmt.rate(low[0])} ; le plus élevé : {high[1]}, {fmt.rate(high[0])}."
    )
