"""Improvement levers: for a structure and a campaign, the questions that would raise its rates
most, what comparable structures answer, and whom to call.

The rule:

- **a lever** is every applicable question (answered, not « Non applicable », not empty)
  worth less than 1 point;
- **its gain** is exact. An engagement's rate is its points over its ``n`` applicable
  questions, so a question that reaches 1 point raises it by ``100 × (1 − points) / n``
  points of percentage; the global rate is the mean of the ``k`` engagements that have a rate,
  so it rises by the engagement's gain divided by ``k``;
- **how common « Oui » is**: among the other structures of the campaign that answered the
  question (applicable), how many reached its full point (« Oui », or enough options ticked),
  as a count and a share, in the same typologie (every network) and in the structure's
  network; masked when fewer than the minimum group size answered;
- **whom to call**: the structures of the network that the « S'inspirer de » rule
  (:mod:`autodiag.analysis.inspiration`) names on the question's theme, with their « points
  forts » on the engagement;
- **the order**: the largest gain first; between equal gains, the lever most common among
  comparable structures first (what is common is within reach): the share of « Oui » in the
  same typologie when it can be shown, else in the network, masked shares last; then the
  questionnaire order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from autodiag import formatting as fmt
from autodiag.analysis import inspiration
from autodiag.analysis.frames import records
from autodiag.analysis.privacy import Confidentiality
from autodiag.analysis.versions import source
from autodiag.paths import sql_text

BATCH = 500  # structures whose answers one read covers (a build's pages, in order)


@dataclass(frozen=True)
class Share:
    """How many comparable structures answered the question, and how many reached 1 point;
    both None when masked (fewer than the minimum group size answered) or unknown."""

    n_yes: int | None
    n_answered: int | None

    @property
    def share(self) -> float | None:
        """Percent of « Oui » among those who answered."""
        if not self.n_answered or self.n_yes is None:
            return None
        return 100 * self.n_yes / self.n_answered


@dataclass(frozen=True)
class Lever:
    code: str
    campaign: int
    version: str
    position: int
    question_id: str
    engagement: int
    theme: str
    theme_title: str
    question: str | None
    answer: str
    points: float
    engagement_applicable: int  # n: the engagement's applicable questions
    rated_engagements: int  # k: the engagements with a rate
    engagement_gain: Fraction  # points of percentage
    global_gain: Fraction
    typologie: str | None
    typology: Share
    network: Share
    contacts: tuple = ()  # inspiration.Contact, best first

    @property
    def commonness(self) -> float | None:
        """What the order reads after the gain: the typologie's share, else the network's."""
        return self.typology.share if self.typology.share is not None else self.network.share


def gains(points: float, applicable: int, rated: int) -> tuple[Fraction, Fraction]:
    """(engagement gain, global gain), exact, in points of percentage, of one question worth
    ``points`` reaching 1 in an engagement of ``applicable`` questions, among ``rated`` engagements."""
    engagement = Fraction(100) * (1 - Fraction(points)) / applicable
    return engagement, engagement / rated


def order_key(lever: Lever) -> tuple:
    common = lever.commonness
    return (-lever.global_gain, common is None, -(common or 0.0), lever.position)


def structure_levers(
    answers: list[dict],
    counts: dict,
    privacy: Confidentiality,
    contacts: Callable[[str, int, str], tuple] = lambda network, campaign, theme: (),
    campaign: int = 0,
) -> list[Lever]:
    """The levers of one structure, ranked. ``answers``: its rows of sql/marts/lever_answers.sql;
    ``counts``: (grouping, grouped, version, question_id) -> (n_answered, n_yes) from
    sql/marts/question_yes_counts.sql (the structure counted in); ``contacts(network,
    campaign, theme)``: the « S'inspirer de » contacts of a theme."""
    scored = [a for a in answers if a["status"] == "answered" and a["points"] is not None]
    applicable: dict[int, int] = {}
    for a in scored:
        applicable[a["engagement"]] = applicable.get(a["engagement"], 0) + 1
    found = []
    for a in scored:
        if a["points"] >= 1:
            continue
        engagement_gain, global_gain = gains(a["points"], applicable[a["engagement"]], len(applicable))
        key = (a["version"], a["question_id"])
        found.append(
            Lever(
                code=a["code_structure"],
                campaign=campaign,
                version=a["version"],
                position=a["position"],
                question_id=a["question_id"],
                engagement=a["engagement"],
                theme=a["theme_id"],
                theme_title=a["theme_title"],
                question=a["question"],
                answer=a["answer"],
                points=a["points"],
                engagement_applicable=applicable[a["engagement"]],
                rated_engagements=len(applicable),
                engagement_gain=engagement_gain,
                global_gain=global_gain,
                typologie=a["typologie"],
                typology=others_share(counts.get(("typologie", a["typologie"], *key)), privacy),
                network=others_share(counts.get(("reseau", a["reseau"], *key)), privacy),
                contacts=tuple(
                    c for c in contacts(a["reseau"], campaign, a["theme_id"]) if c.code != a["code_structure"]
                ),
            )
        )
    return sorted(found, key=order_key)


def others_share(count: tuple[int, int] | None, privacy: Confidentiality) -> Share:
    """The group's figures without the structure itself (it answered, below 1 point)."""
    if count is None:
        return Share(None, None)
    answered, yes = count[0] - 1, count[1]
    return Share(yes, answered) if privacy.enough(answered) else Share(None, None)


