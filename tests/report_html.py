"""Reading the report HTML back in tests: tables as lists of cell texts."""

from __future__ import annotations

import html
import re

TABLE = re.compile(r"<table[^>]*>(.*?)</table>", re.S)
ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
TAG = re.compile(r"<[^>]+>")


def tables(page: str) -> list[list[list[str]]]:
    out = []
    for body in TABLE.findall(page):
        out.append(
            [[html.unescape(TAG.sub("", c)).strip() for c in CELL.findall(row)] for row in ROW.findall(body)]
        )
    return out


def theme_tables(page: str) -> list[list[list[str]]]:
    """The per-engagement theme tables of a structure report, in order."""
    return [t for t in tables(page) if t and t[0] and t[0][0] == "Résultats détaillés"]


def text_cells(page: str) -> set[str]:
    return {cell for t in tables(page) for row in t for cell in row}


def dashboard_data(source) -> dict:
    """campaign -> the structure list's data of a dashboard: ``source`` is its Report (its
    ``files``) or the site's folder (outputs/data/structures-<campaign>.js)."""
    import json
    from pathlib import Path

    if isinstance(source, (str, Path)):
        files = {
            p.relative_to(source).as_posix(): p.read_bytes()
            for p in Path(source).glob("data/structures-*.js")
        }
    else:
        files = source.files
    found = {}
    for data in files.values():
        match = re.fullmatch(r'.*window\.AUTODIAG_DATA\["(\d+)"\]=(.*);\n', data.decode("utf-8"), re.S)
        if match:
            found[int(match.group(1))] = json.loads(match.group(2))
    return found


def dashboard_rows(source) -> list[dict]:
    """The structure records of a dashboard (see :func:`dashboard_data`), rates as the page prints them."""
    from autodiag import formatting as fmt

    rows = []
    for campaign, data in sorted(dashboard_data(source).items()):
        for code, name, net, typ, slug, overall, rates in data["rows"]:
            network, network_href = data["networks"][net]
            href = slug if slug and "/" in slug else data["prefix"] + (slug or code.lower()) + ".html"
            rows.append(
                {
                    "campagne": campaign,
                    "code": code,
                    "nom": name,
                    "reseau": network,
                    "reseau_href": network_href,
                    "typologie": None if typ is None else data["typologies"][typ],
                    "href": href,
                    "global": fmt.rate(overall),
                    "engagements": {
                        str(e): fmt.rate(v) for e, v in zip(data["engagements"], rates) if v is not None
                    },
                }
            )
    return rows


def hrefs(page: str, root=None) -> set[str]:
    """Every link of a page, unescaped: href attributes and, for a dashboard given its site's
    folder ``root``, the structure list's rows."""
    found = {html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)}
    if root is not None and 'id="structures"' in page:
        for row in dashboard_rows(root):
            found |= {row["href"]} | ({row["reseau_href"]} if row["reseau_href"] else set())
    return found


def outside_links(page: str) -> list[str]:
    """The page's links (scripts left out) to anything but an anchor of its own or the web."""
    text = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)
    return sorted(h for h in hrefs(text) if not h.startswith(("#", "https://")))
