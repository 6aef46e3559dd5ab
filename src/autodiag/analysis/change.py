"""Why a rate changed: a structure's engagement rate between two campaigns, split into
answers, applicability and questionnaire.

The rate is points / applicable questions. Going from the earlier rate to the later one in
five steps, each over a set of questions, gives three parts that add up to the change exactly
(the arithmetic is done on fractions):

    r0  earlier campaign, every applicable question
    r1  earlier campaign, only the questions both campaigns ask        r1 - r0: questionnaire
    r2  earlier campaign, questions asked and applicable in both       r2 - r1: applicability
    r3  later campaign, the same questions as r2                       r3 - r2: answers
    r4  later campaign, questions both ask, applicable in the later    r4 - r3: applicability
    r5  later campaign, every applicable question                      r5 - r4: questionnaire

- **answers**: the same questions, answered differently;
- **applicability**: questions that became applicable or not (an empty answer counts as not
  applicable, as in the scores);
- **questionnaire**: questions added or removed by a version change.

A step whose set of questions is empty has no rate: its part joins the next step that has one.
Across two questionnaire versions, questions are matched through the crosswalk's `identique`
theme links (same questions, in the same order).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from autodiag.paths import sql_text
from autodiag.referentiel import crosswalk
from autodiag.referentiel.questionnaires import Question

# Which part each step's difference goes to (steps 1..5).
STEP_PART = ("questionnaire", "applicability", "answers", "applicability", "questionnaire")


@dataclass(frozen=True)
class Split:
    before: float | None  # rate in percent, unrounded
    after: float | None
    answers: float
    applicability: float
    questionnaire: float

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def _rate(points: dict[str, Fraction | None], keys: set[str]) -> Fraction | None:
    applicable = [points[k] for k in keys if points.get(k) is not None]
    if not applicable:
        return None
    # Exact, over one common denominator: adding Fractions one by one is slow (a build splits
    # thousands of changes).
    common = math.lcm(*{p.denominator for p in applicable})
    return Fraction(
        100 * sum(p.numerator * (common // p.denominator) for p in applicable), common * len(applicable)
    )


def split(before: dict[str, float | None], after: dict[str, float | None]) -> Split:
    """before / after: question key -> points (None when not applicable or empty), the keys of
    one side matched to the other's. Parts are exact: they add up to after - before."""
    old = {k: None if v is None else Fraction(v) for k, v in before.items()}
    new = {k: None if v is None else Fraction(v) for k, v in after.items()}
    common = set(old) & set(new)
    both = {k for k in common if old[k] is not None and new[k] is not None}
    rates = [
        _rate(old, set(old)),
        _rate(old, common),
        _rate(old, both),
        _rate(new, both),
        _rate(new, common),
        _rate(new, set(new)),
    ]
    parts = {"answers": Fraction(0), "applicability": Fraction(0), "questionnaire": Fraction(0)}
    previous = rates[0]
    for step, rate in enumerate(rates[1:]):
        if rate is None:
            continue  # an empty set of questions: its difference joins the next step's
        if previous is not None:
            parts[STEP_PART[step]] += rate - previous
        previous = rate
    return Split(
        before=None if rates[0] is None else float(rates[0]),
        after=None if rates[5] is None else float(rates[5]),
        answers=float(parts["answers"]),
        applicability=float(parts["applicability"]),
        questionnaire=float(parts["questionnaire"]),
    )


def question_map(
    questionnaires: dict[str, list[Question]], links: list[crosswalk.Link], before: str, after: str
) -> dict[str, str]:
    """Question id of the earlier version -> its match in the later one. The same version maps
    every question to itself; two versions match the questions of `identique` theme links,
    in order."""
    if before == after:
        return {q.question_id: q.question_id for q in questionnaires[before]}
    by_theme: dict[tuple[str, str], list[str]] = {}
    for version in (before, after):
        for q in questionnaires[version]:
            by_theme.setdefault((version, q.theme_id), []).append(q.question_id)
    matched: dict[str, str] = {}
    for link in links:
        if (link.before_version, link.after_version, link.link) != (before, after, "identique"):
            continue
        if link.before_level != "theme" or link.after_level != "theme":
            continue
        old, new = by_theme[(before, link.before)], by_theme[(after, link.after)]
        if len(old) == len(new):  # identique promises the same questions
            matched.update(zip(old, new))
    return matched


def predecessors(
    questionnaires: dict[str, list[Question]],
    links: list[crosswalk.Link],
    before: str,
    after: str,
    engagement: int,
) -> tuple[list[int], str]:
    """The earlier version's engagements that the later engagement continues, and the link
    (`identique`, `proche`, or `aucune` when there is none)."""
    if before == after:
        return [engagement], "identique"
    found = [
        k
        for k in links
        if (k.before_version, k.after_version) == (before, after)
        and (k.after_level, k.after) == ("engagement", f"E{engagement}")
        and k.before_level == "engagement"
        and k.comparable
    ]
    if not found:
        return [], "aucune"
    kind = "identique" if all(k.link == "identique" for k in found) else "proche"
    return [int(k.before[1:]) for k in found], kind


def engagement_changes(
    con,
    questionnaires: dict[str, list[Question]],
    links: list[crosswalk.Link],
    code: str,
    before: int,
    after: int,
) -> list[dict]:
    """One row per engagement of the later campaign: rates before and after, the three parts
    and the crosswalk link. Reads sql/marts/campaign_question_points.sql for both submissions."""

    rows = con.execute(
        sql_text("marts/campaign_question_points"), {"codes": [code, code], "campagnes": [before, after]}
    ).fetchall()
    read: dict[int, tuple[str, list]] = {}
    for _, campaign, version, *row in rows:
        read.setdefault(campaign, (version, []))[1].append(tuple(row))
    for campaign in (before, after):
        if campaign not in read:
            raise LookupError(f"aucune soumission de {code} pour la campagne {campaign}")
    (old_version, old_rows), (new_version, new_rows) = read[before], read[after]
    return changes_between(questionnaires, links, old_version, old_rows, new_version, new_rows)


def changes_between(
    questionnaires: dict[str, list[Question]],
    links: list[crosswalk.Link],
    old_version: str,
    old_rows: list,
    new_version: str,
    new_rows: list,
) -> list[dict]:
    """:func:`engagement_changes` from the question points already read (rows of
    sql/marts/campaign_question_points.sql after its structure, campaign and version: question,
    engagement, theme, status, points)."""
    matched = question_map(questionnaires, links, old_version, new_version)
    titles = {q.engagement: q.engagement_title for q in questionnaires[new_version]}
    result = []
    for engagement, title in titles.items():
        sources, link = predecessors(questionnaires, links, old_version, new_version, engagement)
        old_points = {
            matched.get(qid, f"avant:{qid}"): points
            for qid, number, _, _, points in old_rows
            if number in sources
        }
        new_points = {qid: points for qid, number, _, _, points in new_rows if number == engagement}
        parts = (
            split(old_points, new_points)
            if sources
            else Split(None, split({}, new_points).after, 0.0, 0.0, 0.0)
        )
        result.append(
            {
                "engagement": engagement,
                "title": title,
                "link": link,
                "rate_before": parts.before,
                "rate_after": parts.after,
                "change": parts.change,
                "answers": parts.answers,
                "applicability": parts.applicability,
                "questionnaire": parts.questionnaire,
            }
        )
    return result
