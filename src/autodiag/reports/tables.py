"""HTML tables with French figures; every cell is escaped (free text never runs)."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence

from autodiag.formatting import number
from autodiag.labels import NO_DATA
from autodiag.slugs import slugify


def script_json(value) -> str:
    """JSON safe inside a <script> element: '<', '>' and '&' never appear raw."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def esc(value: object) -> str:
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


class Link:
    """A table cell that links to another report (href and text escaped)."""

    def __init__(self, text: object, href: str | None):
        self.text, self.href = text, href

    def __str__(self) -> str:
        return str(self.text)

    def html(self) -> str:
        if not self.href:
            return esc(self.text)
        return f'<a href="{esc(self.href)}">{esc(self.text)}</a>'


class Html(str):
    """A cell already written as HTML by the report (each piece escaped there)."""


def code_cell(code: str, links: dict) -> object:
    """A structure code, as a link to its report when the site has one (``links``: code -> href)."""
    return Link(code, links.get(code)) if links.get(code) else code


def _cell(value: object) -> str:
    if isinstance(value, Html):
        return str(value)
    return value.html() if isinstance(value, Link) else esc(value)


KEEP_ROWS = 15  # a table this short is printed on one page


def table(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str | None = None,
    numeric: Iterable[int] = (),
    total_rows: Iterable[int] = (),
    css_class: str = "data",
    nowrap: Iterable[int] = (),
    sortable: bool = False,
    keep: bool = False,
) -> str:
    """A table; ``numeric`` column indexes are right-aligned, ``total_rows`` in bold, ``nowrap``
    columns (codes) never wrap. A :class:`Link` cell becomes a link. ``sortable``: a click on a
    header sorts the rows (page script); ``keep``: never split across printed pages (always so
    for a short table, up to :data:`KEEP_ROWS` rows)."""
    rows = list(rows)
    keep = keep or len(rows) <= KEEP_ROWS
    numeric = set(numeric)
    nowrap = set(nowrap)
    total_rows = set(total_rows)
    classes = " ".join([css_class] + (["sortable"] if sortable else []) + (["keep"] if keep else []))
    out = [f'<div class="table-wrap"><table class="{classes}">']  # a wide table scrolls in its box
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>")
    for i, column in enumerate(columns):
        out.append(f"<th{' class=num' if i in numeric else ''}>{esc(column)}</th>")
    out.append("</tr></thead><tbody>")
    for r, row in enumerate(rows):
        out.append('<tr class="total">' if r in total_rows else "<tr>")
        for i, cell in enumerate(row):
            cls = " class=num" if i in numeric else " class=code" if i in nowrap else ""
            out.append(f"<td{cls}>{_cell(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def definition_list(items: Iterable[tuple[str, object]]) -> str:
    """Label / value pairs (a two-column table: renders the same in notebooks and pages)."""
    parts = ['<table class="identity"><tbody>']
    for term, value in items:
        parts.append(f"<tr><th>{esc(term)}</th><td>{esc(value)}</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


SHOWN_QUOTES = 5  # a longer list folds the rest under « Voir les n autres citations »


def quotes(texts: Iterable[str], attributions: Iterable[str] | None = None, empty: str = NO_DATA) -> str:
    """Verbatims as quotations between « » (escaped, line breaks kept by CSS); past
    :data:`SHOWN_QUOTES`, the rest folded (<details>: opened by a search, not printed)."""
    texts = list(texts)
    if not texts:
        return f'<p class="empty">{esc(empty)}</p>'
    attributions = list(attributions) if attributions is not None else [None] * len(texts)
    items = []
    for text, who in zip(texts, attributions):
        cite = f' <span class="who">— {esc(who)}</span>' if who else ""
        items.append(f'<li class="item"><span class="quote">«\u00a0{esc(text)}\u00a0»</span>{cite}</li>')
    shown = '<ul class="verbatims">' + "".join(items[:SHOWN_QUOTES]) + "</ul>"
    if len(items) <= SHOWN_QUOTES:
        return shown
    rest = len(items) - SHOWN_QUOTES
    return (
        shown
        + f'<details class="more"><summary>Voir {"les " + str(rest) + " autres citations" if rest > 1 else "l’autre citation"}'
        '</summary><ul class="verbatims">' + "".join(items[SHOWN_QUOTES:]) + "</ul></details>"
    )


def searchable(inner_html: str, what: str) -> str:
    """A « Rechercher... » box filtering, as one types, the verbatims (``li.item``) of
    ``inner_html``; ``what`` names them for screen readers. The page script compares text
    only (textContent), so escaped texts stay text."""
    field = "recherche-" + slugify(what)
    return (
        f'<div class="searchable"><label for="{field}">{esc("Rechercher dans " + what)}</label>'
        f'<input type="search" class="search" id="{field}" placeholder="Rechercher...">'
        f'<span class="search-count" aria-live="polite"></span>{inner_html}</div>'
    )


PAGED_FROM = 60  # rows: a longer table is drawn a page at a time by the page script
PAGE_ROWS = 25


def _json_cell(value: object):
    if isinstance(value, Link):
        return [str(value.text), value.href] if value.href else str(value.text)
    return "" if value is None else str(value)


def paged_table(
    element_id: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str,
    numeric: Iterable[int] = (),
    nowrap: Iterable[int] = (),
    downloads: Sequence[tuple[str, str]] = (),
    what: str = "le tableau",
    store: dict | None = None,
) -> str:
    """A table of any length that stays a few screens tall: up to :data:`PAGED_FROM` rows, a plain
    sortable table; beyond, its rows as JSON that the page script draws :data:`PAGE_ROWS` at a
    time, sortable (a button in each header, ``aria-sort``), searchable (a labelled box) and paged
    (buttons). Printed, the first page only, with the count and the ``downloads`` (text, href)
    that hold every row. The block's ``id`` is ``element_id``: a link to ``#element_id`` with
    ``data-filter-column`` and ``data-filter-below`` shows the rows under a value in a column.
    ``store``: the rows go there (element_id -> data, written by the report as a data script
    beside the page: :func:`tables_script`) instead of inside the page."""
    rows = list(rows)
    numeric, nowrap = sorted(set(numeric)), sorted(set(nowrap))
    files = " ".join(f'<a href="{esc(href)}" download>{esc(text)}</a>' for text, href in downloads)
    files_html = f'<p class="note">Toutes les lignes : {files}</p>' if files else ""
    if len(rows) <= PAGED_FROM:
        return (
            f'<div id="{esc(element_id)}">'
            + table(columns, rows, caption=caption, numeric=numeric, nowrap=nowrap, sortable=True)
            + files_html
            + "</div>"
        )
    heads = "".join(
        f'<th scope=col{" class=num" if i in numeric else ""}><button type="button" class="sort" '
        f'data-key="{i}"><span class="label">{esc(c)}</span><span class="arrow" aria-hidden="true">\u2195</span>'
        "</button></th>"
        for i, c in enumerate(columns)
    )
    first = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if i in numeric else ' class=code' if i in nowrap else ''}>{_cell(v)}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows[:PAGE_ROWS]
    )
    data = {
        "rows": [[_json_cell(v) for v in row] for row in rows],
        "numeric": numeric,
        "nowrap": nowrap,
        "size": PAGE_ROWS,
    }
    if store is not None:
        store[element_id] = data
    return (
        f'<div class="paged-table" id="{esc(element_id)}">'
        f'<label class="search-label" for="{esc(element_id)}-recherche">Rechercher dans {esc(what)}</label> '
        f'<input type="search" class="search" id="{esc(element_id)}-recherche" autocomplete="off">'
        f'<span class="search-count" aria-live="polite">{esc(number(len(rows)))} lignes</span>'
        f'<div class="table-wrap"><table class="data paged"><caption>{esc(caption)} '
        f"({PAGE_ROWS} lignes par page)</caption><thead><tr>{heads}</tr></thead><tbody>{first}</tbody></table></div>"
        '<nav class="pager" aria-label="Pages du tableau"><button type="button" data-page="first">Première page</button>'
        '<button type="button" data-page="previous">Page précédente</button><span class="page-label" aria-live="polite">'
        "</span>"
        '<button type="button" data-page="next">Page suivante</button><button type="button" data-page="last">Dernière '
        "page</button></nav>"
        f'<p class="note print-only">{esc(PAGE_ROWS)} premières lignes sur {esc(number(len(rows)))}.</p>{files_html}'
        + (
            f'<script type="application/json" class="rows">{script_json(data)}</script>'
            if store is None
            else ""
        )
        + "</div>"
    )


def tables_script(store: dict) -> bytes:
    """The rows of a page's paged tables as a script (window.AUTODIAG_TABLES), loaded by a relative
    ``<script src>``: it works from file://, where a JSON file cannot be read."""
    return (
        "window.AUTODIAG_TABLES=window.AUTODIAG_TABLES||{};Object.assign(window.AUTODIAG_TABLES,"
        + script_json(dict(sorted(store.items())))
        + ");\n"
    ).encode("utf-8")
