"""Deterministic, synthetic demo answer exports (answer-export contract, version 1).

`write_demo_data` writes a realistic set of self-diagnostic answer exports for three
campaigns (2023-2025) and six networks into a folder, in the messy mix of formats the
ingest must read: CSV `;` in UTF-8 (with and without BOM) and cp1252, and XLSX (text and
numeric cells), one file per network or one file per structure, with re-submissions.

Everything is synthetic except the row of STR-24 for campaign 2024, copied verbatim from
data/seed/STR-24_2024.csv. The same seed always gives byte-identical files.

Layout written under out_dir:

    <campaign>/<network-slug>-<campaign>.<csv|xlsx>          one file per network
    <campaign>/structures/<code>-<name-slug>[-envoi-N].<ext>   one file per structure
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from autodiag.demo.vocabulary import (
    FREE_TEXTS,
    NATIONAL_NAMES,
    PERSONS,
    RESEARCH_DOMAINS,
    RIVERS,
    SCHOOL_KINDS,
    TOWN_STEMS,
    TOWN_SUFFIXES,
)
from autodiag.ingest.columns import IDENTITY_COLUMNS, TEXT_FIELDS, text_columns
from autodiag.paths import REFERENTIELS_DIR, SEED_EXPORT
from autodiag.referentiel.questionnaires import Question
from autodiag.slugs import slugify

# The questionnaire every demo campaign uses (data/referentiels/campagnes.csv maps them all to it).
REFERENTIEL_PATH = REFERENTIELS_DIR / "2024.csv"
ENGAGEMENTS = range(1, 9)  # those of the 2024 questionnaire
TEXT_COLUMNS = text_columns(ENGAGEMENTS)

DEFAULT_SEED = 20240506
CAMPAIGNS: tuple[int, ...] = (2023, 2024, 2025)
HISTORY_CAMPAIGNS = (2021, 2022)  # on the 9-engagement questionnaire (history.py)
SEED_CODE = "STR-24"
SEED_CAMPAIGN = 2024
FIRST_SYNTHETIC_NUMBER = 100

NUMERIC_META = ("nb_agents_contributeurs", "nb_agents_interaction")
DATE_FORMAT = "%d/%m/%Y %H:%M:%S"

# Answer labels: canonical scale, and the accepted variants the demo uses on purpose.
SCALE_ORDER: tuple[str, ...] = ("Non", "Initié", "Partiellement", "Oui")
NOT_APPLICABLE = "Non applicable"
SCALE_VARIANTS: dict[str, tuple[str, ...]] = {
    "Oui": ("oui", "OUI ", "Oui, totalement"),
    "Partiellement": ("0,75", "partiellement", "Oui, partiellement"),
    "Initié": ("En cours", "initié", "Initie"),
    "Non": ("non", "NON"),
    NOT_APPLICABLE: ("NA", "N/A", "non applicable"),
}
NUMERIC_SCALE: dict[str, float] = {"Oui": 1, "Partiellement": 0.75, "Initié": 0.25, "Non": 0}
NONE_SELECTED: tuple[str, ...] = ("Aucun", "Aucune")
USED_SCALE_ANSWERS: frozenset[str] = frozenset(
    [*SCALE_ORDER, NOT_APPLICABLE, *(v for vs in SCALE_VARIANTS.values() for v in vs)]
)

# Output formats.
CSV_UTF8 = "csv-utf8"
CSV_UTF8_BOM = "csv-utf8-bom"
CSV_CP1252 = "csv-cp1252"
XLSX = "xlsx"
XLSX_NUMERIC = "xlsx-numeric"  # some scale answers written as numbers 1/0.75/0.25/0
PER_STRUCTURE = "per-structure"
CSV_ENCODINGS = {CSV_UTF8: "utf-8", CSV_UTF8_BOM: "utf-8-sig", CSV_CP1252: "cp1252"}
PER_STRUCTURE_FORMATS = (CSV_UTF8, CSV_UTF8_BOM, CSV_CP1252, XLSX, XLSX_NUMERIC)
PER_STRUCTURE_WEIGHTS = (30, 20, 25, 20, 5)

# --- Latent model (logit scale) ------------------------------------------------------
BASE_LEVEL = 0.0
# National difficulty of each theme: > 0 easy, < 0 hard.
THEME_DIFFICULTY: dict[str, float] = {
    "E1_T1": 1.2,
    "E1_T2": -0.2,
    "E2_T1": 0.5,
    "E2_T2": 0.7,
    "E2_T3": 1.0,
    "E3_T1": 0.3,
    "E3_T2": 0.9,
    "E3_T3": 0.2,
    "E3_T4": -0.3,
    "E3_T5": -0.6,
    "E4_T1": 0.6,
    "E4_T2": -1.2,
    "E4_T3": -0.5,
    "E5_T1": 0.3,
    "E5_T2": -0.5,
    "E6_T1": -1.5,
    "E6_T2": -1.3,
    "E6_T3": -1.1,
    "E7_T1": 0.0,
    "E7_T2": -0.3,
    "E7_T3": -1.0,
    "E8_T1": 0.2,
    "E8_T2": -0.6,
}
# Questions that many structures consider not applicable to them.
NA_PRONE: dict[str, float] = {
    "E1_Q08": 0.15,
    "E1_Q12": 0.12,
    "E1_Q13": 0.12,
    "E2_Q05": 0.15,
    "E3_Q07": 0.10,
    "E3_Q12": 0.15,
    "E4_Q03": 0.08,
    "E8_Q07": 0.08,
    "E8_Q09": 0.08,
}
DEFAULT_NA_RATE = 0.025
EMPTY_RATE = 0.014
DRAFT_EMPTY_RATE = 0.06
RESUBMISSION_RATE = 0.05
MULTI_NA_RATE = 0.02


@dataclass(frozen=True)
class NetworkSpec:
    name: str
    typologie: str
    size: int
    offset: float  # network-wide level shift
    interaction: tuple[int, int]  # range of nb_agents_interaction
    theme_bias: dict[str, float] = field(default_factory=dict)
    alt_typologie: str | None = None  # used for a few intercommunal structures

    @property
    def slug(self) -> str:
        return slugify(self.name)


NETWORKS: tuple[NetworkSpec, ...] = (
    NetworkSpec(
        "Universités et écoles",
        "Services de documentation des universités et écoles de l'enseignement supérieur",
        44,
        0.25,
        (40, 300),
        {"E3_T5": -0.4, "E6_T2": 0.3},
    ),
    NetworkSpec(
        "Grandes écoles",
        "Bibliothèques et centres de documentation des grandes écoles",
        22,
        0.1,
        (5, 60),
        {"E2_T3": -0.3, "E5_T2": 0.3},
    ),
    NetworkSpec(
        "Bibliothèques nationales",
        "Bibliothèques nationales et grands établissements",
        9,
        0.45,
        (60, 300),
        {"E6_T1": 0.7, "E7_T3": 0.4},
    ),
    NetworkSpec(
        "Bibliothèques municipales",
        "Bibliothèques et médiathèques municipales",
        50,
        -0.1,
        (3, 120),
        {"E3_T5": 0.9, "E3_T1": 0.4, "E4_T2": -0.3},
        alt_typologie="Réseaux intercommunaux de lecture publique",
    ),
    NetworkSpec(
        "Bibliothèques départementales de prêt",
        "Bibliothèques départementales de prêt",
        34,
        -0.15,
        (5, 60),
        {"E3_T5": 1.0, "E2_T1": -0.4},
    ),
    NetworkSpec(
        "Instituts de recherche",
        "Bibliothèques et centres de documentation des organismes de recherche",
        26,
        -0.3,
        (3, 40),
        {"E3_T5": -0.8, "E8_T2": -0.5, "E5_T2": -0.3},
    ),
)
SEED_NETWORK = "Universités et écoles"

# Per campaign, how each network's answers are exported.
NETWORK_LAYOUT: dict[int, dict[str, str]] = {
    2023: {
        "Universités et écoles": XLSX,
        "Grandes écoles": CSV_UTF8,
        "Bibliothèques nationales": PER_STRUCTURE,
        "Bibliothèques municipales": CSV_CP1252,
        "Bibliothèques départementales de prêt": CSV_UTF8_BOM,
        "Instituts de recherche": PER_STRUCTURE,
    },
    2024: {
        "Universités et écoles": CSV_UTF8_BOM,
        "Grandes écoles": PER_STRUCTURE,
        "Bibliothèques nationales": XLSX_NUMERIC,
        "Bibliothèques municipales": XLSX,
        "Bibliothèques départementales de prêt": PER_STRUCTURE,
        "Instituts de recherche": CSV_CP1252,
    },
    2025: {
        "Universités et écoles": CSV_CP1252,
        "Grandes écoles": XLSX_NUMERIC,
        "Bibliothèques nationales": PER_STRUCTURE,
        "Bibliothèques municipales": PER_STRUCTURE,
        "Bibliothèques départementales de prêt": CSV_UTF8_BOM,
        "Instituts de recherche": XLSX,
    },
}


@dataclass
class Structure:
    code: str
    number: int
    name: str
    network: NetworkSpec
    typologie: str
    postcode: str
    level: float
    profile: dict[int, float]  # per engagement
    trend: float  # logit change per year
    years: tuple[int, ...]
    interaction: int
    contributors: int
    messiness: float  # probability of writing an accepted variant instead of a label
    text_rate: float
    question_noise: dict[str, float] = field(default_factory=dict)
    na_questions: tuple[str, ...] = ()
    option_order: dict[str, list[str]] = field(default_factory=dict)
    last_texts: dict[str, str] = field(default_factory=dict)


@dataclass
class Submission:
    structure: Structure
    campaign: int
    date: dt.datetime
    row: dict[str, object]
    is_draft: bool = False
    separate_file: bool = False  # written in its own per-structure file


@dataclass
class PlannedFile:
    path: Path
    fmt: str
    submissions: list[Submission]
    with_notice_sheet: bool = False


def load_seed_row(path: Path = SEED_EXPORT) -> dict[str, str]:
    """The single real submission (STR-24, 2024), header -> cell text, in file order.
    A new dict at each call: callers may change it."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    if len(rows) != 1:
        raise ValueError(f"{path}: expected exactly one submission, found {len(rows)}")
    return rows[0]


