"""Answer-quality flags: the retained submissions whose answers deserve a second look.

Each kind of flag is one query of sql/marts/quality_*.sql, with its threshold bound from here
(docs/qualite-des-reponses.md states the same rules). Flags are warnings, not integrity failures: a flagged
answer may well be true, the analyst checks it with the structure.

- ``straight_lining``: every answered scale question got the same answer (at least
  MIN_ANSWERED of them);
- ``jump``: an engagement rate moved more than MAX_JUMP points since the structure's most
  recent earlier campaign (across questionnaire versions, only crosswalk links identique/proche);
- ``not_applicable_share`` / ``missing_share``: a share of « non applicable » (or empty) answers
  above max(Q3 + 1,5 × IQR, median + MIN_GAP points) of the network's submissions that campaign
  (of the whole campaign when the network has fewer than MIN_NETWORK);
- ``contradiction``: two answers that the questionnaire makes incompatible, for the pairs of
  data/referentiels/contradictions.csv (our reading of the questionnaire, not an official rule).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from autodiag import formatting as fmt
from autodiag.analysis import versions
from autodiag.paths import CONTRADICTIONS_FILE, sql_text
from autodiag.referentiel import crosswalk
from autodiag.referentiel.questionnaires import Question, ReferentielError, load_all
from autodiag.referentiel.rule_tables import read_rows
from autodiag.safe_files import atomic_file, safe_text

MIN_ANSWERED = 20  # straight-lining: fewer answered scale questions prove nothing
MAX_JUMP = 40.0  # points of percentage between two campaigns of one structure
MIN_GAP = 10.0  # a share is unusual only this many points above the median, at least
MIN_NETWORK = 5  # below this many submissions, a network's quartiles mean nothing: national ones

# Kind -> its French name, in the order flags are listed.
KINDS = {
    "straight_lining": "Réponses identiques",
    "jump": "Saut improbable",
    "not_applicable_share": "Part inhabituelle de « non applicable »",
    "missing_share": "Part inhabituelle de réponses vides",
    "contradiction": "Contradiction",
}
# Kind -> its rule, in the words the CLI and the report print.
RULES = {
    "straight_lining": f"toutes les questions à échelle répondues ont la même réponse (au moins {MIN_ANSWERED} répondues)",
    "jump": f"un taux d'engagement varie de plus de {MAX_JUMP:.0f} points depuis la campagne précédente de la structure "
    "(entre deux questionnaires, seulement les engagements liés « identique » ou « proche »)",
    "not_applicable_share": f"part de « non applicable » au-delà de max(Q3 + 1,5 × écart interquartile, médiane + "
    f"{MIN_GAP:.0f} points) du réseau pour la campagne (national si moins de {MIN_NETWORK} soumissions)",
    "missing_share": f"part de réponses vides au-delà de max(Q3 + 1,5 × écart interquartile, médiane + "
    f"{MIN_GAP:.0f} points) du réseau pour la campagne (national si moins de {MIN_NETWORK} soumissions)",
    "contradiction": "deux réponses incompatibles selon le questionnaire (paires de data/referentiels/contradictions.csv, "
    "lecture autodiag, non officielle)",
}
COLUMNS = [
    "campagne",
    "reseau",
    "code_structure",
    "nom_structure",
    "flag",
    "engagement",
    "value",
    "threshold",
    "detail",
]
PAIR_COLUMNS = ("version", "question", "reponse", "question_liee", "reponse_liee", "raison", "source")
ABSENT = "non coché :"  # reponse_liee of a multiple choice: none of these options ticked
SCALE_ANSWERS = ("Non", "Initié", "Partiellement", "Oui")


@dataclass(frozen=True)
class Pair:
    version: str
    question: str
    answer: str
    other: str
    other_answer: str | None  # a scale answer, or None for a multiple choice
    other_absent: str | None  # the options (joined by |) none of which is ticked
    reason: str


def load_pairs(questionnaires: dict[str, list[Question]], path: Path = CONTRADICTIONS_FILE) -> list[Pair]:
    """Read and check the contradiction pairs against the questionnaires; no file, no pair."""
    return [_pair(path.name, line, row, questionnaires) for line, row in read_rows(path, PAIR_COLUMNS)]


def _pair(name: str, line: int, row: dict[str, str], questionnaires: dict[str, list[Question]]) -> Pair:
    where = f"{name}, ligne {line}"
    values = {c: (row[c] or "").strip() for c in PAIR_COLUMNS}
    if values["version"] not in questionnaires:
        raise ReferentielError(f"{where} : questionnaire « {values['version']} » inconnu")
    by_id = {q.question_id: q for q in questionnaires[values["version"]]}
    for column in ("question", "question_liee"):
        if values[column] not in by_id:
            raise ReferentielError(
                f"{where}, colonne {column} : « {values[column]} » n'est pas une question du "
                f"questionnaire {values['version']}"
            )
    first, other = by_id[values["question"]], by_id[values["question_liee"]]
    if first.kind != "scale" or values["reponse"] not in SCALE_ANSWERS:
        raise ReferentielError(
            f"{where}, colonne reponse : une question à échelle et l'une des réponses "
            f"{', '.join(SCALE_ANSWERS)}"
        )
    if not values["raison"]:
        raise ReferentielError(f"{where}, colonne raison : vide (dites pourquoi en quelques mots)")
    linked = values["reponse_liee"]
    if other.kind == "multi":
        options = (
            [o.strip() for o in linked.removeprefix(ABSENT).split("|")] if linked.startswith(ABSENT) else []
        )
        unknown = [o for o in options if o not in other.options]
        if not options or unknown:
            raise ReferentielError(
                f"{where}, colonne reponse_liee : « {ABSENT} option|option » avec des options de "
                f"{other.question_id}" + (f" (inconnue(s) : {', '.join(unknown)})" if unknown else "")
            )
        return Pair(
            values["version"],
            first.question_id,
            values["reponse"],
            other.question_id,
            None,
            "|".join(options),
            values["raison"],
        )
    if linked not in SCALE_ANSWERS:
        raise ReferentielError(
            f"{where}, colonne reponse_liee : l'une des réponses {', '.join(SCALE_ANSWERS)}"
        )
    return Pair(
        values["version"],
        first.question_id,
        values["reponse"],
        other.question_id,
        linked,
        None,
        values["raison"],
    )


def _pair_params(pairs: list[Pair]) -> dict:
    return {
        "pair_version": [p.version for p in pairs],
        "pair_question": [p.question for p in pairs],
        "pair_label": [p.answer for p in pairs],
        "pair_other": [p.other for p in pairs],
        "pair_other_label": [p.other_answer for p in pairs],
        "pair_other_absent": [p.other_absent for p in pairs],
        "pair_reason": [p.reason for p in pairs],
    }


def _link_params(links: list[crosswalk.Link]) -> dict:
    """The engagement each engagement continues across a version change, as the jump query's
    lists: the trends' rule (reports.versions.source: one comparable link of the same level)."""

    known = tuple(links)
    wanted = sorted(
        {(k.before_version, k.after_version, k.after) for k in links if k.after_level == "engagement"}
    )
    kept = [
        (before, after, unit, versions.source(before, after, "engagement", unit, known))
        for before, after, unit in wanted
    ]
    kept = [(before, after, unit, found.unit) for before, after, unit, found in kept if found.comparable]
    return {
        "link_before_version": [k[0] for k in kept],
        "link_before": [k[3] for k in kept],
        "link_after_version": [k[1] for k in kept],
        "link_after": [k[2] for k in kept],
    }


