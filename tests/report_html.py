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
        out.append([[html.unescape(TAG.sub("", c)).strip() for c in CELL.findall(row)] for row in ROW.findall(body)])
    return out


def theme_tables(page: str) -> list[list[list[str]]]:
    """The per-engagement theme tables of a structure report, in order."""
    return [t for t in tables(page) if t and t[0] and t[0][0] == "Résultats détaillés"]


def text_cells(page: str) -> set[str]:
    return {cell for t in tables(page) for row in t for cell in row}
