"""Shared figures of a site page, read from the campaign's data file instead of written in it.

The figures many pages show (a network's quartiles, the medians of peer groups, the shares of
« Oui » and the structures to contact behind each lever, the national means beside a network)
live in one small script per campaign, ``data/reperes-<campagne>.js``, loaded by a relative
``<script src>`` (it works from ``file://``). A page names each such figure by a key:

- in a table, ``cell(key)``: a ``<span data-ref>`` filled by the page script;
- in a chart, ``token(key)``: a string the page script replaces before plotly draws.

So a structure page depends on its own answers only, and one new file rewrites its own page,
the data file and its network's pages, not thousands of pages. A standalone report (one file,
sent around) still writes every figure in itself: these keys are for the site only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from autodiag.reports.tables import Html, esc, script_json

PREFIX = "@ref:"  # a chart value read from the data file
END = "\u2063"  # ends a token inside a text (a chart's summary)
PENDING = "…"  # shown until the page script fills the cell
GLOBAL = "AUTODIAG_REPERES"


def src(campaign: int, network_slug: str | None = None) -> str:
    """The campaign's data file (or one network's), relative to the site's root."""
    return (
        f"data/reperes-{campaign}.js"
        if network_slug is None
        else f"data/reperes-{campaign}-{network_slug}.js"
    )


def key(*parts: object) -> str:
    """One figure's key: its parts joined by « | » (names never hold that character alone)."""
    return "|".join("" if p is None else str(p) for p in parts)


def token(name: str) -> str:
    return PREFIX + name


def cell(name: str) -> Html:
    """A table cell filled from the data file."""
    return Html(f'<span data-ref="{esc(name)}">{PENDING}</span>')


def filled(text: str) -> str:
    """``text`` escaped, each token it holds (ended by END) as a cell filled from the data file."""
    return re.sub(
        re.escape(esc(PREFIX)) + "(.*?)" + END,
        lambda m: f'<span data-ref="{m.group(1)}">{PENDING}</span>',
        esc(text),
    )


def tokens(names: list[str]) -> list[str]:
    return [token(n) for n in names]


def script(values: dict) -> bytes:
    """A data file: its figures by key, sorted (same figures, same bytes), added to those of the
    page's other data files."""
    return (
        f"window.{GLOBAL}=window.{GLOBAL}||{{}};Object.assign(window.{GLOBAL},"
        f"{script_json(dict(sorted(values.items())))});\n"
    ).encode()


@dataclass(frozen=True)
class Site:
    """A site page's data files of shared figures (``hrefs`` relative to the page)."""

    campaign: int
    hrefs: tuple[str, ...]


def masked_note_slot(note_html: str, scope: str) -> str:
    """The masking note, shown by the page script only when a filled cell of the element
    ``scope`` (an id) turned out masked."""
    return f'<div data-ref-masked="{esc(scope)}" hidden>{note_html}</div>'


# Chart values that come from the data file: (trace index, path in the trace, name of the value).
Path_ = tuple[int, tuple[str, ...], str]


def extract(spec: dict, paths: list[Path_]) -> dict[str, list]:
    """The values at ``paths`` of a chart drawn with the shared figures (the data file's side)."""
    found = {}
    for trace, path, name in paths:
        value = spec["data"][trace]
        for part in path:
            value = value[part]
        found[name] = list(value)
    return found


def substitute(spec: dict, paths: list[Path_], name_of) -> dict:
    """``spec`` with the values at ``paths`` replaced by tokens: ``name_of(name, i)`` is the key
    of the i-th value (the page's side)."""
    for trace, path, name in paths:
        holder = spec["data"][trace]
        for part in path[:-1]:
            holder = holder[part]
        holder[path[-1]] = [token(name_of(name, i)) for i in range(len(holder[path[-1]]))]
    return spec