def export_columns(questions: list[Question]) -> list[str]:
    return [*IDENTITY_COLUMNS, *(q.question_id for q in questions), *TEXT_COLUMNS]


def clear_previous_output(out_dir: Path) -> None:
    """Remove the CSV/XLSX files of a previous run (campaign folders only)."""
    for campaign in (*HISTORY_CAMPAIGNS, *CAMPAIGNS):
        folder = out_dir / str(campaign)
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in (".csv", ".xlsx"):
                path.unlink()


# --- Structures ----------------------------------------------------------------------
def build_structures(
    rng: random.Random, questions: list[Question], seed_row: dict[str, str]
) -> list[Structure]:
    """All structures of all networks; STR-24 keeps its real identity."""
    used_names = {seed_row["nom_structure"]}
    structures: list[Structure] = []
    for network in NETWORKS:
        count = network.size - (1 if network.name == SEED_NETWORK else 0)
        for _ in range(count):
            name, typologie = invent_name(rng, network, used_names)
            structures.append(new_structure(rng, network, name, typologie, questions))
    assign_codes(rng, structures)
    seed_structure = make_seed_structure(rng, questions, seed_row)
    return sorted([seed_structure, *structures], key=lambda s: s.number)


def new_structure(
    rng: random.Random,
    network: NetworkSpec,
    name: str,
    typologie: str,
    questions: list[Question],
    years: tuple[int, ...] | None = None,
) -> Structure:
    low, high = network.interaction
    structure = Structure(
        code="",
        number=0,
        name=name,
        network=network,
        typologie=typologie,
        postcode=invent_postcode(rng, network),
        level=rng.gauss(0.0, 0.7),
        profile={e: rng.gauss(0.0, 0.4) for e in ENGAGEMENTS},
        trend=rng.gauss(0.2, 0.3),
        years=years or participation_years(rng),
        interaction=round(low + (high - low) * rng.random() ** 1.5),
        contributors=rng.randint(1, 12),
        messiness=0.08 if rng.random() < 0.2 else 0.005,
        text_rate=rng.uniform(0.3, 0.5),
    )
    structure.question_noise = {q.question_id: rng.gauss(0.0, 0.5) for q in questions}
    structure.na_questions = tuple(
        q.question_id
        for q in questions
        if q.kind == "scale" and rng.random() < NA_PRONE.get(q.question_id, DEFAULT_NA_RATE)
    )
    structure.option_order = {
        q.question_id: sorted(q.options, key=lambda o, q=q: q.options.index(o) + rng.gauss(0, 1.5))
        for q in questions
        if q.kind == "multi"
    }
    return structure


