"""The data files of shared figures (see :mod:`.references`), computed by the very functions
that write those figures in a standalone report:

- ``data/reperes-<campagne>.js``: what depends on the whole campaign (national figures and each
  network's gap to them, peer groups' medians, shares of « Oui » by typologie);
- ``data/reperes-<campagne>-<réseau>.js``: what depends on one network only (its quartiles, its
  shares of « Oui », the structures to contact), so that a new file rewrites its network's file
  and the campaign's, not the others.
"""

from __future__ import annotations

from autodiag import formatting as fmt
from autodiag.analysis.frames import records
from autodiag.analysis.levers import LeverReader, others_share
from autodiag.analysis.peers import median_cell, peer_rates
from autodiag.analysis.privacy import MASKED, Confidentiality
from autodiag.api import NativeAutodiag as Autodiag
from autodiag.paths import sql_text
from autodiag.reports import charts, describe, network, references, structure

CONTACTS_KEPT = 3  # two are shown; one more in case the page's own structure is among them


class CampaignFigures:
    """The shared figures of one campaign, read once, written file by file."""

    def __init__(self, db: Autodiag, campaign: int, privacy: Confidentiality):
        self.db, self.campaign, self.privacy = db, campaign, privacy
        self._counts: list | None = None
        self._levers = LeverReader(db.con, campaign)
        self._summary: list | None = None

    def counts(self) -> list:
        """(grouping, group, version, question, answered, yes) of every group of the campaign."""
        if self._counts is None:
            self._counts = self.db.con.execute(
                sql_text("marts/question_yes_counts"), {"campagne": self.campaign}
            ).fetchall()
        return self._counts

    def summary(self) -> list[dict]:
        """The campaign's distributions (global and engagements), each network's and national."""
        if self._summary is None:
            summary = records(self.db.network_summary(self.campaign))
            self._summary = [r for r in summary if r["level"] in ("global", "engagement")]
        return self._summary

    def common(self) -> dict:
        """key -> figure of the campaign's file."""
        values: dict = {"masque": MASKED}
        values.update(self._national())
        values.update(self._peers())
        values.update(self._shares("typologie"))
        return values

    def of_network(self, name: str) -> dict:
        """key -> figure of one network's file."""
        values: dict = {}
        values.update(self._network(name))
        values.update(self._shares("reseau", name))
        values.update(self._contacts(name))
        return values

    def _network(self, name: str) -> dict:
        """A structure page's « au sein de son réseau »: quartiles, count, the chart's group trace."""
        privacy, values = self.privacy, {}
        for (_, unit), row in structure.stats_by_network(self.summary(), name).items():
            for field in ("q1", "median", "q3"):
                values[structure.network_key(unit, field)] = privacy.shown(row, field)
            values[structure.network_key(unit, "n")] = fmt.number(row["n_rated"] or 0)
            if unit == "global":
                values[structure.network_key("visible")] = privacy.visible(row)
                continue
            spec = charts.position_chart(
                [int(row["engagement"])],
                [None],
                [privacy.masked_stat(row, "q1")],
                [privacy.masked_stat(row, "median")],
                [privacy.masked_stat(row, "q3")],
                "",
                name="",
                group_name=structure.NETWORK_GROUP,
            )
            for part, found in references.extract(spec, charts.POSITION_GROUP).items():
                values[structure.position_key(unit, part)] = found[0]
            values[structure.position_key(unit, "resume")] = _clause(spec, unit)
        return values

    def _national(self) -> dict:
        """A network page's national column, its gaps and the markers of its chart."""
        privacy, values = self.privacy, {}
        rows = self.summary()
        national = {r["unit"]: r for r in rows if r["reseau"] is None}
        for unit, row in national.items():
            for _, field in network.DISTRIBUTION_FIELDS:
                values[network.national_cell(unit, field)] = privacy.shown(row, field)
        for row in rows:
            if row["reseau"] is None or row["level"] != "engagement":
                continue
            unit = row["unit"]
            mine = privacy.masked_stat(row, "mean")
            nat = privacy.masked_stat(national.get(unit), "mean")
            values[network.gap_key(row["reseau"], unit)] = network.national_gap(mine, nat)
            spec = charts.engagement_bars(
                [int(row["engagement"])], [mine], "", reference=[nat], reference_name=network.NATIONAL_MEAN
            )
            for part, found in references.extract(spec, charts.BARS_REFERENCE).items():
                values[network.bars_key(row["reseau"], unit, part)] = found[0]
            values[network.bars_key(row["reseau"], unit, "resume")] = _clause(spec, unit)
        return values

    def _peers(self) -> dict:
        rates = peer_rates(records(self.db.query(sql_text("marts/peer_rates"), {"campagne": self.campaign})))
        return {
            references.key("pairs", kind, group, unit): median_cell(found, self.privacy)
            for (kind, group, unit), found in rates.items()
        }

    def _shares(self, grouping: str, only: str | None = None) -> dict:
        """The shares of « Oui » behind a lever (the structure itself, below 1 point, left out)."""
        values: dict = {}
        for kind, group, version, question, answered, yes in self.counts():
            if kind != grouping or (only is not None and group != only):
                continue
            share = others_share((int(answered), int(yes)), self.privacy)
            name = structure.share_key(kind, group, version, question)
            values[name] = structure.share_cell(share, self.privacy)
            values[name + "|n"] = share.share
        return values

    def _contacts(self, name: str) -> dict:
        """Per theme: the first structures the « S'inspirer de » rule names, and the codes of all
        of them (a page leaves its own structure out)."""
        return {
            structure.contacts_key(theme): [
                [[c.code, f"{c.code} {c.name}"] for c in found[:CONTACTS_KEPT]],
                [c.code for c in found],
            ]
            for theme, found in self._levers.network_contacts(name).items()
        }


def _clause(spec: dict, unit: str) -> str:
    """The reference's clause of the chart's summary at this engagement (describe.py)."""
    reference = spec["data"][2]
    return describe.reference_clause(reference, unit, reference["y"][0])
