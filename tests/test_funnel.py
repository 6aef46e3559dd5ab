"""The network report's funnel plot: limits from the spread of question points."""

from __future__ import annotations

import math

from autodiag.api import NativeAutodiag as Autodiag  # the database's column names, as the reports read them
from autodiag.paths import sql_text
from autodiag.reports import funnel, network

from .report_fixtures import BIG, SMALL
from .report_html import tables


def test_limits_narrow_as_questions_grow_and_positions_follow():
    low9, high9 = funnel.limits(60.0, 0.4, 16, funnel.Z95)
    assert math.isclose(low9, 60 - 100 * 1.96 * 0.4 / 4) and math.isclose(high9, 60 + 19.6)
    assert funnel.limits(60.0, 0.4, 64, funnel.Z95)[0] > low9  # more questions: narrower
    assert funnel.limits(60.0, 0.4, 1, funnel.Z998) == (0.0, 100.0)  # clipped to 0–100 %
    assert funnel.position(60 - 100 * 1.96 * 0.4 / 4 - 0.1, 60.0, 0.4, 16) == "sous la limite à 95 %"
    assert funnel.position(60 - 100 * 3.09 * 0.4 / 4 - 0.1, 60.0, 0.4, 16) == "sous la limite à 99,8 %"
    assert funnel.position(61.0, 60.0, 0.4, 16) == "dans les limites"
    assert funnel.position(99.9, 60.0, 0.1, 100) == "au-dessus de la limite à 99,8 %"


def test_funnel_section_in_the_network_report_matches_the_spread(report_db):
    with Autodiag(report_db) as db:
        page = network.build(db, 2024, BIG).page()
        stats = db.query(sql_text("marts/question_point_spread"), {"campagne": 2024, "reseau": BIG}).iloc[0]
        scores = db.scores(campaign=2024, network=BIG)
        small = network.build(db, 2024, SMALL).page()
    assert "Taux global et nombre de questions applicables (entonnoir)" in page
    found = next(t for t in tables(page) if t[0][-1] == "Position")
    assert len(found) - 1 == scores[scores["level"] == "global"]["code_structure"].nunique() == 4
    engagements = scores[scores["level"] == "engagement"]
    for row in found[1:]:
        n = int(engagements[engagements["code_structure"] == row[0]]["applicable"].sum())
        assert row[2] == str(n)
    assert 0 < stats["sd_points"] < 0.5 and stats["n_points"] > 100
    assert f"{stats['sd_points']:.3f}".replace(".", ",") in page
    # Two structures only (min_group_size 3): no limits, the mask.
    section = small.split("(entonnoir)</h2>")[1].split("<h2")[0]
    assert "données masquées" in section and "Position" not in section
