"""The campaign's data file of shared figures (``data/reperes-<campagne>.js``, see
:mod:`.references`): every figure that structure and network pages of the site read by key,
computed by the very functions that write them in a standalone report.
"""

from __future__ import annotations

from autodiag import formatting as fmt
from autodiag.analysis.frames import records
from autodiag.analysis.levers import LeverReader, Share, others_share
from autodiag.analysis.peers import median_cell
from autodiag.analysis.privacy import MASKED, Confidentiality
from autodiag.api import NativeAutodiag as Autodiag
from autodiag.paths import sql_text
from autodiag.reports import charts, describe, network, references, structure

CONTACTS_KEPT = 3  # two are shown; one more in case the page's own structure is among them


def figures(db: Autodiag, campaign: int, privacy: Confidentiality) -> dict:
    """key -> figure (text, number, list) of every shared figure of the campaign."""
    values: dict = {"masque": MASKED}
    values.update(_networks(db, campaign, privacy))
    values.update(_national(db, campaign, privacy))
    values.update(_peers(db, campaign, privacy))
    values.update(_shares(db, campaign, privacy))
    values.update(_contacts(db, campaign))
    return values


def _networks(db: Autodiag, campaign: int, privacy: Confidentiality) -> dict:
    """A structure page's « au sein de son réseau »: quartiles, count, the chart's group trace."""
    values: dict = {}
    for (name, unit), row in structure.network_stats(db, campaign).items():
        for field in ("q1", "median", "q3"):
            values[references.key("reseau", name, unit, field)] = privacy.shown(row, field)
        values[references.key("reseau", name, unit, "n")] = fmt.number(row["n_rated"] or 0)
        if unit == "global":
            values[references.key("reseau", name, "visible")] = privacy.visible(row)
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
            values[references.key("position", name, unit, part)] = found[0]
        values[references.key("position", name, unit, "resume")] = _clause(spec, 2, unit)
    return values


def _national(db: Autodiag, campaign: int, privacy: Confidentiality) -> dict:
    """A network page's national column, its gaps and the markers of its chart."""
    summary = records(db.network_summary(campaign))
    rows = [r for r in summary if r["level"] in ("global", "engagement")]
    national = {r["unit"]: r for r in rows if r["reseau"] is None}
    values: dict = {}
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
        values[network.bars_key(row["reseau"], unit, "resume")] = _clause(spec, 2, unit)
    return values


def _peers(db: Autodiag, campaign: int, privacy: Confidentiality) -> dict:
    rates = structure.peer_rates(db.scores(campaign=campaign))
    return {
        references.key("pairs", kind, group, unit): median_cell(found, privacy)
        for (kind, group, unit), found in rates.items()
    }


def _shares(db: Autodiag, campaign: int, privacy: Confidentiality) -> dict:
    """The share of « Oui » behind a lever (the structure itself, below 1 point, left out)."""
    values: dict = {}
    for grouping, group, version, question, answered, yes in db.con.execute(
        sql_text("marts/question_yes_counts"), {"campagne": campaign}
    ).fetchall():
        share: Share = others_share((int(answered), int(yes)), privacy)
        name = structure.share_key(grouping, group, version, question)
        values[name] = structure.share_cell(share, privacy)
        values[name + "|n"] = share.share
    return values


def _contacts(db: Autodiag, campaign: int) -> dict:
    """Per network and theme: how many structures the « S'inspirer de » rule names, the first ones."""
    reader = LeverReader(db.con, campaign)
    values: dict = {}
    for name in db.networks(campaign):
        for theme, found in reader.network_contacts(name).items():
            values[structure.contacts_key(name, theme)] = [
                len(found),
                [[c.code, f"{c.code} {c.name}"] for c in found[:CONTACTS_KEPT]],
            ]
    return values


def _clause(spec: dict, trace: int, unit: str) -> str:
    """The reference's clause of the chart's summary at this engagement (describe.py)."""
    reference = spec["data"][trace]
    return describe.reference_clause(reference, unit, reference["y"][0])