def make_seed_structure(rng: random.Random, questions: list[Question], seed_row: dict[str, str]) -> Structure:
    network = next(n for n in NETWORKS if n.name == seed_row["reseau"])
    structure = new_structure(
        rng,
        network,
        seed_row["nom_structure"],
        seed_row["typologie"],
        questions,
        years=CAMPAIGNS,
    )
    structure.code = seed_row["code_structure"]
    structure.number = int(structure.code.split("-")[1])
    structure.postcode = seed_row["localisation"]
    structure.interaction = int(seed_row["nb_agents_interaction"])
    structure.contributors = int(seed_row["nb_agents_contributeurs"])
    return structure


def participation_years(rng: random.Random) -> tuple[int, ...]:
    """Most answer every campaign; some join later, some skip one campaign."""
    draw = rng.random()
    first = CAMPAIGNS[0] if draw < 0.80 else CAMPAIGNS[1] if draw < 0.91 else CAMPAIGNS[2]
    years = [y for y in CAMPAIGNS if y >= first]
    if len(years) >= 2 and rng.random() < 0.10:
        years.remove(rng.choice(years))
    return tuple(years)


def assign_codes(rng: random.Random, structures: list[Structure]) -> None:
    """Codes STR-100…, earlier joiners get lower numbers (registration order)."""
    order = sorted(structures, key=lambda s: (s.years[0], rng.random()))
    for index, structure in enumerate(order):
        structure.number = FIRST_SYNTHETIC_NUMBER + index
        structure.code = f"STR-{structure.number}"


