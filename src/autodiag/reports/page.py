"""A report as a list of blocks (HTML and charts) and its offline HTML page.

The same blocks are shown in a notebook (``Report.show``) and written as one page
(``Report.to_html`` / ``Report.write``). Where plotly.js comes from is said by an
:class:`autodiag.reports.plotlyjs.Embed`: the site's shared file (``autodiag build``), or
inline for a single file that can be e-mailed (``autodiag report``). Nothing comes from a CDN.
The page itself holds nothing random (chart ids are counters) and no date: the same data
give the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from autodiag.reports import describe, plotlyjs, references, scripts
from autodiag.reports.plotlyjs import MARKER, Embed
from autodiag.reports.tables import esc, script_json
from autodiag.safe_files import write_atomic
from autodiag.slugs import slugify

CSS = """
body { font-family: Arial, Helvetica, sans-serif; color: #1E1E1E; margin: 0; background: #FFFFFF; }
.report { max-width: 1000px; margin: 0 auto; padding: 24px 32px 48px; }
.report.nb { padding: 0 32px; }
.report h1 { font-size: 24px; color: #000091; margin: 8px 0 4px; }
.report h2 { font-size: 19px; color: #000091; border-bottom: 2px solid #000091; padding-bottom: 4px; margin-top: 36px; }
.report h3 { font-size: 16px; margin: 22px 0 8px; }
.report p.subtitle { color: #555; margin-top: 0; }
.report p.note, .report p.masked { font-size: 13px; color: #555; }
.report p.masked { color: #8A3B00; font-style: italic; }
.report p.empty { font-style: italic; color: #555; }
.report .headline { font-size: 30px; font-weight: bold; color: #000091; margin: 6px 0 12px; }
.report table.data { width: auto; border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; min-width: 50%; }
.report table.data caption { text-align: left; font-weight: bold; padding: 4px 0; }
.report table.data th, .report table.data td { border: 1px solid #D0D0D0; padding: 4px 8px; text-align: left; vertical-align: top; }
.report table.data th { background: #F0F0F8; }
.report table.data td.num, .report table.data th.num { text-align: right; }
.report table.data td.num { white-space: nowrap; }
.report table.data tr.total td { font-weight: bold; background: #F6F6F6; }
.report table.identity { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
.report table.identity th { text-align: left; font-weight: bold; padding: 3px 16px 3px 0; vertical-align: top; width: 24em; background: none; border: none; }
.report table.identity td { text-align: left; padding: 3px 0; border: none; background: none; }
.report ul.verbatims { list-style: none; padding-left: 0; }
.report ul.verbatims li { border-left: 4px solid #000091; background: #F6F6FB; margin: 6px 0; padding: 6px 10px; white-space: pre-line; }
.report ul.verbatims .who { color: #555; font-size: 12px; white-space: normal; }
.report .chart { margin: 8px 0 4px; page-break-inside: avoid; break-inside: avoid; }
.report figcaption + p.summary, .report figcaption { page-break-after: avoid; break-after: avoid; }
.report .figure { margin-bottom: 18px; }
.report nav.links ul { columns: 2; font-size: 13px; }
.report details { margin: 4px 0 8px; }
.report footer { margin-top: 40px; font-size: 12px; color: #555; overflow-wrap: anywhere; }
.nbpage { max-width: 1000px; margin: 0 auto; padding: 16px 0 48px; }
.nbpage pre { font-size: 13px; margin: 4px 32px; white-space: pre-wrap; }
.nbpage .output_html > table, .nbpage .output_html table.dataframe { border-collapse: collapse; font-size: 13px; margin: 8px 32px 16px; }
.nbpage table.dataframe th, .nbpage table.dataframe td { border: 1px solid #D0D0D0; padding: 4px 8px; text-align: right; }
.nbpage table.dataframe thead th { background: #F0F0F8; }
.report table.data td.code, .report table.data th.code { white-space: nowrap; }
.report .table-wrap { max-width: 100%; overflow-x: auto; }
.report nav.crumbs { font-size: 13px; margin: 0 0 8px; color: #555; }
.report nav.crumbs a { margin-right: 4px; }
.report .searchable { margin: 6px 0 14px; }
.report input.search { font: inherit; font-size: 14px; padding: 4px 8px; width: 22em; max-width: 100%; border: 1px solid #888; border-radius: 3px; }
.report .search-count { font-size: 12px; color: #555; margin-left: 8px; }
.report .filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin: 8px 0 12px; font-size: 13px; }
.report .filters label { display: flex; flex-direction: column; gap: 2px; }
.report .filters select, .report .filters input { font: inherit; padding: 3px 4px; max-width: 22em; }
.report table.sortable th button { font: inherit; font-weight: bold; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: inherit; }
.report table.sortable th button:focus-visible { outline: 2px solid #000091; outline-offset: 2px; }
.report table.sortable th .arrow { color: #595959; font-weight: normal; margin-left: 4px; }
.report table.sortable th[aria-sort] .arrow { color: #000091; }
a.skip { position: absolute; left: 8px; top: -40px; background: #000091; color: #FFFFFF; padding: 6px 10px; z-index: 10; }
a.skip:focus { top: 8px; }
.report figure.figure { margin: 8px 0 18px; }
.report figure.figure figcaption { font-weight: bold; font-size: 15px; margin: 8px 0 4px; }
.report figure.figure p.summary { font-size: 13px; color: #333; margin: 0 0 6px; }
.report .chart { max-width: 100%; overflow-x: auto; }
.report nav.toc { background: #F6F6FB; border-left: 4px solid #000091; padding: 4px 16px 8px; margin: 16px 0; }
.report nav.toc h2 { border: 0; margin: 8px 0 4px; }
.report nav.toc ol { margin: 4px 0; padding-left: 24px; }
.report nav.toc li { margin: 2px 0; }
.report .searchable label { display: block; font-size: 13px; font-weight: bold; margin-bottom: 2px; }
.report details.more > summary { cursor: pointer; color: #000091; margin: 4px 0; }
.report img, .report svg { max-width: none; }
.report dl.key-figures { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 8px 0 16px; }
.report dl.key-figures div { display: flex; flex-direction: column-reverse; }
.report dl.key-figures dt { font-size: 13px; color: #555; }
.report dl.key-figures dd { margin: 0; font-size: 26px; font-weight: bold; color: #000091; }
.report table.data th button.sort { font: inherit; font-weight: bold; background: none; border: 0; padding: 0; color: inherit; cursor: pointer; text-align: inherit; }
.report table.data th button.sort .arrow { color: #595959; font-weight: normal; margin-left: 4px; }
.report table.data th[aria-sort] button.sort .arrow { color: #000091; }
.report table.data th button.sort:focus-visible, .report nav.pager button:focus-visible { outline: 3px solid #000091; outline-offset: 2px; }
.report nav.pager { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin: 4px 0 12px; font-size: 13px; }
.report nav.pager button { font: inherit; padding: 4px 10px; border: 1px solid #000091; background: #FFFFFF; color: #000091; border-radius: 3px; cursor: pointer; }
.report nav.pager button:disabled { border-color: #999; color: #666; cursor: default; }
.report .print-only { display: none; }
.report label.search-label { font-size: 13px; }
.report details > summary { cursor: pointer; }
.report details > summary h2, .report details > summary h3 { display: inline; }
@page { size: A4; margin: 16mm 12mm 14mm;
  @bottom-right { content: "Page " counter(page) " sur " counter(pages); font: 9pt Arial, Helvetica, sans-serif; color: #555; } }
@media print {
  .report input.search, .report .search-count, .report .filters, .report nav.crumbs { display: none; }
  .report table.sortable th .arrow, a.skip, .report .searchable label { display: none; }
  .report table.sortable th button { display: contents; }  /* header text repeated on every page */
  .report .chart { overflow: visible; }
  /* On paper the drawn chart carries its title; the summary is for screen readers and tables. */
  .report figure.figure figcaption, .report figure.figure p.summary { display: none; }
  body { font-size: 11pt; }
  .report footer { margin-top: 12px; font-size: 8pt; break-before: avoid; page-break-before: avoid; break-inside: avoid; }
  .report .keep, .report table.data.keep { page-break-inside: avoid; break-inside: avoid; }
  .report nav.pager, .report label.search-label { display: none; }
  .report table.data th button.sort .arrow { display: none; }
  .report .print-only { display: block; }
  html, body { width: auto; overflow: visible !important; }
  .report, .report.nb, .nbpage { max-width: none; margin: 0; padding: 0; }
  .report h1 { margin-top: 0; }
  .report h2, .report h3 { page-break-after: avoid; break-after: avoid; }
  .report table.data { width: 100%; min-width: 0; table-layout: auto; font-size: 9.5pt; page-break-inside: auto; }
  .report table.data th, .report table.data td { padding: 2px 4px; white-space: normal; overflow-wrap: break-word; word-break: normal; }
  .report table.data th.num { white-space: normal; }
  .report table.data td.num, .report table.data td.code { white-space: nowrap; overflow-wrap: normal; }
  .report table.data td:first-child:not(.code):not(.num) { min-width: 9em; }
  .report table.data td.code + td:not(.num) { min-width: 8em; }  /* the name after a code: not one word per line */
  .report table.data tr { page-break-inside: avoid; break-inside: avoid; }
  .report table.data thead { display: table-header-group; }
  .report .table-wrap, .report details, .report .figure, .jp-OutputArea-output, .output_html { overflow: visible !important; max-width: none; }
  .report .chart { page-break-inside: avoid; break-inside: avoid; }
  .report .chart { zoom: 0.85; }  /* a chart and its neighbours share a page more often */
  .report .chart.tall { zoom: calc(0.85 * var(--print-zoom, 1)); }
  .report .modebar-container, .report .modebar { display: none !important; }
  .report nav.links ul { columns: 1; }
}
.report .map-legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; }
.report .map-legend span { display: inline-block; width: 14px; height: 14px; border: 1px solid #595959; margin-right: 5px; vertical-align: -2px; }
.report svg.departements path:hover { stroke: #1E1E1E; stroke-width: 2; }
.report svg.departements { max-width: 100%; height: auto; }  /* the map scales down to 320 px */
"""


SKIP_LINK = '<a class="skip" href="#contenu">Aller au contenu</a>'
PRINT_MAX_HEIGHT = 960  # px: what an A4 page holds under a heading (297 mm - 2 x 12 mm)
FOOTER = "Rapport produit par autodiag — données Services Publics +."
# Plotly's toolbar: the PNG download only, labelled in French (plotly's own locale mechanism).
CHART_CONFIG = {
    "displaylogo": False,
    "responsive": False,
    "displayModeBar": "hover",
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "locale": "fr-autodiag",
    "locales": {
        "fr-autodiag": {
            "dictionary": {
                "Download plot as a PNG": "Télécharger en PNG",
                "Download plot as a png": "Télécharger en PNG",
                "Download plot": "Télécharger",
            }
        }
    },
}


def css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside <style> (no quote, backslash or '<' raw)."""
    out = []
    for ch in text:
        out.append(ch if ch.isalnum() or ch in " -—–:,.()'/+" else f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def running_header_css(text: str) -> str:
    """The printed pages' running header (Chromium's @page margin boxes)."""
    return (
        "@page { @top-left { content: "
        + css_string(text)
        + "; font: 9pt Arial, Helvetica, sans-serif; color: #555; } }"
    )


def page_head(title: str) -> str:
    """The page's head without plotly.js (notebook pages: plotly.js comes with the first output;
    the paged tables' script, which a notebook's outputs may need, always)."""
    return Report(title, paged=True).head()


def footer_html(text: str) -> str:
    """The footer: one line per line of ``text`` (provenance), escaped."""
    return "<footer>" + "<br>".join(esc(line) for line in text.splitlines()) + "</footer>"


def nav_html(links: list) -> str:
    """Links up and across the site (dashboard, network report, other campaigns, trends)."""
    if not links:
        return ""
    items = " · ".join(f'<a href="{esc(href)}">{esc(text)}</a>' for text, href in links)
    return f'<nav class="crumbs" aria-label="Navigation">{items}</nav>'


def plotly_js() -> str:
    """The full plotly.js, as text (a notebook run by hand embeds it in its outputs)."""
    return plotlyjs.full_bytes().decode("utf-8")


def write_side_files(folder: Path, files: dict) -> list[Path]:
    """Write each file (relative path -> bytes) atomically, only where its bytes changed: an
    unchanged file keeps its date, and a rebuild rewrites nothing for it. Returns those written."""
    written = []
    for name, data in sorted(files.items()):
        target = folder / name
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, [data])
        written.append(target)
    return written


# The drawing (SVG layers) out of the accessibility tree; the toolbar's PNG button stays usable.
HIDE_DRAWING = (
    '.then(function (g) { g.querySelectorAll(".svg-container > :not(.modebar-container)")'
    '.forEach(function (e) { e.setAttribute("aria-hidden", "true"); }); })'
)


def chart_div(spec: dict, div_id: str) -> str:
    """The plotly chart, its drawing out of the accessibility tree: the figure's caption, summary
    and table say what it shows."""
    layout, data = spec["layout"], spec["data"]
    style = f"width:{int(layout.get('width', 650))}px;height:{int(layout.get('height', 400))}px"
    config = dict(
        CHART_CONFIG, toImageButtonOptions=dict(CHART_CONFIG["toImageButtonOptions"], filename=div_id)
    )
    height = int(layout.get("height", 400))
    # A chart taller than an A4 page is printed smaller, on one page (never split).
    tall = (
        f' tall" style="--print-zoom:{round(PRINT_MAX_HEIGHT / height, 3)}'
        if height > PRINT_MAX_HEIGHT
        else ""
    )
    traces = " ".join(sorted({str(trace.get("type", "scatter")) for trace in spec["data"]}))
    return (
        f'<div class="chart{tall}"><div id="{div_id}" class="plotly-graph-div" style="{style}" data-traces="{esc(traces)}"'
        + "></div>"
        f"<script>Plotly.newPlot({script_json(div_id)},{traces_json(data)},{script_json(layout)},{script_json(config)})"
        + HIDE_DRAWING
        + ";</script></div>"
    )


def traces_json(data: list) -> str:
    """The traces; those holding shared figures (:mod:`.references`) filled from the data file."""
    text = script_json(data)
    return f"autodiagFill({text})" if f'"{references.PREFIX}' in text else text


CAPTION = re.compile(r"(<table\b[^>]*>)(?!<caption>)")


def captioned(table_html: str, caption: str) -> str:
    """``table_html`` with a caption on its first table when it has none."""
    return CAPTION.sub(lambda m: m.group(1) + f"<caption>{esc(caption)}</caption>", table_html, count=1)


def figure_html(spec: dict, div_id: str, table_html: str) -> str:
    """A chart as a <figure>: its title (figcaption, the figure's name), a short summary (its
    description), the chart, and the table of its data captioned; the drawing itself is hidden
    from screen readers (loose numbers), the table carries its data."""
    title = describe.title(spec) or "Graphique"
    return (
        f'<figure class="figure" aria-labelledby="{div_id}-titre" aria-describedby="{div_id}-resume">'
        f'<figcaption id="{div_id}-titre">{esc(title)}</figcaption>'
        f'<p class="summary" id="{div_id}-resume">{references.filled(describe.summary(spec))}</p>'
        f"{chart_div(spec, div_id)}{captioned(table_html, 'Données du graphique : ' + title)}</figure>"
    )


@dataclass
class Chart:
    spec: dict
    table_html: str  # the chart's data, shown under it


@dataclass
class Report:
    title: str
    subtitle: str = ""
    blocks: list = field(default_factory=list)  # str (HTML) or Chart
    footer: str = FOOTER  # plain text, or several lines (provenance)
    running_header: str | None = None  # printed at the top of every page (the title by default)
    nav: list = field(default_factory=list)  # (text, href) links to the other pages of the site
    toc: bool = False  # a table of contents of the level-2 headings under the title
    headings: list = field(default_factory=list)  # (level, text, id) of every heading()
    # Files the page loads or links to (data scripts, downloads): path relative to the page's
    # folder -> bytes, written beside it.
    files: dict = field(default_factory=dict)
    # Rows of paged tables kept out of the page (tables.paged_table ``store``), None: inline;
    # ``lazy_data``: the rows of folded sections, loaded when one is opened.
    table_data: dict | None = None
    lazy_data: dict | None = None
    lazy_src: str = ""  # the data script of the folded sections, relative to the page
    paged: bool = False  # carry the paged tables' script (scripts.PAGED) whatever the blocks
    references: tuple = ()  # the data files of shared figures, relative to the page (site pages)

    def html(self, fragment: str) -> None:
        self.blocks.append(fragment)

    def heading(self, text: str, level: int = 2) -> None:
        """A heading; a level-2 one has an id from its text (the table of contents links to it)."""
        if level != 2:
            self.blocks.append(f"<h{level}>{esc(text)}</h{level}>")
            return
        base = slugify(text) or "section"
        taken = {h[2] for h in self.headings}
        anchor = next(
            f"{base}-{i}" if i else base
            for i in range(len(taken) + 1)
            if (f"{base}-{i}" if i else base) not in taken
        )
        self.headings.append((level, text, anchor))
        self.blocks.append(f'<h{level} id="{esc(anchor)}">{esc(text)}</h{level}>')

    def contents(self) -> str:
        """The table of contents (level-2 headings), or nothing."""
        items = [(text, anchor) for level, text, anchor in self.headings if level == 2]
        if not self.toc or len(items) < 2:
            return ""
        links = "".join(f'<li><a href="#{esc(anchor)}">{esc(text)}</a></li>' for text, anchor in items)
        return f'<nav class="toc" aria-labelledby="sommaire"><h2 id="sommaire">Sommaire</h2><ol>{links}</ol></nav>'

    def top(self) -> str:
        """Navigation, title, subtitle and table of contents."""
        subtitle = f'<p class="subtitle">{esc(self.subtitle)}</p>' if self.subtitle else ""
        return f"{nav_html(self.nav)}<h1>{esc(self.title)}</h1>{subtitle}{self.contents()}"

    def reference_scripts(self) -> str:
        return "".join(f'<script src="{esc(href)}"></script>' for href in self.references)

    def text(self, text: str, css_class: str | None = None) -> None:
        cls = f' class="{css_class}"' if css_class else ""
        self.blocks.append(f"<p{cls}>{esc(text)}</p>")

    def chart(self, spec: dict, table_html: str) -> None:
        self.blocks.append(Chart(spec, table_html))

    @property
    def has_paged_tables(self) -> bool:
        """Whether the page needs scripts.PAGED: a paged table, or the dashboard's pager."""
        marks = ('class="paged-table"', 'class="pager"')
        return self.paged or any(
            m in (b.table_html if isinstance(b, Chart) else b) for b in self.blocks for m in marks
        )

    @property
    def has_charts(self) -> bool:
        return any(isinstance(b, Chart) for b in self.blocks)

    def body_parts(self) -> list[str]:
        parts, n = [], 0
        for block in self.blocks:
            if isinstance(block, Chart):
                n += 1
                parts.append(figure_html(block.spec, f"fig-{n}", block.table_html))
            else:
                parts.append(block)
        return parts

    def head(self) -> str:
        """The page's head; :data:`MARKER` stands where plotly.js goes when it has charts."""
        return (
            '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(self.title)}</title><style>{CSS}\n{running_header_css(self.running_header or self.title)}</style>"
            + self.reference_scripts()
            + f"<script>{scripts.COMMON}</script>"
            + (f"<script>{scripts.PAGED}</script>" if self.has_paged_tables else "")
            + (MARKER if self.has_charts else "")
            + "</head>"
        )

    def body(self) -> str:
        return (
            f'<body>{SKIP_LINK}<main class="report" id="contenu">{self.top()}'
            + "".join(self.body_parts())
            + f"{footer_html(self.footer)}</main></body></html>\n"
        )

    def page(self) -> str:
        """The page with :data:`MARKER` in place of plotly.js (what :func:`plotlyjs.resolve` takes)."""
        return self.head() + self.body()

    def to_html(self, embed: Embed = Embed()) -> str:
        """The page as text (tests, small tools): plotly.js inline unless ``embed`` says otherwise."""
        return b"".join(plotlyjs.resolve(self.page(), embed)).decode("utf-8")

    def write(self, path: Path, embed: Embed = Embed()) -> int:
        """Write the page atomically (:func:`autodiag.safe_files.write_atomic`); returns its size."""

        write_side_files(Path(path).parent, self.files)
        return write_atomic(Path(path), plotlyjs.resolve(self.page(), embed))

    # --- in a notebook -------------------------------------------------------------------
    def show(self) -> None:
        """Display the report in a notebook: same blocks as the standalone page."""
        from IPython.display import HTML, display

        setup_notebook()
        # Each output a <div>: the page written from the notebook has one <main> around them all.
        # The shared figures' data file, before the first chart that reads it (site pages).
        data = self.reference_scripts()
        display(HTML(f'{data}<div class="report nb">{self.top()}</div>'))
        buffer: list[str] = []
        for block in self.blocks:
            if isinstance(block, Chart):
                if buffer:
                    display(HTML('<div class="report nb">' + "".join(buffer) + "</div>"))
                    buffer = []
                show_chart(block.spec, _next_chart_id(), block.table_html)
            else:
                buffer.append(block)
        if buffer:
            display(HTML('<div class="report nb">' + "".join(buffer) + "</div>"))


_NOTEBOOK_READY = False
_CHARTS_SHOWN = 0


def _next_chart_id() -> str:
    """Chart ids counted in the kernel (never ``id()``): the same run gives the same page."""
    global _CHARTS_SHOWN
    _CHARTS_SHOWN += 1
    return f"nbfig-{_CHARTS_SHOWN}"


def setup_notebook() -> None:
    """Once per kernel: the report's CSS and plotly.js. Under ``autodiag build`` / ``report``
    (:data:`plotlyjs.PLACEHOLDER_ENV` set) only :data:`MARKER`, replaced when the HTML is
    written (shared file or inline bundle); in a notebook run by hand, plotly.js itself."""
    global _NOTEBOOK_READY
    if _NOTEBOOK_READY:
        return
    from IPython.display import HTML, display

    # Under build / report the page's <head> holds the CSS: no <style> in the body.
    if plotlyjs.placeholder_wanted():
        display(HTML(MARKER))
    else:
        display(HTML(f'<style>{CSS}</style><script type="text/javascript">{plotly_js()}</script>'))
    _NOTEBOOK_READY = True


def show_chart(spec: dict, div_id: str, table_html: str = "") -> None:
    """A chart in a notebook: plotly's own mimetype for JupyterLab, offline HTML for nbconvert."""
    from IPython.display import display

    setup_notebook()
    bundle = {
        "application/vnd.plotly.v1+json": {
            "data": spec["data"],
            "layout": spec["layout"],
            "config": CHART_CONFIG,
        },
        "text/html": f'<div class="report nb">{figure_html(spec, div_id, table_html)}</div>',
    }
    display(bundle, raw=True)
