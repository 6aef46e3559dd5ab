"""Read-only Python API over a scored database, for notebooks and researchers.

    >>> from autodiag.api import Autodiag
    >>> db = Autodiag("data/autodiag.duckdb")
    >>> db.engagement_scores(campaign=2024, network="Universités et écoles")

Every method returns a pandas DataFrame of the retained submissions (the latest of each
structure and campaign). Column names are English, like the arguments (``campaign``,
``network``, ``code``; see COLUMN_NAMES and notebooks/exploration.ipynb). Rates and shares are
unrounded percentages, 0 to 100 (format them with ``autodiag.formatting``). A filter that
matches nothing raises LookupError naming the close matches; codes match whatever their case.
``query()`` runs SQL on the database itself, with its own (French) column names.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from autodiag.analysis import inspiration as rule
from autodiag.analysis import levers as lever_rule
from autodiag.analysis import observed, quality
from autodiag.analysis import plans as plan_rule
from autodiag.analysis.change import engagement_changes
from autodiag.analysis.frames import records
from autodiag.analysis.privacy import DEFAULT_MIN_GROUP_SIZE, Confidentiality
from autodiag.analysis.versions import source
from autodiag.matching import same_but_accents, suggestion
from autodiag.paths import default_db, sql_text
from autodiag.referentiel import crosswalk, questionnaires
from autodiag.referentiel.codebook import codebook
from autodiag.scoring.store import open_reader

# The database keeps the answer export's French column names; the API renames them once here.
COLUMN_NAMES = {
    "campagne": "campaign",
    "reseau": "network",
    "code_structure": "code",
    "nom_structure": "name",
    "typologie": "typology",
    "localisation": "location",
    "date_enregistrement": "recorded_at",
    "nb_agents_contributeurs": "n_contributors",
    "nb_agents_interaction": "n_agents_interaction",
    "theme_id": "theme",
}
PLAN_COLUMNS = {
    **COLUMN_NAMES,
    "pilote": "pilot",
    "echeance": "deadline",
    "statut": "status",
    "commentaire": "comment",
}
# The open data's columns, as the API names them.
OPENDATA_NAMES = {
    "nom": "name",
    "code_parent": "parent_code",
    "nom_parent": "parent_name",
    "code_postal": "postal_code",
    "commune": "town",
    "answered": "has_self_diagnostic",
    "in_opendata": "in_open_data",
    "code_indicateur": "indicator_code",
    "indicateur": "indicator",
    "intitule_usager": "indicator_for_users",
    "unite": "unit",
    "type_unite": "unit_type",
    "valeur": "value",
    "date_mise_a_jour": "updated_on",
    "frequence": "frequency",
    "derniere": "latest",
    "mediane_reseau": "network_median",
    "structures_reseau": "network_structures",
    "code_resultat": "result_code",
    "etat": "state",
    "ecrit_le": "written_on",
    "date_publication": "published_on",
    "titre": "title",
    "ressenti": "feeling",
    "reponse": "answer",
    "date_reponse": "answered_on",
    "date_action_engagee": "action_on",
    "reseau_experience": "experience_network",
    "correspondance": "match",
    "codes_candidats": "candidate_codes",
    "repondue": "answered",
    "jours_reponse": "days_to_answer",
    "taux_global": "global_rate",
    "taux_e6": "e6_rate",
    "taux_e7": "e7_rate",
    "indicateurs_attendus": "indicators_expected",
    "indicateurs_publies": "indicators_published",
    "positives": "positive",
    "neutres": "neutral",
    "negatives": "negative",
    "repondues": "answered",
    "jours_mediane": "median_days_to_answer",
    "part_indicateurs": "share_indicators_published",
    "part_positives": "share_positive",
    "part_neutres": "share_neutral",
    "part_negatives": "share_negative",
    "part_repondues": "share_answered",
    "question_e6": "question_e6",
    "question_e7": "question_e7",
}
CHANGE_COLUMNS = {
    "code_structure": "code",
    "campagne_avant": "campaign_before",
    "version_avant": "version_before",
    "campagne_apres": "campaign_after",
    "version_apres": "version_after",
}


class Autodiag:
    _english = True  # rename columns (COLUMN_NAMES)
    _strict = True  # a filter that matches nothing is an error

    def __init__(self, db_path: Path | str | None = None) -> None:
        """``db_path`` None: $AUTODIAG_DB, else the project's data/autodiag.duckdb (paths.default_db)."""
        self.db_path = Path(db_path) if db_path is not None else default_db()
        self.con: duckdb.DuckDBPyConnection = open_reader(self.db_path)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Autodiag:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        """Any read query, values bound as parameters (the database's own column names)."""
        return self.con.execute(sql, params or {}).df()

    def _mart(self, name: str, **params) -> pd.DataFrame:
        query = sql_text(f"marts/{name}")
        frame = self.query(query, {k: v for k, v in params.items() if f"${k}" in query})
        return frame.rename(columns={**COLUMN_NAMES, **OPENDATA_NAMES}) if self._english else frame

    def _scoped(self, name: str, campaign=None, network=None, code=None) -> pd.DataFrame:
        campaign, network, code = self.resolve(campaign, network, code)
        return self._mart(name, campagne=campaign, reseau=network, code=code)

    # --- what is in the database -------------------------------------------------------
    def campaigns(self) -> list[int]:
        return [
            r[0]
            for r in self.con.execute(
                "select distinct campagne from retained_submissions order by 1"
            ).fetchall()
        ]

    def networks(self, campaign: int | None = None) -> list[str]:
        return self._distinct("reseau", campaign)

    def codes(self, campaign: int | None = None) -> list[str]:
        """Structure codes with a retained submission (in ``campaign``, or in any)."""
        return self._distinct("code_structure", campaign)

    def _distinct(self, column: str, campaign: int | None) -> list[str]:
        return [
            r[0]
            for r in self.con.execute(
                f"select distinct {column} from retained_submissions where $c is null or campagne = $c order by 1",
                {"c": campaign},
            ).fetchall()
        ]

    def resolve(self, campaign: int | None = None, network: str | None = None, code: str | None = None):
        """The filters as the database spells them (a code in any case: ``str-24`` is STR-24);
        LookupError, in French, naming the close matches, when one matches nothing."""
        if not self._strict:
            return campaign, network, code
        if code is not None:
            code = self._canonical_code(code)
        if network is not None and network not in (networks := self.networks(campaign)):
            network = same_but_accents(network, networks) or network  # the only match, accents aside
        self.check_scope(campaign, network, code)
        return campaign, network, code

    def _canonical_code(self, code: str) -> str:
        rows = self.con.execute(
            "select distinct code_structure from retained_submissions where lower(code_structure) = lower(trim($code))",
            {"code": code},
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else code

    def check_scope(
        self, campaign: int | None = None, network: str | None = None, code: str | None = None
    ) -> None:
        """Raise LookupError (in French, with close matches) for an unknown campaign, network or code."""
        campaigns = self.campaigns()
        if campaign is not None and campaign not in campaigns:
            known = ", ".join(map(str, campaigns)) or "aucune"
            raise LookupError(f"campagne {campaign} absente de la base (campagnes chargées : {known})")
        where = f" en {campaign}" if campaign is not None else ""
        if network is not None and network not in (networks := self.networks(campaign)):
            raise LookupError(
                f"réseau « {network} » absent de la base{where}" + _hint(network, networks, "réseaux")
            )
        if code is not None and code not in (codes := self.codes(campaign)):
            others = self.codes() if campaign is not None else []
            if code in others:
                raise LookupError(
                    f"aucune soumission de {code}{where} (campagnes de {code} : "
                    + ", ".join(map(str, self._campaigns_of(code)))
                    + ")"
                )
            raise LookupError(f"structure « {code} » absente de la base{where}" + _hint(code, codes, "codes"))

    def _campaigns_of(self, code: str) -> list[int]:
        rows = self.con.execute(
            "select distinct campagne from retained_submissions where code_structure = $code order by 1",
            {"code": code},
        ).fetchall()
        return [r[0] for r in rows]

    def submissions(self, campaign: int | None = None, network: str | None = None) -> pd.DataFrame:
        """Every submission, retained or superseded (column ``retained``)."""
        return self._scoped("submissions", campaign, network)

    def referentiel(self, version: str | None = None) -> pd.DataFrame:
        frame = self.query(
            "select * from referentiel_questions where $v is null or version = $v order by version, position",
            {"v": version},
        )
        return frame.rename(columns=COLUMN_NAMES) if self._english else frame

    # --- scores ------------------------------------------------------------------------
    def scores(
        self, campaign: int | None = None, network: str | None = None, code: str | None = None
    ) -> pd.DataFrame:
        """All levels (global, engagement, theme) in one long table, with titles."""
        return self._scoped("scores_long", campaign, network, code)

    def _level(self, level: str, campaign, network, code) -> pd.DataFrame:
        frame = self.scores(campaign, network, code)
        return frame[frame["level"] == level].reset_index(drop=True)

    def global_scores(
        self, campaign: int | None = None, network: str | None = None, code: str | None = None
    ) -> pd.DataFrame:
        return self._level("global", campaign, network, code)

    def engagement_scores(
        self, campaign: int | None = None, network: str | None = None, code: str | None = None
    ) -> pd.DataFrame:
        return self._level("engagement", campaign, network, code)

    def theme_scores(
        self, campaign: int | None = None, network: str | None = None, code: str | None = None
    ) -> pd.DataFrame:
        return self._level("theme", campaign, network, code)

    def network_summary(self, campaign: int | None = None) -> pd.DataFrame:
        """Per network (and nationally, ``network`` null): count, mean, quartiles, % below 50."""
        return self._scoped("network_summary", campaign)

    # --- answers and texts ---------------------------------------------------------------
    def answers(
        self, campaign: int | None = None, network: str | None = None, code: str | None = None
    ) -> pd.DataFrame:
        """One row per retained submission and question: question text, answer as worded,
        points, and whether it is applicable (counted in the rates)."""
        return self._scoped("answers", campaign, network, code)

    def answer_quality(self, campaign: int | None = None, network: str | None = None) -> pd.DataFrame:
        """Per question: answered, not applicable and empty answers."""
        return self._scoped("answer_quality", campaign, network)

    def answer_flags(self, campaign: int | None = None, network: str | None = None) -> pd.DataFrame:
        """Answer-quality flags, one row per flag: ``flag`` (straight_lining, jump,
        not_applicable_share, missing_share, contradiction), ``engagement`` (jumps, contradictions),
        ``value`` and ``threshold`` (see autodiag.analysis.quality and docs/qualite-des-reponses.md), ``detail`` in French."""

        campaign, network, _ = self.resolve(campaign, network)
        frame = quality.flags(self.con, campaign, network)
        return frame.rename(columns=COLUMN_NAMES) if self._english else frame

    def free_texts(
        self, campaign: int | None = None, network: str | None = None, code: str | None = None
    ) -> pd.DataFrame:
        return self._scoped("free_texts", campaign, network, code)

    def codebook(self, version: str | None = None) -> pd.DataFrame:
        """Every column of the exports and every question of each questionnaire version, with
        its labels (see autodiag.referentiel.codebook)."""

        versions = [
            r[0]
            for r in self.con.execute(
                "select distinct version from referentiel_questions order by 1"
            ).fetchall()
        ]
        if version is not None and version not in versions:
            raise LookupError(
                f"version « {version} » du questionnaire absente de la base"
                + _hint(version, versions, "versions")
            )
        return codebook(self.con, version)

    # --- same structures across campaigns (issue 9) -------------------------------------
    def panel_summary(self, campaigns: list[int], network: str | None = None) -> pd.DataFrame:
        """Mean rates of the structures present in every campaign of ``campaigns`` (one
        network, or all with None): ``n_panel`` structures, ``n_rated`` with a rate in each."""
        return self._mart("panel_summary", campagnes=[int(c) for c in campaigns], reseau=network)

    def campaign_versions(self, network: str | None = None) -> pd.DataFrame:
        """The questionnaire version of each campaign (``version``), with its structures."""
        return self._mart("campaign_versions", reseau=network)

    def structure_history(self, code: str | None = None, up_to: int | None = None) -> pd.DataFrame:
        """Global and engagement scores of every campaign of a structure (or all), with ``version``."""
        return self._mart("structure_history", code=code, campagne=up_to)

    def rate_changes(self, code: str, before: int, after: int) -> pd.DataFrame:
        """Why each engagement rate of ``code`` changed between two campaigns: ``answers``,
        ``applicability`` and ``questionnaire`` (points of %) add up to ``change`` exactly;
        ``link``: how the engagement crosses a questionnaire change (crosswalk)."""

        by_version = questionnaires.load_all()
        rows = engagement_changes(self.con, by_version, crosswalk.load(by_version), code, before, after)
        versions = dict(
            self.con.execute(
                "select campagne, version from retained_submissions where code_structure = $code and campagne in ($a, $b)",
                {"code": code, "a": before, "b": after},
            ).fetchall()
        )
        frame = pd.DataFrame(rows)
        frame.insert(0, "code_structure", code)
        frame.insert(1, "campagne_avant", before)
        frame.insert(2, "version_avant", versions[before])
        frame.insert(3, "campagne_apres", after)
        frame.insert(4, "version_apres", versions[after])
        return frame.rename(columns=CHANGE_COLUMNS) if self._english else frame

    def inspiration(
        self, campaign: int, network: str, themes: int | None = None, min_group_size: int | None = None
    ) -> pd.DataFrame:
        """« S'inspirer de »: on each of the network's ``themes`` weakest themes (5; ranked as in
        the network report, themes rated in fewer than ``min_group_size`` structures left out),
        one row per structure of the network that scores well (``rate`` at least 75 % on half
        of the theme's questions): ``status`` ``improved`` (at least 1 point above its own most
        recent earlier campaign, matched through the crosswalk across versions) or
        ``no_earlier`` (no comparable earlier rate). ``strengths``: its « points forts » on the
        theme's engagement, as written (« RAS » included). Rule: autodiag.analysis.inspiration."""

        campaign, network, _ = self.resolve(campaign, network)
        native = {"campagne": campaign, "reseau": network, "code": None}
        summary = records(self.query(sql_text("marts/network_summary"), {"campagne": campaign}))
        units = rule.weakest_units(
            [r for r in summary if r["reseau"] == network],
            rule.THEMES if themes is None else themes,
            Confidentiality(DEFAULT_MIN_GROUP_SIZE if min_group_size is None else min_group_size),
        )
        scores = records(self.query(sql_text("marts/scores_long"), native))
        earlier = records(
            self.query(sql_text("marts/earlier_theme_scores"), {"campagne": campaign, "reseau": network})
        )
        texts = records(self.query(sql_text("marts/free_texts"), native))
        found = rule.contacts(
            scores, earlier, texts, units, lambda before, after, unit: source(before, after, "theme", unit)
        )
        means = {r["unit"]: r["mean"] for r in summary if r["reseau"] == network and r["level"] == "theme"}
        titles = {r["unit"]: r["title"] for r in scores if r["level"] == "theme"}
        rows = [
            {
                "campaign": campaign,
                "network": network,
                "theme": unit,
                "theme_title": titles[unit],
                "engagement": c.engagement,
                "network_mean": means[unit],
                "code": c.code,
                "name": c.name,
                "status": c.status,
                "version": c.version,
                "rate": c.rate,
                "applicable": c.applicable,
                "n_questions": c.n_questions,
                "campaign_before": c.campaign_before,
                "version_before": c.version_before,
                "theme_before": c.unit_before,
                "link": c.link,
                "rate_before": c.rate_before,
                "change": c.change,
                "strengths": c.strengths,
            }
            for unit in units
            for c in found[unit]
        ]
        frame = pd.DataFrame(rows, columns=INSPIRATION_COLUMNS)
        return frame.astype({"campaign_before": "Int64"})  # a year, empty without an earlier campaign

    def levers(self, code: str, campaign: int, min_group_size: int | None = None) -> pd.DataFrame:
        """Improvement levers of ``code`` in ``campaign``, best first (``rank``): every applicable
        question below 1 point, its ``answer``, the exact ``engagement_gain`` and ``global_gain``
        (points of percentage) if it reached 1, how many other structures of the same typologie
        and of the network answered « Oui » (``*_yes`` of ``*_answered``, ``*_share`` in percent;
        empty under ``min_group_size``), and the structures to contact on its theme (« S'inspirer
        de »): ``contact_codes``, and ``contacts`` as text with their « points forts ». Rule:
        autodiag.analysis.levers."""

        campaign, _, code = self.resolve(campaign, None, code)
        privacy = Confidentiality(DEFAULT_MIN_GROUP_SIZE if min_group_size is None else min_group_size)
        found = lever_rule.LeverReader(self.con, campaign)(code, privacy)
        frame = pd.DataFrame(
            [lever_rule.lever_record(rank, lever) for rank, lever in enumerate(found, 1)],
            columns=lever_rule.RECORD_COLUMNS,
        )
        return frame.astype({c: "Int64" for c in lever_rule.COUNT_COLUMNS})

    def plans(
        self,
        code: str | None = None,
        campaign: int | None = None,
        network: str | None = None,
        superseded: bool = False,
    ) -> pd.DataFrame:
        """The actions of the loaded plans (``autodiag ingest-plan``), one row per action the team
        filled in, with its plan (``plan_id``, ``file_name``, ``loaded_at``) and ``retained``
        (False: replaced by a later plan of the same structure and campaign, listed with
        ``superseded``). Team columns: ``action``, ``pilot``, ``deadline``, ``status``, ``comment``."""

        if code is not None:
            code = self._canonical_code(code)
        frame = self.query(
            sql_text("marts/plans"),
            {"code": code, "campagne": campaign, "reseau": network, "tous": superseded},
        )
        return frame.rename(columns=PLAN_COLUMNS) if self._english else frame

    def plan_follow_up(self, code: str, campaign: int) -> pd.DataFrame:
        """The plan followed at ``campaign``: the latest retained plan of ``code`` for an earlier
        campaign (``plan_campaign``), each action with its ``status``, what its question
        answered then and now (``answer_then``/``points_then``, ``answer_now``/``points_now``;
        ``question_now``: its match through the crosswalk) and its ``outcome``
        (done_improved, done_not_improved, done_not_comparable, not_done). Rule:
        autodiag.analysis.plans. Empty when no earlier plan was loaded."""

        campaign, _, code = self.resolve(campaign, None, code)
        rows = plan_rule.FollowUp(self.con, campaign, code)(code)
        frame = pd.DataFrame([vars(a) for a in rows], columns=FOLLOW_UP_COLUMNS)
        english = {"pilote": "pilot", "echeance": "deadline", "statut": "status", "commentaire": "comment"}
        return frame.rename(columns=english) if self._english else frame

    # --- the programme's open data (autodiag ingest-opendata) -----------------------------
    def structures(self, network: str | None = None, code: str | None = None) -> pd.DataFrame:
        """Every known structure (open-data structures export and answer exports, joined by
        code): ``parent_code`` and ``parent_name`` (the level above it, when the open data
        says), ``postal_code`` and ``departement`` (2A/2B for Corsica, 3 digits overseas)."""
        return self._mart("structures", reseau=network, code=code)

    def indicator_results(self, network: str | None = None, code: str | None = None) -> pd.DataFrame:
        """Published indicator results with their unit and date; for a structure's ``latest``
        result of an indicator, ``network_median`` of its network's latest results (over
        ``network_structures`` structures: mask it below your minimum group size)."""
        return self._mart("indicator_results", reseau=network, code=code)

    def experiences(self, network: str | None = None, code: str | None = None) -> pd.DataFrame:
        """Published user experiences, ``match`` « une », « aucune » or « plusieurs » (exact
        name and network, case and accents ignored), ``code`` set when one structure matched;
        ``answered`` (a published answer) and ``days_to_answer``."""
        return self._mart("experiences", reseau=network, code=code)

    def declared_vs_observed(self, campaign: int, network: str | None = None) -> pd.DataFrame:
        """Per structure of the campaign: E6 and E7 rates beside the share of its network's
        indicators it published and its experiences (shares by feeling, answered, median days);
        ``question_e6`` / ``question_e7``: strong disagreements to check (autodiag.analysis.observed)."""
        campaign, network, _ = self.resolve(campaign, network)
        return self._mart("declared_vs_observed", campagne=campaign, reseau=network, **observed.THRESHOLDS)

    def parent_summary(self, campaign: int, network: str) -> pd.DataFrame:
        """A network's global and engagement rates by parent structure: the mean of its sites'
        rates (``n_rated`` sites; mask below your minimum group size)."""
        campaign, network, _ = self.resolve(campaign, network)
        return self._mart("parent_summary", campagne=campaign, reseau=network)

    def departement_summary(self, campaign: int) -> pd.DataFrame:
        """Mean global rate by département (from the postal code), nationally (``network``
        null) and per network: ``n_rated`` structures (mask below your minimum group size)."""
        campaign, _, _ = self.resolve(campaign)
        return self._mart("departement_summary", campagne=campaign)

    def open_data_files(self) -> pd.DataFrame:
        """The open-data files loaded: name, kind, SHA-256, rows, columns not recognised."""
        return self.query("select * from opendata_files order by file_id")


FOLLOW_UP_COLUMNS = list(plan_rule.FollowedAction.__dataclass_fields__)


INSPIRATION_COLUMNS = [
    "campaign",
    "network",
    "theme",
    "theme_title",
    "engagement",
    "network_mean",
    "code",
    "name",
    "status",
    "version",
    "rate",
    "applicable",
    "n_questions",
    "campaign_before",
    "version_before",
    "theme_before",
    "link",
    "rate_before",
    "change",
    "strengths",
]


class NativeAutodiag(Autodiag):
    """The database's own column names, and a filter that matches nothing gives an empty
    frame: what the reports read (they ask, e.g., for a previous campaign that may be empty)."""

    _english = False
    _strict = False


def _hint(word: str, known: list[str], what: str) -> str:
    close = suggestion(word, known)
    if close or len(known) > 12:
        return close
    return f" ({what} : {' ; '.join(known) or 'aucun'})"