def invent_town(rng: random.Random) -> str:
    return rng.choice(TOWN_STEMS) + rng.choice(TOWN_SUFFIXES)


def invent_department(rng: random.Random) -> str:
    river = rng.choice(RIVERS)
    linked = of(river).replace(" ", "-")  # "de-Sèvre" or "d'Ouanne"
    patterns = (
        f"de la Haute-{river}",
        f"de la Basse-{river}",
        f"du Val-{linked}",
        f"des Pays-{linked}",
        f"des Coteaux-{linked}",
    )
    return rng.choice(patterns)


def invent_name(rng: random.Random, network: NetworkSpec, used: set[str]) -> tuple[str, str]:
    """A new unique structure name for the network, and its typologie."""
    for _ in range(1000):
        name, typologie = _name_candidate(rng, network)
        if name not in used:
            used.add(name)
            return name, typologie
    raise RuntimeError(f"could not invent a new name for {network.name}")


def of(place: str, apostrophe: str = "'") -> str:
    """French "de" with elision: "de Montclair", "d'Aurignac", "d’Évreuil"."""
    first = unicodedata.normalize("NFKD", place[:1])[:1].upper()
    return f"d{apostrophe}{place}" if first in "AEIOUYH" else f"de {place}"


def _name_candidate(rng: random.Random, network: NetworkSpec) -> tuple[str, str]:
    town = invent_town(rng)
    of_town = of(town, rng.choice(("'", "'", "’")))
    domain = rng.choice(RESEARCH_DOMAINS)
    typologie = network.typologie
    if network.name == "Universités et écoles":
        name = rng.choice(
            (
                f"Service commun de documentation de l'université {of_town}",
                f"Bibliothèque universitaire {of_town}",
                f"Bibliothèques de l'université {rng.choice(PERSONS)}",
                f"Service de documentation de l'École normale supérieure {of_town}",
                f"Bibliothèques de l’université {of_town}",
            )
        )
    elif network.name == "Grandes écoles":
        school = rng.choice(SCHOOL_KINDS).format(of_town=of_town, domain=domain)
        name = rng.choice(("Bibliothèque de ", "Centre de documentation de ", "Médiathèque de ")) + school
    elif network.name == "Bibliothèques nationales":
        name = rng.choice(NATIONAL_NAMES)
    elif network.name == "Bibliothèques municipales":
        if rng.random() < 0.2 and network.alt_typologie:
            name = rng.choice(
                (
                    f"Réseau des médiathèques {of_town}",
                    f"Médiathèque intercommunale du Pays {of_town}",
                )
            )
            typologie = network.alt_typologie
        else:
            name = rng.choice(
                (
                    f"Médiathèque {of_town}",
                    f"Bibliothèque municipale {of_town}",
                    f"Médiathèque {rng.choice(PERSONS)} {of_town}",
                )
            )
    elif network.name == "Bibliothèques départementales de prêt":
        name = rng.choice(
            (
                "Bibliothèque départementale de prêt ",
                "Médiathèque départementale ",
            )
        ) + invent_department(rng)
    else:
        name = rng.choice(
            (
                f"Bibliothèque de l'Institut de recherche en {domain}",
                f"Centre de documentation de l’Institut national {of(domain, '’')}",
                f"Service de documentation du Centre de recherche en {domain} {of_town}",
                f"Bibliothèque du Laboratoire {of(domain)} {of_town}",
            )
        )
    return name, typologie


