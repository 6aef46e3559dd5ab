"""« S'inspirer de » (issue 10): on each of a network's weakest themes, the network's own
structures that score well on it and have improved, so that an analyst knows whom to call.

The rule, on one theme of one campaign:

- **scores well**: the theme rate is at least :data:`HIGH` (75 %), on enough applicable
  questions (at least half of the theme's questions; fewer is « peu de questions applicables »,
  as elsewhere in the reports);
- **has improved**: the rate is at least :data:`MIN_GAIN` point above the structure's rate at
  its most recent earlier campaign (whichever it is, not necessarily the campaign just before);
  on the same questionnaire version the same theme, across a version change only the theme
  the crosswalk links to it as `identique` or `proche` (never matched by code);
- a structure that scores well but has no earlier campaign, or whose earlier campaign gives no
  comparable rate (theme not applicable then, no crosswalk link), is not among those to call:
  it is named apart, as « au-dessus du seuil, sans campagne antérieure comparable »;
- a structure that scores well but fell or stayed level, or that improved but stays below the
  threshold, is not listed.

Only the network's own structures are read (the current campaign's scores and free texts are
filtered on the network); a structure's earlier rate is its own history.
"""

from __future__ import annotations

from dataclasses import dataclass

from autodiag.analysis.privacy import Confidentiality

HIGH = 75.0  # a theme rate at least this high « scores well » (percent)
MIN_GAIN = 1.0  # points of percentage: a smaller rise reads « +0,4 pts », not an improvement
LOW_COVERAGE = 0.5  # under half of the theme's questions applicable: too few to call it a strength
THEMES = 5  # how many of the network's weakest themes (as in the network report)

IMPROVED = "improved"
NO_EARLIER = "no_earlier"
NOT_IMPROVED = "not_improved"  # fell, stayed level or rose by less than MIN_GAIN: not listed


@dataclass(frozen=True)
class Contact:
    unit: str  # the theme, in the campaign's questionnaire
    engagement: int
    code: str
    name: str
    version: str  # the campaign's questionnaire
    rate: float
    applicable: int
    n_questions: int
    status: str  # IMPROVED or NO_EARLIER: a NOT_IMPROVED structure is not listed (no Contact)
    campaign_before: int | None = None
    version_before: str | None = None
    unit_before: str | None = None  # the theme it continues in the earlier questionnaire
    link: str | None = None  # identique or proche (crosswalk; identique on the same version)
    rate_before: float | None = None
    strengths: str | None = None  # « points forts » on the theme's engagement, this campaign

    @property
    def change(self) -> float | None:
        return None if self.rate_before is None else self.rate - self.rate_before


def scores_well(row: dict) -> bool:
    """A theme score record (``rate``, ``applicable``, ``n_questions``) at or above the threshold,
    on at least half of its questions."""
    if row.get("rate") is None or not row.get("n_questions"):
        return False
    return row["rate"] >= HIGH and (row["applicable"] or 0) / row["n_questions"] >= LOW_COVERAGE


def weakest_units(summary: list[dict], n: int, privacy: Confidentiality) -> list[str]:
    """The ``n`` weakest themes of one network's summary rows for one campaign (the rule of the
    network report's « Thèmes les plus faibles »): by mean (then code), only themes rated in at
    least ``min_group_size`` structures."""

    rows = [r for r in summary if r["level"] == "theme" and privacy.visible(r)]
    return [r["unit"] for r in sorted(rows, key=lambda r: (r["mean"], r["unit"]))[:n]]


def contacts(
    scores: list[dict], earlier: list[dict], texts: list[dict], units: list[str], source
) -> dict[str, list[Contact]]:
    """For each theme of ``units``: the structures that score well, those that improved first
    (largest rise first), then those without a comparable earlier rate (highest rate first).

    ``scores``: score records of the campaign and network (database names: ``code_structure``,
    ``level``, ``unit``...); ``earlier``: sql/marts/earlier_theme_scores.sql records; ``texts``:
    free texts of the campaign and network; ``source(version_before, version, unit)``: the
    crosswalk look-up (:func:`autodiag.analysis.versions.source` with level ``theme``)."""
    before: dict[str, dict[str, dict]] = {}
    for row in earlier:
        before.setdefault(row["code_structure"], {})[row["unit"]] = row
    strengths = {
        (t["code_structure"], t["engagement"]): t["text"] for t in texts if t["field"] == "points_forts"
    }
    themes: dict[str, list[dict]] = {}  # each theme's rows, in their order: read once, not once per theme
    for row in scores:
        if row["level"] == "theme":
            themes.setdefault(row["unit"], []).append(row)
    found: dict[str, list[Contact]] = {}
    for unit in units:
        improved, unproven = [], []
        for row in themes.get(unit, []):
            if not scores_well(row):
                continue
            contact = _contact(row, before.get(row["code_structure"], {}), strengths, source)
            if contact is None:
                continue
            if contact.status == NO_EARLIER:
                unproven.append(contact)
            elif contact.status == IMPROVED:
                improved.append(contact)
        improved.sort(key=lambda c: (-c.change, c.code))
        unproven.sort(key=lambda c: (-c.rate, c.code))
        found[unit] = improved + unproven
    return found


def _contact(row: dict, earlier: dict[str, dict], strengths: dict, source) -> Contact | None:
    """The structure of ``row`` as a contact, or None when it is not listed (not improved)."""
    any_row = next(iter(earlier.values()), None)
    found = then = None
    if any_row is not None:
        found = source(any_row["version"], row["version"], row["unit"])
        then = earlier.get(found.unit) if found.comparable else None
        if then is not None and then["rate"] is not None and row["rate"] - then["rate"] < MIN_GAIN:
            return None  # NOT_IMPROVED: a national network has tens of thousands of these rows
    base = {
        "unit": row["unit"],
        "engagement": row["engagement"],
        "code": row["code_structure"],
        "name": row["nom_structure"],
        "version": row["version"],
        "rate": row["rate"],
        "applicable": row["applicable"],
        "n_questions": row["n_questions"],
        "strengths": strengths.get((row["code_structure"], row["engagement"])),
    }
    if any_row is None:
        return Contact(status=NO_EARLIER, **base)
    if then is None or then["rate"] is None:
        return Contact(
            status=NO_EARLIER, campaign_before=any_row["campagne"], version_before=any_row["version"], **base
        )
    return Contact(
        status=IMPROVED,
        campaign_before=then["campagne"],
        version_before=then["version"],
        unit_before=found.unit,
        link=found.link,
        rate_before=then["rate"],
        **base,
    )
