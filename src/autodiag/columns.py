"""Column names of the answer export, and how a header cell is matched to them."""

from __future__ import annotations

import re
import unicodedata

IDENTITY_COLUMNS = (
    "code_structure",
    "nom_structure",
    "reseau",
    "typologie",
    "localisation",
    "campagne",
    "date_enregistrement",
    "nb_agents_contributeurs",
    "nb_agents_interaction",
)
REQUIRED_IDENTITY = ("code_structure", "nom_structure", "reseau", "campagne", "date_enregistrement")
ENGAGEMENTS = range(1, 9)
TEXT_FIELDS = ("points_forts", "besoin_appui")
TEXT_COLUMNS = tuple(f"E{e}_{field}" for e in ENGAGEMENTS for field in TEXT_FIELDS)
QUESTION_PATTERN = re.compile(r"E\d+_Q\d+")


def header_key(name: str) -> str:
    """Case-, accent- and surrounding-space-insensitive key of a header cell."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", "_", bare.strip().lower())


def canonical_names(question_ids: set[str]) -> dict[str, str]:
    """header key -> canonical column name, for every column the contract knows."""
    names = [*IDENTITY_COLUMNS, *sorted(question_ids), *TEXT_COLUMNS]
    return {header_key(n): n for n in names}