def invent_postcode(rng: random.Random, network: NetworkSpec) -> str:
    """5-digit postcode as text; départements 01-09 keep their leading zero."""
    department = rng.choice([d for d in range(1, 96) if d != 20])
    if network.name == "Bibliothèques départementales de prêt":
        return f"{department:02d}000"
    return f"{department:02d}{rng.randrange(0, 1000, 10):03d}"


# --- Submissions ---------------------------------------------------------------------
def build_submissions(
    rng: random.Random,
    structures: list[Structure],
    questions: list[Question],
    question_offset: dict[str, float],
    seed_row: dict[str, str],
) -> list[Submission]:
    """One retained submission per (structure, campaign), plus earlier sends for a few."""
    resubmitted = pick_resubmitted(rng, structures)
    submissions: list[Submission] = []
    for structure in structures:
        for campaign in structure.years:
            final = final_submission(rng, structure, campaign, questions, question_offset, seed_row)
            submissions.append(final)
            if (structure.code, campaign) not in resubmitted:
                continue
            draft = draft_submission(
                rng, structure, campaign, final.date, questions, question_offset, seed_row
            )
            # Half the time one of the two sends stands alone in its own file.
            is_seed = (structure.code, campaign) == (SEED_CODE, SEED_CAMPAIGN)
            if is_seed or rng.random() < 0.5:
                (draft if is_seed or rng.random() < 0.5 else final).separate_file = True
            submissions.append(draft)
    return submissions


def pick_resubmitted(rng: random.Random, structures: list[Structure]) -> set[tuple[str, int]]:
    """About RESUBMISSION_RATE of the (structure, campaign) pairs of each campaign, and the seed's."""
    chosen = {(SEED_CODE, SEED_CAMPAIGN)}
    for campaign in CAMPAIGNS:
        pairs = [
            (s.code, campaign) for s in structures if campaign in s.years and (s.code, campaign) not in chosen
        ]
        chosen.update(rng.sample(pairs, round(RESUBMISSION_RATE * len(pairs))))
    return chosen


def final_submission(
    rng: random.Random,
    structure: Structure,
    campaign: int,
    questions: list[Question],
    question_offset: dict[str, float],
    seed_row: dict[str, str],
) -> Submission:
    if structure.code == SEED_CODE:
        if campaign == SEED_CAMPAIGN:
            date = dt.datetime.strptime(seed_row["date_enregistrement"], DATE_FORMAT)
            return Submission(structure, campaign, date, dict(seed_row))
        step = -1 if campaign < SEED_CAMPAIGN else 1
        row = seed_neighbour_row(rng, structure, campaign, questions, seed_row, step)
    else:
        row = synthetic_row(rng, structure, campaign, questions, question_offset)
    date = campaign_date(rng, campaign)
    row["date_enregistrement"] = date.strftime(DATE_FORMAT)
    return Submission(structure, campaign, date, row)


