"""Action plans filled by the teams (``autodiag ingest-plan``): the XLSX that ``autodiag export
plan`` writes, or the same columns in CSV (« ; » or « , »).

A plan belongs to the structure and the campaign its cells name (columns « Code structure » and
« Campagne », the same on every row), never to its file name. Each file is loaded whole or not
at all; every problem names the file, the row and the column. A plan loaded again for the same
structure and campaign replaces the earlier one, which stays in the base as superseded.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from autodiag.ingest.problems import Problem, RefusedExport, file_error
from autodiag.matching import match_key
from autodiag.scoring.store import open_writer, transaction

SHEET = "Plan d'action"
GUIDE_SHEET = "Mode d'emploi"
# The plan's columns, as written in its header: what autodiag fills, then what the team fills.
CODE, CAMPAIGN, VERSION, RANK = "Code structure", "Campagne", "Questionnaire", "Rang"
QUESTION, ANSWER = "Question", "Réponse donnée"
ACTION, PILOT, DEADLINE, STATUS, COMMENT = "Action", "Pilote", "Échéance", "Statut", "Commentaire"
TEAM_COLUMNS = [ACTION, PILOT, DEADLINE, STATUS, COMMENT]
# Read first: the lever, its gains and the team's columns; then the figures and contacts; the
# plan's identity last (every row carries it). The reader finds columns by name, in any order.
COLUMNS = [
    RANK,
    QUESTION,
    "Libellé de la question",
    ANSWER,
    "Gain de l'engagement (points de %)",
    "Gain du taux global (points de %)",
    *TEAM_COLUMNS,
    "« Oui » dans la même typologie",
    "« Oui » dans le réseau",
    "Structures à contacter (règle « S'inspirer de »)",
    "Engagement",
    "Thème",
    "Intitulé du thème",
    CODE,
    CAMPAIGN,
    VERSION,
]
# What the team may write in « Statut » (a dropdown in the XLSX).
STATUSES = ("à lancer", "en cours", "fait", "abandonné")
DONE = "fait"
SUFFIXES = (".xlsx", ".csv")


@dataclass(frozen=True)
class PlanRow:
    row_no: int  # as a spreadsheet numbers it, header = 1
    question_id: str
    answer: str | None
    action: str | None
    pilote: str | None
    echeance: str | None
    statut: str | None
    commentaire: str | None

    @property
    def planned(self) -> bool:
        """Whether the team wrote anything on this row."""
        return any((self.action, self.pilote, self.echeance, self.statut, self.commentaire))


@dataclass
class PlanFile:
    path: Path
    sha256: str
    code: str
    campaign: int
    rows: list[PlanRow] = field(default_factory=list)
    version: str = ""  # the campaign's questionnaire, from the base


@dataclass
class PlanOutcome:
    path: Path
    status: str  # loaded, skipped (same plan already retained) or rejected
    code: str | None = None
    campaign: int | None = None
    actions: int = 0
    replaced: bool = False  # an earlier plan of the same structure and campaign is now superseded
    problems: list[Problem] = field(default_factory=list)


def expand_plan_paths(paths) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
            )
        else:
            found.append(path)
    return found


def load_plans(db_path: Path, paths) -> list[PlanOutcome]:
    """Load each plan file in its own transaction: all of it, or nothing and its problems."""
    outcomes = []
    with open_writer(db_path) as con:
        for path in expand_plan_paths(paths):
            try:
                plan = read_plan(path)
                check_against_base(con, plan)
                outcomes.append(_store(con, plan))
            except RefusedExport as refused:
                outcomes.append(PlanOutcome(path, "rejected", problems=refused.problems))
    return outcomes


# --- reading -------------------------------------------------------------------------


def read_plan(path: Path) -> PlanFile:
    """The plan's rows, checked on their own (the base is checked by check_against_base)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise file_error(name, f"lecture impossible ({error.strerror or error})") from None
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        table = _xlsx_rows(name, data)
    elif suffix == ".csv":
        table = _csv_rows(name, data)
    else:
        raise file_error(
            name, f"extension « {suffix} » : un plan se lit en .xlsx (tel qu'exporté) ou en .csv"
        )
    return _plan(Path(path), hashlib.sha256(data).hexdigest(), table)


