"""Read-only Python API over a scored database, for notebooks and researchers.

    >>> from autodiag.api import Autodiag
    >>> db = Autodiag("data/autodiag.duckdb")
    >>> db.engagement_scores(campaign=2024, network="Universités et écoles")

Every method returns a pandas DataFrame of the retained submissions (the latest of each
structure and campaign); rates are unrounded percentages (format them with
``autodiag.formatting``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from .paths import DEFAULT_DB, sql_text
from .store import open_reader


class Autodiag:
    def __init__(self, db_path: Path | str = DEFAULT_DB) -> None:
        self.db_path = Path(db_path)
        self.con: duckdb.DuckDBPyConnection = open_reader(self.db_path)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Autodiag":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        """Any read query, values bound as parameters."""
        return self.con.execute(sql, params or {}).df()

    def _mart(self, name: str, **params) -> pd.DataFrame:
        return self.query(sql_text(f"marts/{name}"), params)

    # --- what is in the database -------------------------------------------------------
    def campaigns(self) -> list[int]:
        return [r[0] for r in self.con.execute("select distinct campagne from retained_submissions order by 1").fetchall()]

    def networks(self, campaign: int | None = None) -> list[str]:
        return [
            r[0]
            for r in self.con.execute(
                "select distinct reseau from retained_submissions where $c is null or campagne = $c order by 1",
                {"c": campaign},
            ).fetchall()
        ]

    def check_scope(self, campaign: int | None = None, network: str | None = None) -> None:
        """Raise LookupError (in French, listing what exists) for an unknown campaign or network."""
        if campaign is not None and campaign not in self.campaigns():
            known = ", ".join(map(str, self.campaigns())) or "aucune"
            raise LookupError(f"campagne {campaign} absente de la base (campagnes chargées : {known})")
        if network is not None and network not in self.networks(campaign):
            known = " ; ".join(self.networks(campaign)) or "aucun"
            where = f" en {campaign}" if campaign is not None else ""
            raise LookupError(f"réseau « {network} » absent de la base{where} (réseaux : {known})")

    def submissions(self, campaign: int | None = None, network: str | None = None) -> pd.DataFrame:
        """Every submission, retained or superseded (column ``retained``)."""
        return self._mart("submissions", campagne=campaign, reseau=network)

    def referentiel(self, version: str | None = None) -> pd.DataFrame:
        return self.query(
            "select * from referentiel_questions where $v is null or version = $v order by version, position",
            {"v": version},
        )

    # --- scores ------------------------------------------------------------------------
    def scores(self, campaign: int | None = None, network: str | None = None, code: str | None = None) -> pd.DataFrame:
        """All levels (global, engagement, theme) in one long table, with titles."""
        return self._mart("scores_long", campagne=campaign, reseau=network, code=code)

    def _level(self, level: str, campaign, network, code) -> pd.DataFrame:
        frame = self.scores(campaign, network, code)
        return frame[frame["level"] == level].reset_index(drop=True)

    def global_scores(self, campaign: int | None = None, network: str | None = None, code: str | None = None) -> pd.DataFrame:
        return self._level("global", campaign, network, code)

    def engagement_scores(self, campaign: int | None = None, network: str | None = None, code: str | None = None) -> pd.DataFrame:
        return self._level("engagement", campaign, network, code)

    def theme_scores(self, campaign: int | None = None, network: str | None = None, code: str | None = None) -> pd.DataFrame:
        return self._level("theme", campaign, network, code)

    def network_summary(self, campaign: int | None = None) -> pd.DataFrame:
        """Per network (and nationally, ``reseau`` null): count, mean, quartiles, share < 50 %."""
        return self._mart("network_summary", campagne=campaign)

    def answer_quality(self, campaign: int | None = None, network: str | None = None) -> pd.DataFrame:
        """Per question: answered, not applicable and empty answers."""
        return self._mart("answer_quality", campagne=campaign, reseau=network)

    def free_texts(self, campaign: int | None = None, network: str | None = None, code: str | None = None) -> pd.DataFrame:
        return self._mart("free_texts", campagne=campaign, reseau=network, code=code)


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
        from . import crosswalk, referentiel
        from .change import engagement_changes

        questionnaires = referentiel.load_all()
        rows = engagement_changes(self.con, questionnaires, crosswalk.load(questionnaires), code, before, after)
        versions = dict(self.con.execute(
            "select campagne, version from retained_submissions where code_structure = $code and campagne in ($a, $b)",
            {"code": code, "a": before, "b": after}).fetchall())
        frame = pd.DataFrame(rows)
        frame.insert(0, "code_structure", code)
        frame.insert(1, "campagne_avant", before)
        frame.insert(2, "version_avant", versions[before])
        frame.insert(3, "campagne_apres", after)
        frame.insert(4, "version_apres", versions[after])
        return frame