def draft_submission(
    rng: random.Random,
    structure: Structure,
    campaign: int,
    final_date: dt.datetime,
    questions: list[Question],
    question_offset: dict[str, float],
    seed_row: dict[str, str],
) -> Submission:
    """An earlier, weaker and less complete send of the same (structure, campaign)."""
    if structure.code == SEED_CODE:
        row = seed_neighbour_row(rng, structure, campaign, questions, seed_row, step=-1)
        for question in questions:
            if rng.random() < DRAFT_EMPTY_RATE:
                row[question.question_id] = ""
    else:
        row = synthetic_row(rng, structure, campaign, questions, question_offset, draft=True)
    date = earlier_date(rng, final_date)
    row["date_enregistrement"] = date.strftime(DATE_FORMAT)
    return Submission(structure, campaign, date, row, is_draft=True)


def earlier_date(rng: random.Random, later: dt.datetime) -> dt.datetime:
    """A working-hours moment 1 to 12 days before `later` (so always strictly earlier)."""
    day = later - dt.timedelta(days=rng.randint(1, 12))
    return day.replace(hour=rng.randint(8, 18), minute=rng.randrange(60), second=rng.randrange(60))


def campaign_date(rng: random.Random, campaign: int) -> dt.datetime:
    """A working-hours moment in the spring of the campaign year."""
    start = dt.datetime(campaign, 3, 20, 8, 0, 0)
    return start + dt.timedelta(days=rng.randrange(0, 85), seconds=rng.randrange(0, 11 * 3600))


def meta_values(rng: random.Random, structure: Structure, campaign: int) -> dict[str, object]:
    interaction = round(structure.interaction * rng.uniform(0.9, 1.1))
    return {
        "code_structure": structure.code,
        "nom_structure": structure.name,
        "reseau": structure.network.name,
        "typologie": structure.typologie,
        "localisation": structure.postcode,
        "campagne": str(campaign),
        "date_enregistrement": "",
        "nb_agents_contributeurs": min(15, max(1, structure.contributors + rng.randint(-2, 3))),
        "nb_agents_interaction": min(300, max(3, interaction)),
    }


def synthetic_row(
    rng: random.Random,
    structure: Structure,
    campaign: int,
    questions: list[Question],
    question_offset: dict[str, float],
    draft: bool = False,
) -> dict[str, object]:
    row = meta_values(rng, structure, campaign)
    blank_engagement = rng.choice(ENGAGEMENTS) if draft and rng.random() < 0.3 else None
    for question in questions:
        if question.engagement == blank_engagement:
            row[question.question_id] = ""
            continue
        logit = latent_logit(rng, structure, campaign, question, question_offset, draft)
        if question.kind == "multi":
            row[question.question_id] = multi_answer(rng, structure, question, logit)
        else:
            row[question.question_id] = scale_answer(rng, structure, question, logit, draft)
    row.update(free_texts(rng, structure, draft))
    return row


def latent_logit(
    rng: random.Random,
    structure: Structure,
    campaign: int,
    question: Question,
    question_offset: dict[str, float],
    draft: bool,
) -> float:
    network = structure.network
    return (
        BASE_LEVEL
        + structure.level
        + structure.profile[question.engagement]
        + THEME_DIFFICULTY.get(question.theme_id, 0.0)
        + question_offset[question.question_id]
        + network.offset
        + network.theme_bias.get(question.theme_id, 0.0)
        + structure.trend * (campaign - CAMPAIGNS[0])
        + structure.question_noise[question.question_id]
        + rng.gauss(0.0, 0.3)
        - (0.5 if draft else 0.0)
    )


def scale_answer(
    rng: random.Random, structure: Structure, question: Question, logit: float, draft: bool
) -> str:
    if rng.random() < (DRAFT_EMPTY_RATE if draft else EMPTY_RATE):
        return ""
    not_applicable = question.question_id in structure.na_questions
    if (not_applicable and rng.random() < 0.92) or rng.random() < 0.004:
        label = NOT_APPLICABLE
    else:
        label = scale_label(1.0 / (1.0 + math.exp(-logit)))
    if rng.random() < structure.messiness:
        return rng.choice(SCALE_VARIANTS[label])
    return label


def scale_label(probability: float) -> str:
    if probability >= 0.72:
        return "Oui"
    if probability >= 0.5:
        return "Partiellement"
    if probability >= 0.28:
        return "Initié"
    return "Non"


