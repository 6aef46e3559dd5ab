"""Free texts (points forts, besoins d'appui): which say nothing."""

from __future__ import annotations

TRIVIAL_TEXTS = {
    "ras",
    "r.a.s",
    "r.a.s.",
    "neant",
    "néant",
    "rien",
    "rien a signaler",
    "rien à signaler",
    "-",
    "/",
}


def is_trivial(text: str) -> bool:
    """« RAS », « néant », « - » or blank: an answer that says nothing, left out of quote lists."""
    return text.strip().lower().strip(" .!") in TRIVIAL_TEXTS or not text.strip()
