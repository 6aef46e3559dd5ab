"""What a questionnaire version holds, and what changed between two versions.

Used by `autodiag referentiel list|show|diff`. The comparison is made by identifier
(engagement number, theme id, question id); when the crosswalk links the two versions, its
links are given first, since identifiers may change meaning across a reorganisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autodiag.referentiel.questionnaires import Question


@dataclass(frozen=True)
class Summary:
    version: str
    engagements: int
    themes: int
    questions: int
    campaigns: tuple[int, ...]


@dataclass
class Diff:
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (level, code, title)
    removed: list[tuple[str, str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str, str, str]] = field(default_factory=list)  # (level, code, before, after)
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # (question, what, detail)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.changed)


def summary(version: str, questions: list[Question], campaigns: dict[int, str]) -> Summary:
    return Summary(
        version,
        len({q.engagement for q in questions}),
        len({q.theme_id for q in questions}),
        len(questions),
        tuple(sorted(c for c, v in campaigns.items() if v == version)),
    )


def engagement_titles(questions: list[Question]) -> dict[str, str]:
    return {f"E{q.engagement}": q.engagement_title for q in questions}


def theme_titles(questions: list[Question]) -> dict[str, str]:
    return {q.theme_id: q.theme_title for q in questions}


def diff(before: list[Question], after: list[Question]) -> Diff:
    result = Diff()
    for level, titles in (
        ("engagement", engagement_titles),
        ("theme", theme_titles),
        ("question", lambda qs: {q.question_id: q.question for q in qs}),
    ):
        old, new = titles(before), titles(after)
        result.removed += [(level, code, old[code]) for code in old if code not in new]
        result.added += [(level, code, new[code]) for code in new if code not in old]
        result.renamed += [
            (level, code, old[code], new[code]) for code in old if code in new and old[code] != new[code]
        ]
    old_questions = {q.question_id: q for q in before}
    for q in after:
        was = old_questions.get(q.question_id)
        if was is None:
            continue
        if was.theme_id != q.theme_id:
            result.changed.append((q.question_id, "thème", f"{was.theme_id} → {q.theme_id}"))
        if was.kind != q.kind:
            result.changed.append((q.question_id, "type", f"{was.kind} → {q.kind}"))
        if was.options != q.options:
            result.changed.append(
                (q.question_id, "options", f"{' | '.join(was.options)} → {' | '.join(q.options)}")
            )
        if was.thresholds != q.thresholds:
            result.changed.append((q.question_id, "seuils", f"{_thresholds(was)} → {_thresholds(q)}"))
    return result


def _thresholds(q: Question) -> str:
    return " | ".join(f"{n}:{_points(p)}" for n, p in q.thresholds) or "aucun"


def _points(value: float) -> str:
    return f"{value:g}".replace(".", ",")
