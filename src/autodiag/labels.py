"""User-facing labels shared by the terminal (``autodiag show``) and the HTML reports,
worded as in the official « Vision par structure » report."""

from __future__ import annotations

NO_DATA = "Aucune donnée"

# Free-text fields of each engagement (columns E<n>_<field> of the export), with their titles.
TEXT_FIELDS = {
    "points_forts": "Points forts au bénéfice des usagers",
    "besoin_appui": "Besoin d'appui, afin d'améliorer l'expérience des usagers, la qualité de service au sein de votre structure",
}


def text_field_heading(engagement: int, field: str) -> str:
    """« Engagement 3 - Points forts au bénéfice des usagers »."""
    return f"Engagement {engagement} - {TEXT_FIELDS[field]}"


# Short titles of the eight engagements, for chart legends and table headers.
ENGAGEMENT_SHORT_TITLES = {
    1: "Accueil et droit à l'erreur",
    2: "Contact",
    3: "Accompagnement",
    4: "Délais",
    5: "Information",
    6: "Résultats publiés",
    7: "Avis des usagers",
    8: "Environnement",
}


def engagement_label(engagement: int) -> str:
    """« E1 — Accueil et droit à l'erreur » (« E9 » for an engagement without short title)."""
    short = ENGAGEMENT_SHORT_TITLES.get(int(engagement))
    return f"E{engagement} — {short}" if short else f"E{engagement}"


def theme_code(unit: str) -> str:
    """The one way reports write a theme code: « E3 T5 » (the database's id is E3_T5)."""
    return str(unit).replace("_", " ")