def multi_answer(rng: random.Random, structure: Structure, question: Question, logit: float) -> str:
    if rng.random() < EMPTY_RATE:
        return ""
    if rng.random() < MULTI_NA_RATE:
        return NOT_APPLICABLE
    share = 1.0 / (1.0 + math.exp(-logit))
    count = round(share * len(question.options) + rng.gauss(0.0, 0.8))
    count = min(len(question.options), max(0, count))
    if count == 0:
        return NONE_SELECTED[0] if rng.random() < 0.8 else NONE_SELECTED[1]
    chosen = structure.option_order[question.question_id][:count]
    return "|".join(o for o in question.options if o in chosen)


def free_texts(rng: random.Random, structure: Structure, draft: bool) -> dict[str, str]:
    """Strengths and support needs for part of the engagements, sometimes copied from last year."""
    texts: dict[str, str] = {}
    rate = structure.text_rate * (0.5 if draft else 1.0)
    for engagement in ENGAGEMENTS:
        for kind_index, kind in enumerate(TEXT_FIELDS):
            column = f"E{engagement}_{kind}"
            if rng.random() >= rate:
                texts[column] = ""
                continue
            previous = structure.last_texts.get(column)
            if previous and rng.random() < 0.3:
                texts[column] = previous
            else:
                texts[column] = rng.choice(FREE_TEXTS[engagement][kind_index])
            if not draft:
                structure.last_texts[column] = texts[column]
    return texts


def seed_neighbour_row(
    rng: random.Random,
    structure: Structure,
    campaign: int,
    questions: list[Question],
    seed_row: dict[str, str],
    step: int,
) -> dict[str, object]:
    """STR-24 close to its seed answers: a little weaker (step -1) or better (step +1)."""
    row = meta_values(rng, structure, campaign)
    for question in questions:
        answer = seed_row[question.question_id]
        if question.kind == "multi":
            row[question.question_id] = shift_multi(rng, structure, question, answer, step)
        else:
            row[question.question_id] = shift_scale(rng, answer, step)
    for column in TEXT_COLUMNS:
        engagement = int(column[1])
        kind_index = TEXT_FIELDS.index(column.split("_", 1)[1])
        if seed_row[column] and rng.random() < 0.6:
            row[column] = seed_row[column]
        elif rng.random() < 0.35:
            row[column] = rng.choice(FREE_TEXTS[engagement][kind_index])
        else:
            row[column] = ""
    return row


def shift_scale(rng: random.Random, answer: str, step: int) -> str:
    if answer not in SCALE_ORDER:
        return answer  # keep N/A and empty cells as they were
    if rng.random() >= 0.25:
        return answer
    index = min(len(SCALE_ORDER) - 1, max(0, SCALE_ORDER.index(answer) + step))
    return SCALE_ORDER[index]


def shift_multi(rng: random.Random, structure: Structure, question: Question, answer: str, step: int) -> str:
    chosen = [o for o in answer.split("|") if o in question.options]
    if rng.random() < 0.6:
        if step < 0 and len(chosen) > 1:
            chosen.pop(rng.randrange(len(chosen)))
        elif step > 0:
            missing = [o for o in structure.option_order[question.question_id] if o not in chosen]
            chosen += missing[:1]
    if not chosen:
        return NONE_SELECTED[0]
    return "|".join(o for o in question.options if o in chosen)


# --- File planning -------------------------------------------------------------------
def plan_files(rng: random.Random, out_dir: Path, submissions: list[Submission]) -> list[PlannedFile]:
    """Group submissions into files: per network or per structure, by campaign layout."""
    files: dict[Path, PlannedFile] = {}
    structure_files: dict[Path, tuple[Path, str]] = {}
    for sub in submissions:
        path, fmt = file_target(rng, out_dir, sub, structure_files)
        if path not in files:
            files[path] = PlannedFile(path, fmt, [], with_notice_sheet=rng.random() < 0.4)
        files[path].submissions.append(sub)
    for planned in files.values():
        order_rows(rng, planned)
    return [files[p] for p in sorted(files)]