def flags(
    con: duckdb.DuckDBPyConnection,
    campaign: int | None = None,
    network: str | None = None,
    questionnaires: dict[str, list[Question]] | None = None,
) -> pd.DataFrame:
    """One row per flag (COLUMNS), grouped by kind (KINDS order), then latest campaign first,
    network and code."""
    questionnaires = questionnaires if questionnaires is not None else load_all()
    scope = {"campagne": campaign, "reseau": network}
    queries = [
        ("quality_straight_lining", {"min_answered": MIN_ANSWERED}),
        ("quality_jumps", {"max_jump": MAX_JUMP, **_link_params(crosswalk.load(questionnaires))}),
        ("quality_shares", {"min_gap": MIN_GAP, "min_network": MIN_NETWORK}),
        ("quality_contradictions", _pair_params(load_pairs(questionnaires))),
    ]
    frames = [
        con.execute(sql_text(f"marts/{name}"), {**scope, **params}).df()[COLUMNS] for name, params in queries
    ]
    frame = pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)
    order = {kind: i for i, kind in enumerate(KINDS)}
    frame["engagement"] = frame["engagement"].astype("Int64")
    return (
        frame.assign(_kind=frame["flag"].map(order))
        .sort_values(
            ["_kind", "campagne", "reseau", "code_structure"],
            ascending=[True, False, True, True],
            kind="stable",
        )
        .drop(columns="_kind")
        .reset_index(drop=True)
    )


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """Kind -> number of flags, every kind listed (0 when none)."""
    found = frame["flag"].value_counts().to_dict() if not frame.empty else {}
    return {kind: int(found.get(kind, 0)) for kind in KINDS}


def value_text(flag: str, value) -> str:
    """The measured value of a flag, in French ('--' for a contradiction)."""

    if flag == "straight_lining":
        return f"{fmt.number(value)} questions"
    if flag == "jump":
        text = fmt.number(value, 1)
        return ("+" + text if value > 0 else text) + " pts"
    if flag in ("not_applicable_share", "missing_share"):
        return fmt.rate(value)
    return "--"


def threshold_text(flag: str, threshold) -> str:
    """The threshold a flag's value passed, in French ('--' for a contradiction)."""

    if flag == "straight_lining":
        return f"au moins {fmt.number(threshold)}"
    if flag == "jump":
        return f"± {fmt.number(threshold)} pts"
    if flag in ("not_applicable_share", "missing_share"):
        return fmt.rate(threshold)
    return "--"


REPORT_COLUMNS = [
    "campagne",
    "reseau",
    "code_structure",
    "nom_structure",
    "signalement",
    "engagement",
    "valeur",
    "seuil",
    "detail",
    "regle",
]


def write_flags(out: Path, frame: pd.DataFrame) -> int:
    """Every flag, one per line, as CSV for a spreadsheet (; and UTF-8 with BOM, French decimals),
    written to a temporary file renamed into place; returns the number of lines."""

    out = Path(out)
    with atomic_file(out) as partial, partial.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(REPORT_COLUMNS)
        for row in frame.itertuples(index=False):
            writer.writerow(
                [
                    row.campagne,
                    safe_text(row.reseau),
                    safe_text(row.code_structure),
                    safe_text(row.nom_structure),
                    KINDS[row.flag],
                    "" if pd.isna(row.engagement) else f"E{row.engagement}",
                    "" if pd.isna(row.value) else fmt.number(row.value, 1),
                    "" if pd.isna(row.threshold) else fmt.number(row.threshold, 1),
                    safe_text(row.detail),
                    RULES[row.flag],
                ]
            )
    return len(frame)
