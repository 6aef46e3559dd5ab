"""Every network report of the demo shows its own structures only."""

from __future__ import annotations

import html
import re

from autodiag.api import NativeAutodiag as Autodiag  # what the reports read
from autodiag.reports import network


def _text_forms(text: str) -> set[str]:
    return {text, html.escape(text), html.escape(text, quote=False)}


def _page_without_plotly(report) -> str:
    """The whole page but the plotly.js library (which names no structure): a marker stands for it."""
    return report.page()


def test_network_reports_of_the_demo_never_name_another_networks_structures(demo_db):
    with Autodiag(demo_db) as db:
        subs = db.submissions()
        members = {
            net: set(zip(group["code_structure"], group["nom_structure"]))
            for net, group in subs.groupby("reseau")
        }
        assert len(members) == 6
        checked = 0
        for campaign in db.campaigns():
            for net in db.networks(campaign):
                page = _page_without_plotly(network.build(db, campaign, net))
                codes_in_page = set(re.findall(r"STR-\d+", page))
                own_names = {name for _, name in members[net]}
                assert any(form in page for form in _text_forms(net))
                for other, structures in members.items():
                    if other == net:
                        continue
                    assert not any(form in page for form in _text_forms(other)), (campaign, net, other)
                    for code, name in structures:
                        assert code not in codes_in_page, (campaign, net, code)
                        if not any(name in own for own in own_names):  # not part of an own structure's name
                            assert not any(form in page for form in _text_forms(name)), (campaign, net, name)
                checked += 1
    assert checked == 30  # 6 networks x 5 campaigns (2021-2022 on the 9-engagement questionnaire)
