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

from autodiag.reports import plotlyjs, scripts
from autodiag.reports.plotlyjs import MARKER, Embed
from autodiag.reports.tables import esc, script_json  # noqa: F401  (script_json: used by other pages)
from autodiag.safe_files import write_atomic
from autodiag.slugs import slugify

TOC_ID = re.compile(r'<h2 id="([^"]+)">')
TOC_HEADING = re.compile(r'^<h2 id="([^"]+)">(.*?)</h2>')

CSS = """
body { font-family: Arial, Helvetica, sans-serif; color: #1E1E1E; margin: 0; background: #FFFFFF; }
main.report { max-width: 1000px; margin: 0 auto; padding: 24px 32px 48px; }
main.report.nb { padding: 0 32px; }
main.report h1 { font-size: 24px; color: #000091; margin: 8px 0 4px; }
main.report h2 { font-size: 19px; color: #000091; border-bottom: 2px solid #000091; padding-bottom: 4px; margin-top: 36px; }
main.report h3 { font-size: 16px; margin: 22px 0 8px; }
main.report p.subtitle { color: #555; margin-top: 0; }
main.report p.note, main.report p.masked { font-size: 13px; color: #555; }
main.report p.masked { color: #8A3B00; font-style: italic; }
main.report p.empty { font-style: italic; color: #555; }
main.report .headline { font-size: 30px; font-weight: bold; color: #000091; margin: 6px 0 12px; }
main.report table.data { width: auto; border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; min-width: 50%; }
main.report table.data caption { text-align: left; font-weight: bold; padding: 4px 0; }
main.report table.data th, main.report table.data td { border: 1px solid #D0D0D0; padding: 4px 8px; text-align: left; vertical-align: top; }
main.report table.data th { background: #F0F0F8; }
main.report table.data td.num, main.report table.data th.num { text-align: right; }
main.report table.data td.num { white-space: nowrap; }
main.report table.data tr.total td { font-weight: bold; background: #F6F6F6; }
main.report table.identity { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
main.report table.identity th { text-align: left; font-weight: bold; padding: 3px 16px 3px 0; vertical-align: top; width: 24em; background: none; border: none; }
main.report table.identity td { text-align: left; padding: 3px 0; border: none; background: none; }
main.report ul.verbatims { list-style: none; padding-left: 0; }
main.report ul.verbatims li { border-left: 4px solid #000091; background: #F6F6FB; margin: 6px 0; padding: 6px 10px; white-space: pre-line; }
main.report ul.verbatims .who { color: #555; font-size: 12px; white-space: normal; }
main.report .chart { margin: 8px 0 4px; page-break-inside: avoid; break-inside: avoid; }
main.report .figure { margin-bottom: 18px; }
main.report nav.links ul { columns: 2; font-size: 13px; }
main.report details { margin: 4px 0 8px; }
main.report footer { margin-top: 40px; font-size: 12px; color: #777; }
div.nbpage { max-width: 1000px; margin: 0 auto; padding: 16px 0 48px; }
div.nbpage pre { font-size: 13px; margin: 4px 32px; white-space: pre-wrap; }
div.nbpage .output_html > table, div.nbpage .output_html table.dataframe { border-collapse: collapse; font-size: 13px; margin: 8px 32px 16px; }
div.nbpage table.dataframe th, div.nbpage table.dataframe td { border: 1px solid #D0D0D0; padding: 4px 8px; text-align: right; }
div.nbpage table.dataframe thead th { background: #F0F0F8; }
main.report table.data td.code, main.report table.data th.code { white-space: nowrap; }
main.report .table-wrap { max-width: 100%; overflow-x: auto; }
main.report nav.crumbs { font-size: 13px; margin: 0 0 8px; color: #555; }
main.report nav.crumbs a { margin-right: 4px; }
main.report .searchable { margin: 6px 0 14px; }
main.report input.search { font: inherit; font-size: 14px; padding: 4px 8px; width: 22em; max-width: 100%; border: 1px solid #888; border-radius: 3px; }
main.report .search-count { font-size: 12px; color: #555; margin-left: 8px; }
main.report .filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin: 8px 0 12px; font-size: 13px; }
main.report .filters label { display: flex; flex-direction: column; gap: 2px; }
main.report .filters select, main.report .filters input { font: inherit; padding: 3px 4px; max-width: 22em; }
main.report table.sortable th { cursor: pointer; user-select: none; }
main.report dl.key-figures { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 8px 0 16px; }
main.report dl.key-figures div { display: flex; flex-direction: column-reverse; }
main.report dl.key-figures dt { font-size: 13px; color: #555; }
main.report dl.key-figures dd { margin: 0; font-size: 26px; font-weight: bold; color: #000091; }
main.report table.data th button.sort { font: inherit; font-weight: bold; background: none; border: 0; padding: 0; color: inherit; cursor: pointer; text-align: inherit; }
main.report table.data th button.sort::after { content: " \\2195"; color: #666; font-weight: normal; }
main.report table.data th[aria-sort="ascending"] button.sort::after { content: " \\25B2"; color: #000091; }
main.report table.data th[aria-sort="descending"] button.sort::after { content: " \\25BC"; color: #000091; }
main.report table.data th button.sort:focus-visible, main.report nav.pager button:focus-visible { outline: 3px solid #000091; outline-offset: 2px; }
main.report nav.pager { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin: 4px 0 12px; font-size: 13px; }
main.report nav.pager button { font: inherit; padding: 4px 10px; border: 1px solid #000091; background: #FFFFFF; color: #000091; border-radius: 3px; cursor: pointer; }
main.report nav.pager button:disabled { border-color: #999; color: #666; cursor: default; }
main.report .print-only { display: none; }
main.report label.search-label { font-size: 13px; }
main.report nav.toc ol { columns: 2; font-size: 13px; margin: 4px 0 12px; }
main.report details > summary { cursor: pointer; }
main.report details > summary h2, main.report details > summary h3 { display: inline; }
main.report table.sortable th::after { content: " \\2195"; color: #999; font-weight: normal; }
main.report table.sortable th[aria-sort="ascending"]::after { content: " \\25B2"; color: #000091; }
main.report table.sortable th[aria-sort="descending"]::after { content: " \\25BC"; color: #000091; }
@page { size: A4; margin: 16mm 12mm 14mm;
  @bottom-right { content: "Page " counter(page) " sur " counter(pages); font: 9pt Arial, Helvetica, sans-serif; color: #555; } }
@media print {
  main.report input.search, main.report .search-count, main.report .filters, main.report nav.crumbs, main.report nav.pager { display: none; }
  main.report table.sortable th::after, main.report table.data th button.sort::after { content: none; }
  main.report .print-only { display: block; }
  main.report label.search-label { display: none; }
  main.report .keep, main.report table.data.keep { page-break-inside: avoid; break-inside: avoid; }
  html, body { width: auto; overflow: visible !important; }
  main.report, main.report.nb, div.nbpage { max-width: none; margin: 0; padding: 0; }
  main.report h1 { margin-top: 0; }
  main.report h2, main.report h3 { page-break-after: avoid; break-after: avoid; }
  main.report table.data { width: 100%; min-width: 0; table-layout: auto; font-size: 9.5pt; page-break-inside: auto; }
  main.report table.data th, main.report table.data td { padding: 2px 4px; white-space: normal; overflow-wrap: break-word; word-break: normal; }
  main.report table.data th.num { white-space: normal; }
  main.report table.data td.num, main.report table.data td.code { white-space: nowrap; overflow-wrap: normal; }
  main.report table.data td:first-child:not(.code):not(.num) { min-width: 9em; }
  main.report table.data td.code + td:not(.num) { min-width: 8em; }  /* the name after a code: not one word per line */
  main.report table.data tr { page-break-inside: avoid; break-inside: avoid; }
  main.report table.data thead { display: table-header-group; }
  main.report .table-wrap, main.report details, main.report .figure, .jp-OutputArea-output, .output_html { overflow: visible !important; max-width: none; }
  main.report .chart { page-break-inside: avoid; break-inside: avoid; }
  main.report .chart.tall { zoom: var(--print-zoom, 1); }
  main.report .modebar-container, main.report .modebar { display: none !important; }
  main.report nav.links ul { columns: 1; }
}
"""


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
    """The page's head without plotly.js (notebook pages: plotly.js comes with the first output)."""
    return Report(title).head()


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