class LeverReader:
    """``reader(code, privacy)``: the ranked levers of ``code`` in ``campaign``. The counts of « Oui » are
    read once per campaign, the contacts once per network and theme, the answers for a batch
    of :data:`BATCH` structures (``plan(codes)`` names the pages about to be rendered).
    ``own_only``: the levers and their gains without the shares of « Oui » and the contacts
    (a site page reads those from the campaign's data files)."""

    def __init__(self, con, campaign: int, own_only: bool = False):
        self.con, self.campaign, self.own_only = con, campaign, own_only
        self.order: list[str] = []
        self.answers: dict[str, list[dict]] = {}
        self._counts: dict | None = None
        self._networks: dict[str, tuple] = {}
        self._contacts: dict[tuple, tuple] = {}

    def plan(self, codes: list[str]) -> None:
        self.order = list(codes)

    def __call__(self, code: str, privacy: Confidentiality) -> list[Lever]:
        if code not in self.answers:
            self._read(code)
        if self.own_only:
            return structure_levers(self.answers.get(code, []), {}, privacy, campaign=self.campaign)
        return structure_levers(
            self.answers.get(code, []), self.counts(), privacy, self.contacts, self.campaign
        )

    def _read(self, code: str) -> None:
        start = self.order.index(code) if code in self.order else None
        batch = self.order[start : start + BATCH] if start is not None else [code]
        rows = records(
            self.con.execute(
                sql_text("marts/lever_answers"), {"campagne": self.campaign, "codes": batch}
            ).df()
        )
        self.answers = {c: [] for c in batch}
        for row in rows:
            self.answers[row["code_structure"]].append(row)

    def counts(self) -> dict:
        if self._counts is None:
            rows = self.con.execute(
                sql_text("marts/question_yes_counts"), {"campagne": self.campaign}
            ).fetchall()
            self._counts = {tuple(r[:4]): (int(r[4]), int(r[5])) for r in rows}
        return self._counts

    def network_contacts(self, network: str) -> dict[str, tuple]:
        """theme -> its contacts in the network, every theme at once (the network's rows are read
        for this call only: a campaign's data files ask for every network in turn)."""
        scores, earlier, texts = self._network_rows(network)
        themes = sorted({r["unit"] for r in scores if r["level"] == "theme"})
        found = inspiration.contacts(
            scores, earlier, texts, themes, lambda before, after, unit: source(before, after, "theme", unit)
        )
        return {t: tuple(found[t]) for t in themes}

    def contacts(self, network: str, campaign: int, theme: str) -> tuple:
        if (network, theme) not in self._contacts:
            self._contacts[(network, theme)] = tuple(self._find_contacts(network, [theme])[theme])
        return self._contacts[(network, theme)]

    def _find_contacts(self, network: str, themes: list[str]) -> dict:
        scores, earlier, texts = self._network(network)
        return inspiration.contacts(
            scores, earlier, texts, themes, lambda before, after, unit: source(before, after, "theme", unit)
        )

    def _network(self, network: str) -> tuple:
        if network not in self._networks:
            self._networks[network] = self._network_rows(network)
        return self._networks[network]

    def _network_rows(self, network: str) -> tuple:
        """(theme scores, earlier theme scores, « points forts ») of the network's structures."""
        params = {"campagne": self.campaign, "reseau": network}
        scores = records(self.con.execute(sql_text("marts/theme_scores"), params).df())
        earlier = records(self.con.execute(sql_text("marts/earlier_theme_scores"), params).df())
        texts = self.con.execute(sql_text("marts/free_texts"), {**params, "code": None}).df()
        return scores, earlier, records(texts[texts["field"] == "points_forts"])


RECORD_COLUMNS = [
    "code",
    "campaign",
    "version",
    "rank",
    "engagement",
    "theme",
    "theme_title",
    "question_id",
    "question",
    "answer",
    "points",
    "engagement_applicable",
    "rated_engagements",
    "engagement_gain",
    "global_gain",
    "typology",
    "typology_yes",
    "typology_answered",
    "typology_share",
    "network_yes",
    "network_answered",
    "network_share",
    "contact_codes",
    "contacts",
]
COUNT_COLUMNS = ["typology_yes", "typology_answered", "network_yes", "network_answered"]


def contact_text(contact) -> str:
    """« STR-31 Nom (thème à 87,5 %) — points forts : … »: one structure to call, for a cell."""
    text = f"{contact.code} {contact.name} (thème à {fmt.theme_rate(contact.rate)})"
    return text + (f" — points forts : {contact.strengths}" if contact.strengths else "")


def lever_record(rank: int, lever: Lever) -> dict:
    """One lever as a flat record (the API's columns)."""
    return {
        "code": lever.code,
        "campaign": lever.campaign,
        "version": lever.version,
        "rank": rank,
        "engagement": lever.engagement,
        "theme": lever.theme,
        "theme_title": lever.theme_title,
        "question_id": lever.question_id,
        "question": lever.question,
        "answer": lever.answer,
        "points": lever.points,
        "engagement_applicable": lever.engagement_applicable,
        "rated_engagements": lever.rated_engagements,
        "engagement_gain": float(lever.engagement_gain),
        "global_gain": float(lever.global_gain),
        "typology": lever.typologie,
        "typology_yes": lever.typology.n_yes,
        "typology_answered": lever.typology.n_answered,
        "typology_share": lever.typology.share,
        "network_yes": lever.network.n_yes,
        "network_answered": lever.network.n_answered,
        "network_share": lever.network.share,
        "contact_codes": [c.code for c in lever.contacts],
        "contacts": " ; ".join(contact_text(c) for c in lever.contacts),
    }
