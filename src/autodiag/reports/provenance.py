"""What each page is made from, and the key that tells whether it must be rendered again.

A page's **inputs** are the answer-export files whose submissions it shows (SHA-256 and name,
from the database), and the questionnaire versions of those submissions. They are printed in
the page's footer and recorded in ``outputs/manifest.json``, with the autodiag version.

A page's **key** (SHA-256) covers everything its bytes depend on: the files of every submission
whose figures reach the page (a structure page: its own files; a network page: its network's
files, this campaign and the previous one, and the whole campaign's when the network is too small
for its own answer-quality references), the content of the questionnaires, the autodiag version,
a digest of the code that renders it (``src/autodiag``, ``sql/``, the notebooks, the template and
the bundled plotly.js) and the parameters (``--min-group-size``, notebooks or not). Same key,
same page: the build skips it.

The figures shared by many pages (a network's quartiles, peer medians, the levers' shares and
contacts, national means) are not in those pages: they live in the campaign's data file
(:mod:`.references`), whose key covers every file of the campaign and of the campaigns before.

No date is part of a page: the build date lives in the manifest only.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from autodiag import __version__
from autodiag.analysis.frames import records
from autodiag.analysis.quality import MIN_NETWORK
from autodiag.paths import CONTRADICTIONS_FILE, CROSSWALK_FILE, NOTEBOOKS_DIR, SQL_DIR, sql_text

FOOTER_FILES = 5  # files named in a footer; beyond, their count and one digest of the list
CODE_SUFFIXES = (".py", ".sql", ".j2", ".js", ".ipynb")


@dataclass(frozen=True)
class Source:
    """One retained submission and the export file it came from."""

    campaign: int
    network: str
    code: str
    name: str
    version: str
    sha256: str
    file_name: str
    typologie: str | None = None  # the dashboard's filter


@dataclass
class Inputs:
    """The page inputs of a database, read once per build (or per report), indexed by campaign,
    network and structure (a national build asks for 30,000 pages)."""

    sources: list[Source]
    questionnaires: dict[str, str] = field(default_factory=dict)  # version -> digest of its content
    plans: dict = field(default_factory=dict)  # code -> [(campaign, SHA-256)] of its retained action plans
    opendata: list[tuple[str, str]] = field(default_factory=list)  # (SHA-256, name) of the open-data files

    def __post_init__(self) -> None:
        self._by_campaign: dict = {}
        self._by_network: dict = {}
        self._by_code: dict = {}
        self._by_structure: dict = {}  # code -> its sources, every campaign, in campaign order
        for s in sorted(self.sources, key=lambda s: (s.campaign, s.network, s.code)):
            self._by_campaign.setdefault(s.campaign, []).append(s)
            self._by_network.setdefault((s.campaign, s.network), []).append(s)
            self._by_code.setdefault((s.campaign, s.code), []).append(s)
            self._by_structure.setdefault(s.code, []).append(s)
        self._digests: dict = {}

    @classmethod
    def load(cls, db) -> Inputs:
        sources = [
            Source(
                int(r["campagne"]),
                r["reseau"],
                r["code_structure"],
                r["nom_structure"],
                r["version"],
                r["sha256"],
                r["file_name"],
                r["typologie"],
            )
            for r in records(db.query(sql_text("marts/page_inputs")))
        ]
        questions = db.referentiel()
        digests = {}
        for version in sorted(set(questions["version"])):
            rows = questions[questions["version"] == version].to_dict("records")
            digests[version] = _digest(rows)
        plans: dict = {}
        for code, campaign, sha in db.query(
            "select code_structure, campagne, sha256 from plans where superseded_by is null order by 1, 2"
        ).itertuples(index=False):
            plans.setdefault(code, []).append((int(campaign), sha))
        opendata = [
            (r["sha256"], r["name"]) for r in records(db.query("select sha256, name from opendata_files"))
        ]
        return cls(sources, digests, plans, sorted(opendata))

    def plans_before(self, campaign: int, codes) -> list:
        """The retained plans of ``codes`` for campaigns before ``campaign`` (followed up then)."""
        return [
            (code, c, sha)
            for code in sorted(set(codes))
            for c, sha in self.plans.get(code, [])
            if c < campaign
        ]

    def campaigns(self) -> list[int]:
        return sorted(self._by_campaign)

    def previous(self, campaign: int) -> int | None:
        earlier = [c for c in self.campaigns() if c < campaign]
        return max(earlier) if earlier else None

    def select(self, campaigns=None, network: str | None = None, code: str | None = None) -> list[Source]:
        """The sources of these campaigns (all when None), of one network or one structure."""
        found: list[Source] = []
        for c in (
            sorted({c for c in campaigns if c is not None}) if campaigns is not None else self.campaigns()
        ):
            if code is not None:
                found += [
                    s for s in self._by_code.get((c, code), []) if network is None or s.network == network
                ]
            elif network is not None:
                found += self._by_network.get((c, network), [])
            else:
                found += self._by_campaign.get(c, [])
        return found

    def up_to(self, code: str, campaign: int) -> list[Source]:
        """The sources of one structure up to a campaign (``select`` of those campaigns, asked
        for every structure page of a site)."""
        return [s for s in self._by_structure.get(code, []) if s.campaign <= campaign]

    def group(self, campaigns, network: str | None = None) -> tuple[str, list[str]]:
        """(digest of the files, questionnaire versions) of a group of sources, computed once."""
        key = (tuple(sorted(c for c in campaigns if c is not None)), network)
        if key not in self._digests:
            sources = self.select(key[0], network)
            self._digests[key] = (
                files_digest([(s.sha256, "") for s in sources]),
                sorted({s.version for s in sources}),
            )
        return self._digests[key]


@dataclass
class PageInputs:
    """What one page shows (``shown``) and what its content depends on: the shown sources and
    the groups (campaigns, network or None for all) whose figures reach it."""

    kind: str
    parameters: dict
    shown: list[Source]
    groups: list[tuple[tuple, str | None]] = field(default_factory=list)
    opendata: list[tuple[str, str]] = field(default_factory=list)  # open-data files the page shows

    def files(self) -> list[tuple[str, str]]:
        """(SHA-256, file name) of the files shown, sorted, once each."""
        return sorted({(s.sha256, s.file_name) for s in self.shown})

    def versions(self) -> list[str]:
        return sorted({s.version for s in self.shown})

    def key(self, inputs: Inputs, settings: dict, links: object = None) -> str:
        """The page's key; ``settings``: the build's options that change this kind of page;
        ``links``: its links to other pages, when they are part of what it shows."""
        groups = [inputs.group(campaigns, network) for campaigns, network in self.groups]
        versions = sorted(set(self.versions()).union(*(v for _, v in groups)))
        return _digest(
            [
                _same_for_every_page(
                    self.kind,
                    tuple(sorted(settings.items())),
                    code_digest(),
                    crosswalk_digest(),  # how trends and changes cross a version change
                    # the pairs of the answer-quality flags, which network pages alone show
                    contradictions_digest() if self.kind == "network" else None,
                ),
                self.parameters,
                sorted({s.sha256 for s in self.shown}),
                [d for d, _ in groups],
                {v: inputs.questionnaires.get(v) for v in versions},
                [sha for sha, _ in self.opendata],
                *([links] if links else []),
            ]
        )

    def manifest_entry(self) -> dict:
        return {
            "kind": self.kind,
            "parameters": self.parameters,
            "autodiag": __version__,
            "questionnaires": self.versions(),
            "inputs": [{"sha256": sha, "name": name} for sha, name in self.files()],
            "inputs_sha256": files_digest(self.files()),
            **(
                {"opendata": [{"sha256": sha, "name": name} for sha, name in self.opendata]}
                if self.opendata
                else {}
            ),
        }


def structure_page(inputs: Inputs, campaign: int, code: str) -> PageInputs:
    # The page shows the structure's whole history up to this campaign, and compares it with its
    # own most recent earlier campaign (whichever year).
    # The figures it shares with other structures (its network's, its peers', the levers' shares
    # and contacts) are read from the campaign's data file (references.py): not part of its key.
    # The follow-up shows the structure's plans of earlier campaigns.
    own = inputs.up_to(code, campaign)
    current = next(s for s in own if s.campaign == campaign)
    earlier = [s.campaign for s in own if s.campaign < campaign]
    return PageInputs(
        "structure",
        {
            "campaign": campaign,
            "code": code,
            "network": current.network,
            "previous": max(earlier, default=None),
            "plans": inputs.plans_before(campaign, [code]),
        },
        own,
        opendata=inputs.opendata,
    )


def reference_data(inputs: Inputs, campaign: int, network: str | None = None) -> PageInputs:
    """A data file of shared figures: the campaign's (every file of the campaign) or one
    network's (its files, and every earlier file of its structures: the levers' contacts
    compare each structure with its own earlier rates)."""
    if network is None:
        return PageInputs("data", {"campaign": campaign}, inputs.select([campaign]), [((campaign,), None)])
    codes = {s.code for s in inputs.select([campaign], network=network)}
    earlier = [c for c in inputs.campaigns() if c <= campaign]
    shown = [s for c in earlier for code in sorted(codes) for s in inputs.select([c], code=code)]
    return PageInputs("data", {"campaign": campaign, "network": network}, shown)


def network_page(inputs: Inputs, campaign: int, network: str) -> PageInputs:
    prev = inputs.previous(campaign)
    shown = inputs.select([campaign, prev], network=network)
    # « S'inspirer de » and the answer-quality jumps compare each structure with its own most
    # recent earlier campaign (whichever year, whatever network then).
    seen = set(shown)
    older = [c for c in reversed(inputs.campaigns()) if c < campaign]
    for code in sorted({s.code for s in shown if s.campaign == campaign}):
        latest = next((inputs.select([c], code=code) for c in older if inputs.select([c], code=code)), [])
        shown += [s for s in latest if s not in seen]
        seen.update(latest)
    # The national figures are read from the campaign's data file (references.py); a small
    # network's answer-quality shares are judged against the whole campaign (quality.py).
    plans = inputs.plans_before(campaign, [s.code for s in shown if s.campaign == campaign])
    small = len(inputs.select([campaign], network=network)) < MIN_NETWORK
    return PageInputs(
        "network",
        {"campaign": campaign, "network": network, "plans": plans},
        shown,
        [((campaign, prev), network)] + ([((campaign,), None)] if small else []),
        opendata=inputs.opendata,
    )


def trends_page(inputs: Inputs, network: str | None) -> PageInputs:
    return PageInputs(
        "trends", {"network": network}, inputs.select(network=network), [(tuple(inputs.campaigns()), network)]
    )


def dashboard_page(inputs: Inputs) -> PageInputs:
    return PageInputs(
        "index", {}, inputs.sources, [(tuple(inputs.campaigns()), None)], opendata=inputs.opendata
    )


def files_digest(files: list[tuple[str, str]]) -> str:
    """One SHA-256 for a list of files: over their sorted SHA-256s, one per line."""
    return hashlib.sha256("".join(f"{sha}\n" for sha, _ in sorted(files)).encode("ascii")).hexdigest()


def footer(page: PageInputs, *, in_site: bool) -> str:
    """The page's footer, in French: what made it (no date: the manifest alone carries it)."""
    files = page.files()
    versions = ", ".join(page.versions()) or "--"
    lines = [
        f"Rapport produit par autodiag {__version__} — données Services Publics + — questionnaire {versions}."
    ]
    if len(files) <= FOOTER_FILES:
        lines.append(f"Fichier(s) d'export ({len(files)}), empreinte SHA-256 :")
        lines.extend(f"{name} : {sha}" for sha, name in files)
    else:
        where = " ; la liste et l'empreinte de chacun sont dans manifest.json" if in_site else ""
        lines.append(
            f"{len(files)} fichiers d'export, empreinte SHA-256 de l'ensemble (liste triée des empreintes) : "
            f"{files_digest(files)}{where}."
        )
    if page.opendata:
        lines.append(f"Données ouvertes du programme ({len(page.opendata)} fichier(s)), empreinte SHA-256 :")
        lines.extend(f"{name} : {sha}" for sha, name in page.opendata)
    return "\n".join(lines)


@functools.cache
def _same_for_every_page(kind: str, settings: tuple, *digests: str | None) -> str:
    """What the key of every page of a kind holds besides its own inputs: digested once."""
    return _digest([kind, dict(settings), __version__, *digests])


@functools.cache
def crosswalk_digest() -> str | None:

    return hashlib.sha256(CROSSWALK_FILE.read_bytes()).hexdigest() if CROSSWALK_FILE.exists() else None


@functools.cache
def contradictions_digest() -> str | None:

    return (
        hashlib.sha256(CONTRADICTIONS_FILE.read_bytes()).hexdigest() if CONTRADICTIONS_FILE.exists() else None
    )


@functools.cache
def code_digest() -> str:
    """SHA-256 of the code and files that render pages: any change renders every page again."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for folder in (package, SQL_DIR, NOTEBOOKS_DIR):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in CODE_SUFFIXES):
            if "__pycache__" in path.parts or ".ipynb_checkpoints" in path.parts:
                continue
            h.update(f"{folder.name}/{path.relative_to(folder).as_posix()}".encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
