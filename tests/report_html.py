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


def dashboard_rows(page: str) -> list[dict]:
    """The structure records embedded in the dashboard (JSON read by its script)."""
    import json

    text = re.search(
        r'<script type="application/json" id="structures-data">(.*?)</script>', page, re.S
    ).group(1)
    return json.loads(text)["rows"]


def hrefs(page: str) -> set[str]:
    """Every link of a page, unescaped: href attributes and, on the dashboard, the embedded rows."""
    found = {html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)}
    if 'id="structures-data"' in page:
        for row in dashboard_rows(page):
            found |= {row["href"]} | ({row["reseau_href"]} if row["reseau_href"] else set())
    return found


def outside_links(page: str) -> list[str]:
    """The page's links (scripts left out) to anything but an anchor of its own or the web."""
    text = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)
    return sorted(h for h in hrefs(text) if not h.startswith(("#", "https://")))
