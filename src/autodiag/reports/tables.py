"""HTML tables with French figures; every cell is escaped (free text never runs)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from autodiag.labels import NO_DATA
from autodiag.slugs import slugify


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


def code_cell(code: str, links: dict) -> object:
    """A structure code, as a link to its report when the site has one (``links``: code -> href)."""
    return Link(code, links.get(code)) if links.get(code) else code


def _cell(value: object) -> str:
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
