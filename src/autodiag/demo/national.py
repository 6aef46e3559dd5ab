"""A synthetic national set of answer exports, at the programme's real size.

`write_national_data` writes N structures in about 30 networks for the given campaigns:
half the networks send one file per network, the other half one file per site, as a
national collection mixes both. The answers follow the demo's latent model (structure
level, engagement profile, theme difficulty, yearly trend), drawn with numpy in one pass
per campaign so that 15,000 structures take seconds. The same seed gives identical files.

Layout written under out_dir:

    <campaign>/<network-slug>-<campaign>.csv         one file per network (even networks)
    <campaign>/<network-slug>/<code>.csv             one file per site (odd networks)
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autodiag.demo.generator import NA_PRONE, NOT_APPLICABLE, TEXT_COLUMNS, THEME_DIFFICULTY
from autodiag.demo.vocabulary import FREE_TEXTS
from autodiag.ingest.columns import IDENTITY_COLUMNS
from autodiag.paths import REFERENTIELS_DIR
from autodiag.referentiel.questionnaires import Question, load_campaigns, load_version
from autodiag.slugs import slugify

DEFAULT_SEED = 20261203
# Network kinds × regions: 6 × 5 = 30 networks.
KINDS = (
    ("Bibliothèques universitaires", "Services de documentation des universités et écoles", 0.25),
    ("Bibliothèques municipales", "Bibliothèques et médiathèques municipales", -0.1),
    ("Bibliothèques départementales", "Bibliothèques départementales de prêt", -0.15),
    ("Centres de documentation de recherche", "Centres de documentation des organismes de recherche", -0.3),
    ("Médiathèques intercommunales", "Réseaux intercommunaux de lecture publique", 0.0),
    ("Bibliothèques d'écoles", "Bibliothèques et centres de documentation des grandes écoles", 0.1),
)
REGIONS = ("Nord-Est", "Nord-Ouest", "Centre", "Sud-Ouest", "Sud-Est")
PARTICIPATION = 0.95  # share of structures answering each campaign
EMPTY_RATE = 0.014
NA_RATE = 0.025
TEXT_RATE = 0.25
SCALE_LABELS = np.array(["Non", "Initié", "Partiellement", "Oui"], dtype=object)
DATE_FORMAT = "%d/%m/%Y %H:%M:%S"


class NationalDataError(ValueError):
    pass


@dataclass(frozen=True)
class Network:
    name: str
    typologie: str
    offset: float
    per_site: bool  # one file per site rather than one file per network

    @property
    def slug(self) -> str:
        return slugify(self.name)


def networks() -> list[Network]:
    found = []
    for kind_index, (kind, typologie, offset) in enumerate(KINDS):
        for region_index, region in enumerate(REGIONS):
            index = kind_index * len(REGIONS) + region_index
            found.append(Network(f"{kind} — {region}", typologie, offset, per_site=index % 2 == 1))
    return found


def write_national_data(
    out_dir: Path, structures: int, campaigns: list[int], seed: int = DEFAULT_SEED
) -> list[Path]:
    """Write the national set into out_dir (emptied first) and return the written paths, sorted."""
    if structures < len(KINDS) * len(REGIONS):
        raise NationalDataError(f"au moins {len(KINDS) * len(REGIONS)} structures (une par réseau)")
    questions = _questionnaire(campaigns)
    out_dir = Path(out_dir)
    for campaign in campaigns:
        shutil.rmtree(out_dir / str(campaign), ignore_errors=True)
    rng = np.random.default_rng(seed)
    nets = networks()
    member = _network_of_each(rng, structures, len(nets))
    model = _structure_model(rng, structures, questions, nets, member)
    written: list[Path] = []
    for campaign in sorted(campaigns):
        rows = _campaign_rows(rng, campaign, campaigns[0], questions, nets, member, model)
        written += _write_campaign(out_dir / str(campaign), questions, nets, member, rows)
    return sorted(written)


def _questionnaire(campaigns: list[int]) -> list[Question]:
    """The one questionnaire all requested campaigns use (declared in campagnes.csv)."""
    declared = load_campaigns()
    unknown = [c for c in campaigns if c not in declared]
    if unknown:
        listed = ", ".join(str(c) for c in sorted(declared))
        raise NationalDataError(
            f"campagne(s) {', '.join(map(str, unknown))} non déclarée(s) dans campagnes.csv (déclarées : {listed})"
        )
    versions = {declared[c] for c in campaigns}
    if len(versions) != 1:
        raise NationalDataError("les campagnes demandées utilisent des questionnaires différents")
    return load_version(REFERENTIELS_DIR / f"{versions.pop()}.csv")


def _network_of_each(rng: np.random.Generator, structures: int, count: int) -> np.ndarray:
    """Uneven network sizes (a few large, many small), every network non-empty."""
    weights = rng.pareto(1.5, count) + 0.3
    sizes = np.maximum(1, np.floor(weights / weights.sum() * structures)).astype(int)
    sizes[np.argmax(sizes)] += structures - sizes.sum()
    return np.repeat(np.arange(count), sizes)


def _structure_model(rng, structures, questions, nets, member) -> dict[str, np.ndarray]:
    engagements = np.array([q.engagement for q in questions])
    theme = np.array([THEME_DIFFICULTY.get(q.theme_id, 0.0) for q in questions])
    offsets = np.array([n.offset for n in nets])[member]
    level = rng.normal(0.0, 0.8, structures) + offsets
    profile = rng.normal(0.0, 0.5, (structures, 8))[:, engagements - 1]
    na_prone = np.array([NA_PRONE.get(q.question_id, 0.0) for q in questions])
    return {
        "base": level[:, None] + profile + theme[None, :] + rng.normal(0.0, 0.3, len(questions))[None, :],
        "trend": rng.normal(0.15, 0.2, structures),
        "na": rng.random((structures, len(questions))) < na_prone[None, :],
        "interaction": rng.integers(3, 300, structures),
        "postcode": rng.integers(1, 96, structures) * 1000 + rng.integers(0, 100, structures) * 10,
    }


def _campaign_rows(rng, campaign, first, questions, nets, member, model) -> list[list[str] | None]:
    """One row per answering structure (None for a structure that skipped the campaign)."""
    count, width = model["base"].shape
    logit = (
        model["base"] + model["trend"][:, None] * (campaign - first) + rng.normal(0.0, 0.3, (count, width))
    )
    share = 1.0 / (1.0 + np.exp(-logit))
    level = np.digitize(share, [0.28, 0.5, 0.72])
    answers = SCALE_LABELS[level]
    for j, question in enumerate(questions):
        if question.kind == "multi":
            answers[:, j] = _multi_answers(rng, question, share[:, j])
    not_applicable = model["na"] | (rng.random((count, width)) < NA_RATE * 0.2)
    answers[not_applicable] = NOT_APPLICABLE
    answers[rng.random((count, width)) < EMPTY_RATE] = ""
    answering = rng.random(count) < PARTICIPATION
    seconds = rng.integers(0, 85 * 86400, count)
    texts = _free_texts(rng, count)
    start = dt.datetime(campaign, 3, 20, 8, 0, 0)
    rows: list[list[str] | None] = []
    for i in range(count):
        if not answering[i]:
            rows.append(None)
            continue
        network = nets[member[i]]
        date = (start + dt.timedelta(seconds=int(seconds[i]))).strftime(DATE_FORMAT)
        identity = [
            _code(i),
            f"Bibliothèque {i + 1:05d} ({network.name})",
            network.name,
            network.typologie,
            f"{model['postcode'][i]:05d}",
            str(campaign),
            date,
            str(1 + i % 15),
            str(model["interaction"][i]),
        ]
        rows.append(identity + list(answers[i]) + texts[i])
    return rows


def _multi_answers(rng, question: Question, share: np.ndarray) -> np.ndarray:
    """Ticked options: as many as the level suggests, in questionnaire order."""
    options = np.array(question.options, dtype=object)
    counts = np.clip(
        np.rint(share * len(options) + rng.normal(0.0, 0.8, len(share))), 0, len(options)
    ).astype(int)
    return np.array(["|".join(options[:n]) if n else "Aucun" for n in counts], dtype=object)


def _free_texts(rng, count: int) -> list[list[str]]:
    """Strengths and support needs for about a quarter of the cells, from the demo's pool."""
    chosen = rng.random((count, len(TEXT_COLUMNS))) < TEXT_RATE
    picks = rng.integers(0, 1_000_000, (count, len(TEXT_COLUMNS)))
    pools = [FREE_TEXTS[int(c[1])][0 if c.endswith("points_forts") else 1] for c in TEXT_COLUMNS]
    return [
        [pools[j][picks[i, j] % len(pools[j])] if chosen[i, j] else "" for j in range(len(TEXT_COLUMNS))]
        for i in range(count)
    ]


def _code(index: int) -> str:
    return f"NAT-{index + 1:05d}"


def _write_campaign(folder: Path, questions, nets, member, rows) -> list[Path]:
    columns = [*IDENTITY_COLUMNS, *(q.question_id for q in questions), *TEXT_COLUMNS]
    by_file: dict[Path, list[list[str]]] = {}
    for i, row in enumerate(rows):
        if row is None:
            continue
        network = nets[member[i]]
        if network.per_site:
            path = folder / network.slug / f"{_code(i)}.csv"
        else:
            path = folder / f"{network.slug}-{folder.name}.csv"
        by_file.setdefault(path, []).append(row)
    for path, file_rows in by_file.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(columns)
            writer.writerows(file_rows)
    return list(by_file)
