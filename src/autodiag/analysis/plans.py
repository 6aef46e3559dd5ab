"""Follow-up of the action plans at the next campaign.

The plan followed on a structure's page of campaign ``c`` is its latest retained plan of an
earlier campaign ``p`` (``autodiag ingest-plan``). Each action the team filled in is read with
what its question obtained at ``p`` (then) and at ``c`` (now); across a questionnaire change the
question is followed through the crosswalk (questions of `identique` themes, in order,
:func:`autodiag.analysis.change.question_map`), never by its code. Its outcome:

- **fait, amélioré**: status « fait » and more points now than then;
- **fait, sans amélioration**: status « fait », the same points or fewer;
- **fait, non comparable**: status « fait », but the question has no match now, or is not
  applicable (or empty) then or now;
- **non fait**: any other status (à lancer, en cours, abandonné, or none).
"""

from __future__ import annotations

from dataclasses import dataclass

from autodiag.analysis.change import question_map
from autodiag.analysis.frames import records
from autodiag.paths import sql_text
from autodiag.referentiel import crosswalk, questionnaires

DONE = "fait"
IMPROVED, NOT_IMPROVED, NOT_COMPARABLE, NOT_DONE = (
    "done_improved",
    "done_not_improved",
    "done_not_comparable",
    "not_done",
)
OUTCOMES = {
    IMPROVED: "fait, amélioré",
    NOT_IMPROVED: "fait, sans amélioration",
    NOT_COMPARABLE: "fait, non comparable",
    NOT_DONE: "non fait",
}


@dataclass(frozen=True)
class FollowedAction:
    code: str
    network: str
    plan_campaign: int
    plan_version: str
    campaign: int
    version: str
    question_id: str  # in the plan's questionnaire
    question_now: str | None  # its match in the campaign's questionnaire
    question: str | None
    action: str | None
    pilote: str | None
    echeance: str | None
    statut: str | None
    commentaire: str | None
    answer_then: str | None
    points_then: float | None
    answer_now: str | None
    points_now: float | None
    outcome: str


def outcome(statut: str | None, then: float | None, now: float | None) -> str:
    if statut != DONE:
        return NOT_DONE
    if then is None or now is None:
        return NOT_COMPARABLE
    return IMPROVED if now > then else NOT_IMPROVED


class FollowUp:
    """``follow_up(code)``: the actions of the plan followed on ``code``'s page of ``campaign``.
    The plans are read once for the campaign (all structures, or ``code``), the answers of a
    structure only when it has a plan."""

    def __init__(self, con, campaign: int, code: str | None = None):
        self.con, self.campaign = con, campaign
        rows = records(
            con.execute(sql_text("marts/followed_plans"), {"campagne": campaign, "code": code}).df()
        )
        self.actions: dict[str, list[dict]] = {}
        for row in rows:
            self.actions.setdefault(row["code_structure"], []).append(row)
        self._versions = None
        self._links = None

    def codes(self) -> list[str]:
        return sorted(self.actions)

    def __call__(self, code: str) -> list[FollowedAction]:
        rows = self.actions.get(code, [])
        if not rows:
            return []
        first = rows[0]
        then = self._answers(code, first["plan_campagne"])
        now = self._answers(code, self.campaign)
        matched = self._map(first["plan_version"], first["version"])
        found = []
        for row in rows:
            before = then.get(row["question_id"], {})
            match = matched.get(row["question_id"])
            after = now.get(match, {}) if match else {}
            found.append(
                FollowedAction(
                    code=code,
                    network=first["reseau"],
                    plan_campaign=first["plan_campagne"],
                    plan_version=first["plan_version"],
                    campaign=self.campaign,
                    version=first["version"],
                    question_id=row["question_id"],
                    question_now=match,
                    question=before.get("question"),
                    action=row["action"],
                    pilote=row["pilote"],
                    echeance=row["echeance"],
                    statut=row["statut"],
                    commentaire=row["commentaire"],
                    answer_then=before.get("answer"),
                    points_then=before.get("points"),
                    answer_now=after.get("answer"),
                    points_now=after.get("points"),
                    outcome=outcome(row["statut"], before.get("points"), after.get("points")),
                )
            )
        return found

    def _answers(self, code: str, campaign: int) -> dict[str, dict]:
        rows = records(
            self.con.execute(sql_text("marts/lever_answers"), {"campagne": campaign, "codes": [code]}).df()
        )
        return {r["question_id"]: r for r in rows}

    def _map(self, before: str, after: str) -> dict[str, str]:
        if self._versions is None:
            self._versions = questionnaires.load_all()
            self._links = crosswalk.load(self._versions)
        return question_map(self._versions, self._links, before, after)


def counts(actions: list[FollowedAction]) -> dict[str, int]:
    """Actions per outcome, in OUTCOMES order."""
    return {key: sum(a.outcome == key for a in actions) for key in OUTCOMES}
