"""Why each structure's rates changed, for the many structure pages of a build: the question
points are read for a batch of structures in one query (not two queries per page, each reading
every answer), the questionnaires and the crosswalk once. Same rows as
``Autodiag.rate_changes`` (both split with :func:`autodiag.analysis.change.changes_between`).
"""

from __future__ import annotations

from collections.abc import Callable

from autodiag.analysis.change import changes_between
from autodiag.paths import sql_text
from autodiag.referentiel import crosswalk, questionnaires

BATCH = 500  # structures per read: bounded memory, the answers read once per batch


class BatchChanges:
    """``changes(code, before)``: the engagement change rows of ``code`` from campaign
    ``before`` to ``campaign``. ``plan(codes)`` names the pages about to be rendered, in order:
    each read then covers the next :data:`BATCH` of them."""

    def __init__(self, db, campaign: int, earlier: Callable[[str], int | None]):
        self.con, self.campaign, self.earlier = db.con, campaign, earlier
        self.questionnaires = questionnaires.load_all()
        self.links = crosswalk.load(self.questionnaires)
        self.order: list[str] = []
        self.points: dict = {}  # (code, campaign) -> (version, rows)

    def plan(self, codes: list[str]) -> None:
        self.order = [code for code in codes if self.earlier(code) is not None]

    def __call__(self, code: str, before: int) -> list[dict]:
        if (code, before) not in self.points or (code, self.campaign) not in self.points:
            self._read(code, before)
        try:
            old_version, old_rows = self.points[(code, before)]
            new_version, new_rows = self.points[(code, self.campaign)]
        except KeyError:
            raise LookupError(
                f"aucune soumission de {code} pour les campagnes {before} et {self.campaign}"
            ) from None
        return changes_between(self.questionnaires, self.links, old_version, old_rows, new_version, new_rows)

    def _read(self, code: str, before: int) -> None:
        start = self.order.index(code) if code in self.order else None
        batch = self.order[start : start + BATCH] if start is not None else [code]
        pairs = [(c, self.campaign) for c in batch] + [
            (c, before if c == code else self.earlier(c)) for c in batch
        ]
        self.points = {}
        rows = self.con.execute(
            sql_text("marts/campaign_question_points"),
            {"codes": [c for c, _ in pairs], "campagnes": [int(c) for _, c in pairs]},
        ).fetchall()
        for row_code, campaign, version, *row in rows:
            self.points.setdefault((row_code, campaign), (version, []))[1].append(tuple(row))
