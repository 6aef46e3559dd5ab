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
MAX_ENGAGEMENTS = 9  # the first questionnaire had 9 engagements, the 2024 one has 8
ENGAGEMENTS = range(1, MAX_ENGAGEMENTS + 1)
TEXT_FIELDS = ("points_forts", "besoin_appui")


def text_columns(engagements) -> tuple[str, ...]:
    """The free-text columns of a questionnaire's engagements, in export order."""
    return tuple(f"E{e}_{field}" for e in engagements for field in TEXT_FIELDS)


# Every free-text column any questionnaire may have: a file's version is only known row by row.
TEXT_COLUMNS = text_columns(ENGAGEMENTS)
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