def _xlsx_rows(name: str, data: bytes) -> list[list[str]]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), engine="calamine", sheet_name=None, header=None, dtype=str)
    except Exception as error:  # calamine raises several types for corrupt workbooks
        raise file_error(name, f"classeur XLSX illisible ({type(error).__name__})") from None
    if SHEET not in sheets:
        raise file_error(
            name,
            f"pas de feuille « {SHEET} » (feuilles : {', '.join(sheets) or 'aucune'}) : "
            "repartez du fichier écrit par « autodiag export plan »",
        )
    frame = sheets[SHEET]
    return [["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]


def _csv_rows(name: str, data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise file_error(name, "le CSV n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 »") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _plan(path: Path, sha256: str, table: list[list[str]]) -> PlanFile:
    name = str(path)
    if not table:
        raise file_error(name, "fichier vide : aucune ligne d'en-tête")
    header = [cell.strip() for cell in table[0]]
    missing = [c for c in [CODE, CAMPAIGN, QUESTION, *TEAM_COLUMNS] if c not in header]
    if missing:
        raise RefusedExport(name, [Problem(name, "colonne absente de l'en-tête", 1, c) for c in missing])
    where = {c: header.index(c) for c in COLUMNS if c in header}
    problems: list[Problem] = []
    rows: list[PlanRow] = []
    identity: dict[str, tuple[str, int]] = {}
    seen: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        values = {c: _cell(cells, i) for c, i in where.items()}
        if not any(values.values()):
            continue  # an empty row
        row = _row(name, number, values, identity, seen, problems)
        if row is not None:
            rows.append(row)
    if not identity and not problems:
        problems.append(
            Problem(name, "aucune ligne de plan : le fichier ne dit ni sa structure ni sa campagne", 2, CODE)
        )
    if problems:
        raise RefusedExport(name, problems)
    code, campaign = identity["first"]
    return PlanFile(path, sha256, code, campaign, rows)


def _cell(cells: list[str], i: int) -> str:
    return cells[i].strip() if i < len(cells) and cells[i] is not None else ""


def _row(name: str, number: int, values: dict, identity: dict, seen: dict, problems: list) -> PlanRow | None:
    before = len(problems)
    code, campaign_text = values[CODE], values[CAMPAIGN]
    campaign = int(campaign_text) if re.fullmatch(r"\d{4}", campaign_text) else None
    if not code:
        problems.append(Problem(name, "code de structure vide", number, CODE))
    if campaign is None:
        problems.append(
            Problem(name, "la campagne doit être une année (ex. 2024)", number, CAMPAIGN, campaign_text)
        )
    if code and campaign is not None:
        first = identity.setdefault("first", (code, campaign))
        if (code, campaign) != first:
            problems.append(
                Problem(
                    name,
                    f"un plan ne vaut que pour une structure et une campagne : la ligne 2 dit "
                    f"{first[0]} {first[1]}",
                    number,
                    CODE if code != first[0] else CAMPAIGN,
                    code if code != first[0] else campaign_text,
                )
            )
    question = values[QUESTION]
    if not question:
        problems.append(Problem(name, "identifiant de question vide (ex. E6_Q01)", number, QUESTION))
    elif question in seen:
        problems.append(
            Problem(name, f"question déjà présente ligne {seen[question]}", number, QUESTION, question)
        )
    else:
        seen[question] = number
    status = _status(values[STATUS])
    if status is None:
        problems.append(
            Problem(
                name,
                "statut inconnu : " + ", ".join(f"« {s} »" for s in STATUSES) + " ou vide",
                number,
                STATUS,
                values[STATUS],
            )
        )
    if len(problems) > before:
        return None
    return PlanRow(
        number,
        question,
        values.get(ANSWER) or None,
        values[ACTION] or None,
        values[PILOT] or None,
        _deadline(values[DEADLINE]) or None,
        status or None,
        values[COMMENT] or None,
    )


def _status(text: str) -> str | None:
    """The status as the dropdown spells it ('' when empty); None when unknown."""
    if not text:
        return ""
    by_key = {match_key(s): s for s in STATUSES}
    return by_key.get(match_key(text))


def _deadline(text: str) -> str:
    """A date cell of the XLSX (read as « 2025-06-30 00:00:00 ») as « 30/06/2025 »; any other text as written."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00)?", text)
    if found:
        try:
            return dt.date(*map(int, found.groups())).strftime("%d/%m/%Y")
        except ValueError:
            return text
    return text


# --- against the base, and storing -------------------------------------------------------


def check_against_base(con, plan: PlanFile) -> None:
    """The structure answered that campaign (a retained submission) and every question is one of
    its questionnaire's."""
    name = str(plan.path)
    found = con.execute(
        "select version from retained_submissions where code_structure = $code and campagne = $c",
        {"code": plan.code, "c": plan.campaign},
    ).fetchone()
    if found is None:
        first = plan.rows[0].row_no if plan.rows else 2
        raise RefusedExport(
            name,
            [
                Problem(
                    name,
                    f"aucune soumission de {plan.code} pour la campagne {plan.campaign} "
                    "dans la base : chargez d'abord ses réponses (autodiag ingest)",
                    first,
                    CODE,
                    plan.code,
                )
            ],
        )
    known = {
        q
        for (q,) in con.execute(
            "select question_id from referentiel_questions where version = $v", {"v": found[0]}
        ).fetchall()
    }
    problems = [
        Problem(
            name,
            f"question absente du questionnaire {found[0]} de la campagne {plan.campaign}",
            row.row_no,
            QUESTION,
            row.question_id,
        )
        for row in plan.rows
        if row.question_id not in known
    ]
    if problems:
        raise RefusedExport(name, problems)
    plan.version = found[0]


def _store(con, plan: PlanFile) -> PlanOutcome:
    outcome = PlanOutcome(
        plan.path, "loaded", plan.code, plan.campaign, actions=sum(1 for row in plan.rows if row.planned)
    )
    with transaction(con):
        retained = con.execute(
            "select plan_id, sha256 from plans where code_structure = $code and campagne = $c and superseded_by is null",
            {"code": plan.code, "c": plan.campaign},
        ).fetchone()
        if retained is not None and retained[1] == plan.sha256:
            outcome.status = "skipped"
            return outcome
        (plan_id,) = con.execute("select nextval('plan_id_seq')").fetchone()
        con.execute(
            "insert into plans values ($id, $code, $c, $v, $name, $sha, current_localtimestamp(), null)",
            {
                "id": plan_id,
                "code": plan.code,
                "c": plan.campaign,
                "v": plan.version,
                "name": plan.path.name,
                "sha": plan.sha256,
            },
        )
        if retained is not None:
            con.execute(
                "update plans set superseded_by = $id where plan_id = $old",
                {"id": plan_id, "old": retained[0]},
            )
            outcome.replaced = True
        con.executemany(
            "insert into plan_actions values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    plan_id,
                    r.row_no,
                    r.question_id,
                    r.answer,
                    r.action,
                    r.pilote,
                    r.echeance,
                    r.statut,
                    r.commentaire,
                )
                for r in plan.rows
                if r.planned
            ],
        )
    return outcome
