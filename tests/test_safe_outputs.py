"""Safe outputs: CSV exports neutralise spreadsheet formulas; file names built from user text
(slugs) are safe and distinct."""

from __future__ import annotations

import csv
import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autodiag.safe_files import safe_cell_macro, safe_text
from autodiag.slugs import MAX_LENGTH, RESERVED, slugify, unique_slugs
from tests.data import make_broken as mb
from tests.ingest_helpers import invoke_cli

FORMULA_CODES = ['=HYPERLINK("http://x")', "@SUM(A1)", "+33 6 12 34 56 78", "-2", "=1+1"]


def test_scores_export_neutralises_formulas_in_structure_codes(tmp_path):
    """The contract sets no pattern for structure codes: such codes load, and are exported inert."""
    export = tmp_path / "codes.csv"
    export.write_bytes(mb.csv_bytes(mb.HEADER, [mb.row(code) for code in [*FORMULA_CODES, "STR-24"]]))
    db = tmp_path / "autodiag.duckdb"
    assert invoke_cli("ingest", export, "--db", db).exit_code == 0
    out = tmp_path / "scores.csv"
    result = invoke_cli("export", "scores", "--db", db, "--out", out)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    codes = {r["code_structure"] for r in rows}
    assert codes == {"'" + c for c in FORMULA_CODES} | {"STR-24"}
    assert all(r["code_structure"][:1] not in "=+-@\t\r" for r in rows)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "autodiag.duckdb",
        "codes.csv",
        "scores.csv",
    ]  # no temporary left


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2", "'-2"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("STR-24", "STR-24"),
        ("", ""),
        (None, ""),
        (7, "7"),
        (" =1", " =1"),
    ],
)
def test_safe_cell_in_python_and_sql(value, expected):
    assert safe_text(value) == expected
    import duckdb

    con = duckdb.connect()
    con.execute(safe_cell_macro())
    if value is not None:
        assert con.execute("select safe_cell($v)", {"v": str(value)}).fetchone()[0] == expected


def test_safe_cell_is_planned_without_a_join():
    """An in-list is planned as a join, and a join in the projection of a large sorted insert
    or COPY may let rows out of order: the exports' order rests on this plan."""
    import duckdb

    con = duckdb.connect()
    con.execute(safe_cell_macro())
    con.execute("create table cells as select 'x' || range as value from range(3)")
    plan = con.execute("explain select safe_cell(value) from cells").fetchall()[0][1]
    assert "JOIN" not in plan.upper(), plan


# --- slugs ------------------------------------------------------------------------------
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def check_slug(slug: str) -> None:
    assert SLUG.fullmatch(slug), slug  # ASCII letters, digits and inner dashes only: no '..', '/', '\\'
    assert slug not in RESERVED  # "con" never alone ("con-x" is fine)
    assert 0 < len(slug) <= MAX_LENGTH + 20


@pytest.mark.parametrize(
    "name",
    [
        "..",
        "../../etc/passwd",
        "/",
        "a/b\\c",
        "CON",
        "nul",
        "com1",
        "LPT9",
        "con.txt",
        "",
        "   ",
        "---",
        "é",
        "日本",
        "Bibliothèques universitaires de l'université Clermont Auvergne",
        "x" * 500,
        "\x00",
        "a..b",
    ],
)
def test_slugify_examples(name):
    check_slug(slugify(name))


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_slugify_any_text(name):
    slug = slugify(name)
    check_slug(slug)
    assert slugify(name) == slug  # stable


@given(st.lists(st.text(max_size=12), max_size=20))
@settings(max_examples=200, deadline=None)
def test_unique_slugs_are_safe_and_distinct(names):
    slugs = unique_slugs(names)
    assert set(slugs) == set(names)
    assert len(set(slugs.values())) == len(slugs)
    for slug in slugs.values():
        check_slug(slug)


def test_unique_slugs_of_colliding_names():
    slugs = unique_slugs(["Réseau A", "reseau-a", "RESEAU A", "con", "con x"])
    assert len(set(slugs.values())) == 5


def test_unique_slugs_suffix_cannot_collide_with_another_name():
    suffix = hashlib.sha1(b"a b").hexdigest()[:6]
    names = ["a b", "a-b", f"a b {suffix}"]
    slugs = unique_slugs(names)
    assert len(set(slugs.values())) == 3, slugs