def chart_div(spec: dict, div_id: str) -> str:
    layout = spec["layout"]
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
        f'<div class="chart{tall}"><div id="{div_id}" class="plotly-graph-div" style="{style}" data-traces="{esc(traces)}"></div>'
        f"<script>Plotly.newPlot({script_json(div_id)},{script_json(spec['data'])},{script_json(layout)},{script_json(config)});</script></div>"
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
    # Files the page loads or links to (data scripts, downloads): path relative to the page's
    # folder -> bytes, written beside it.
    files: dict = field(default_factory=dict)
    toc: bool = False  # a table of contents of the level-2 headings, with anchors, under the title
    # Rows of paged tables kept out of the page (tables.paged_table ``store``), None: inline;
    # ``lazy_data``: the rows of folded sections, loaded when one is opened.
    table_data: dict | None = None
    lazy_data: dict | None = None
    lazy_src: str = ""  # the data script of the folded sections, relative to the page

    def html(self, fragment: str) -> None:
        self.blocks.append(fragment)

    def heading(self, text: str, level: int = 2) -> None:
        if self.toc and level == 2:
            taken = {m for b in self.blocks if isinstance(b, str) for m in TOC_ID.findall(b)}
            anchor, n = slugify(text), 1
            while anchor in taken:
                n += 1
                anchor = f"{slugify(text)}-{n}"
            self.blocks.append(f'<h2 id="{anchor}">{esc(text)}</h2>')
            return
        self.blocks.append(f"<h{level}>{esc(text)}</h{level}>")

    def contents(self) -> str:
        """The table of contents: a link to each level-2 heading (empty without ``toc``)."""
        if not self.toc:
            return ""
        found = [
            TOC_HEADING.search(b) for b in self.blocks if isinstance(b, str) and b.startswith('<h2 id="')
        ]
        items = "".join(f'<li><a href="#{m.group(1)}">{m.group(2)}</a></li>' for m in found if m)
        return (
            f'<nav class="toc" aria-labelledby="sommaire"><h2 id="sommaire">Sommaire</h2><ol>{items}</ol></nav>'
            if items
            else ""
        )

    def text(self, text: str, css_class: str | None = None) -> None:
        cls = f' class="{css_class}"' if css_class else ""
        self.blocks.append(f"<p{cls}>{esc(text)}</p>")

    def chart(self, spec: dict, table_html: str) -> None:
        self.blocks.append(Chart(spec, table_html))

    @property
    def has_charts(self) -> bool:
        return any(isinstance(b, Chart) for b in self.blocks)

    def body_parts(self) -> list[str]:
        parts, n = [], 0
        for block in self.blocks:
            if isinstance(block, Chart):
                n += 1
                parts.append(
                    f'<div class="figure">{chart_div(block.spec, f"fig-{n}")}{block.table_html}</div>'
                )
            else:
                parts.append(block)
        return parts

    def head(self) -> str:
        """The page's head; :data:`MARKER` stands where plotly.js goes when it has charts."""
        return (
            '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(self.title)}</title><style>{CSS}\n{running_header_css(self.running_header or self.title)}</style>"
            f"<script>{scripts.COMMON}</script>" + (MARKER if self.has_charts else "") + "</head>"
        )

    def body(self) -> str:
        subtitle = f'<p class="subtitle">{esc(self.subtitle)}</p>' if self.subtitle else ""
        return (
            f'<body><main class="report">{nav_html(self.nav)}<h1>{esc(self.title)}</h1>{subtitle}{self.contents()}'
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
        display(
            HTML(
                f'<main class="report nb">{nav_html(self.nav)}<h1>{esc(self.title)}</h1>'
                + (f'<p class="subtitle">{esc(self.subtitle)}</p>' if self.subtitle else "")
                + self.contents()
                + "</main>"
            )
        )
        buffer: list[str] = []
        for block in self.blocks:
            if isinstance(block, Chart):
                if buffer:
                    display(HTML('<main class="report nb">' + "".join(buffer) + "</main>"))
                    buffer = []
                show_chart(block.spec, _next_chart_id(), block.table_html)
            else:
                buffer.append(block)
        if buffer:
            display(HTML('<main class="report nb">' + "".join(buffer) + "</main>"))


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

    script = (
        MARKER if plotlyjs.placeholder_wanted() else f'<script type="text/javascript">{plotly_js()}</script>'
    )
    display(HTML(f"<style>{CSS}</style>{script}"))
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
        "text/html": f'<main class="report nb"><div class="figure">{chart_div(spec, div_id)}{table_html}</div></main>',
    }
    display(bundle, raw=True)
