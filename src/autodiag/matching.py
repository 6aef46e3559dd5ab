"""Close matches of a mistyped name, one rule for the CLI (commands) and the API (filters).

The rule is Click's own (difflib.get_close_matches, cutoff 0.6, at most 3), applied to keys
that ignore case, accents and surrounding spaces: « universites et ecoles » is close to
« Universités et écoles »."""

from __future__ import annotations

import difflib
import unicodedata


def match_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def same_but_accents(word: str, candidates: list[str]) -> str | None:
    """The one candidate equal to ``word`` but for case, accents and spaces (« Grandes ecoles »
    is « Grandes écoles »); None when there is none, or more than one."""
    found = {c for c in candidates if match_key(c) == match_key(word)}
    return found.pop() if len(found) == 1 else None


def close_matches(word: str, candidates: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates close to ``word``, closest first."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(match_key(candidate), candidate)
    return [by_key[k] for k in difflib.get_close_matches(match_key(word), list(by_key), n=n, cutoff=0.6)]


def quoted(names: list) -> str:
    """« a », « b » et « c »."""
    parts = [f"« {name} »" for name in names]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " ou " + parts[-1]


def suggestion(word: str, candidates: list[str]) -> str:
    """« (vouliez-vous dire « a » ou « b » ?) », or « » when nothing is close."""
    matches = close_matches(word, candidates)
    return f" (vouliez-vous dire {quoted(matches)} ?)" if matches else ""