def file_target(
    rng: random.Random,
    out_dir: Path,
    sub: Submission,
    structure_files: dict[Path, tuple[Path, str]],
) -> tuple[Path, str]:
    """The network's file, or the structure's own file (its format drawn once)."""
    layout = NETWORK_LAYOUT[sub.campaign][sub.structure.network.name]
    campaign_dir = out_dir / str(sub.campaign)
    if layout != PER_STRUCTURE and not sub.separate_file:
        name = f"{sub.structure.network.slug}-{sub.campaign}{extension(layout)}"
        return campaign_dir / name, layout
    stem = f"{slugify(sub.structure.code)}-{slugify(sub.structure.name)}"
    if sub.separate_file:
        stem += "-envoi-1" if sub.is_draft else "-envoi-2"
    base = campaign_dir / "structures" / stem
    if base not in structure_files:
        fmt = rng.choices(PER_STRUCTURE_FORMATS, PER_STRUCTURE_WEIGHTS)[0]
        structure_files[base] = (base.with_name(stem + extension(fmt)), fmt)
    return structure_files[base]


def extension(fmt: str) -> str:
    return ".xlsx" if fmt in (XLSX, XLSX_NUMERIC) else ".csv"


def order_rows(rng: random.Random, planned: PlannedFile) -> None:
    """By structure code; a re-submitted structure's rows are not always in date order."""
    planned.submissions.sort(key=lambda s: (s.structure.number, s.date))
    subs = planned.submissions
    for i in range(len(subs) - 1):
        same = subs[i].structure is subs[i + 1].structure
        if same and rng.random() < 0.5:
            subs[i], subs[i + 1] = subs[i + 1], subs[i]


# --- Writers -------------------------------------------------------------------------
def write_file(
    rng: random.Random, planned: PlannedFile, columns: list[str], questions: list[Question]
) -> Path:
    planned.path.parent.mkdir(parents=True, exist_ok=True)
    rows = [[sub.row.get(c, "") for c in columns] for sub in planned.submissions]
    if planned.fmt in CSV_ENCODINGS:
        write_csv(planned.path, columns, rows, CSV_ENCODINGS[planned.fmt])
    else:
        if planned.fmt == XLSX_NUMERIC:
            rows = [numeric_answers(rng, row, columns, questions) for row in rows]
        campaign = planned.submissions[0].campaign
        write_xlsx(planned.path, columns, rows, campaign, planned.with_notice_sheet)
    return planned.path


def write_csv(path: Path, columns: list[str], rows: list[list[object]], encoding: str) -> None:
    """`;`-separated CSV; cp1252 falls back to UTF-8 with BOM if a character cannot be encoded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    text = buffer.getvalue()
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8-sig")
    path.write_bytes(data)


def numeric_answers(
    rng: random.Random, row: list[object], columns: list[str], questions: list[Question]
) -> list[object]:
    """Turn some canonical scale labels into the numbers an export tool would write."""
    scale_ids = {q.question_id for q in questions if q.kind == "scale"}
    converted = list(row)
    for index, column in enumerate(columns):
        value = converted[index]
        if column in scale_ids and value in NUMERIC_SCALE and rng.random() < 0.6:
            converted[index] = NUMERIC_SCALE[value]
    return converted


def write_xlsx(path: Path, columns: list[str], rows: list[list[object]], campaign: int, notice: bool) -> None:
    """First sheet, header on row 1; texts as strings, agent counts and numbers as numbers."""
    workbook = xlsxwriter.Workbook(str(path))
    # A fixed creation date keeps the file byte-identical from one run to the next.
    workbook.set_properties({"created": dt.datetime(campaign, 6, 30, 12, 0, 0)})
    sheet = workbook.add_worksheet("Réponses")
    for col, name in enumerate(columns):
        sheet.write_string(0, col, name)
    numeric_cols = {columns.index(c) for c in NUMERIC_META}
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            write_cell(sheet, r, col, value, col in numeric_cols)
    if notice:
        info = workbook.add_worksheet("Notice")
        info.write_string(0, 0, f"Export des auto-diagnostics Services Publics +, campagne {campaign}.")
        info.write_string(1, 0, "Une ligne par auto-diagnostic enregistré.")
    workbook.close()


def write_cell(sheet: Worksheet, row: int, col: int, value: object, numeric: bool) -> None:
    if value is None or value == "":
        return
    if isinstance(value, (int, float)):
        sheet.write_number(row, col, value)
    elif numeric and isinstance(value, str) and value.isdigit():
        sheet.write_number(row, col, int(value))
    else:
        sheet.write_string(row, col, str(value))
