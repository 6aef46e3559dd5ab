"""Dates that would pin a submission for good, or that no one typed, are refused with the row
and column; a time zone is converted to Paris time, never dropped; each campaign's window of
dates is read from campagnes.csv."""

from __future__ import annotations

import datetime as dt

import pytest

from autodiag.ingest import loader
from autodiag.referentiel.questionnaires import ReferentielError, load_campaign_windows
from tests.data.make_broken import HEADER, csv_bytes, row
from tests.ingest_helpers import count, dump, invoke_cli, message_lines


def write(path, *rows):
    path.write_bytes(csv_bytes(HEADER, list(rows)))
    return path


def test_a_future_date_names_today_and_changes_nothing(db, tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "today", lambda: dt.date(2024, 6, 1))
    path = write(tmp_path / "futur.csv", row("STR-24", date_enregistrement="02/06/2024 08:00:00"))
    before = dump(db)
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 1
    assert (
        f"{path}, ligne 2, colonne « date_enregistrement » : date postérieure à aujourd'hui (01/06/2024) : une soumission "
        "datée dans le futur ne pourrait plus être remplacée (valeur lue : « 02/06/2024 08:00:00 »)"
    ) in message_lines(result.stderr)
    assert dump(db) == before


def test_today_is_accepted(db, tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "today", lambda: dt.date(2024, 6, 1))
    path = write(tmp_path / "aujourdhui.csv", row("STR-24", date_enregistrement="01/06/2024 23:59:59"))
    assert invoke_cli("ingest", path, "--db", db).exit_code == 0


def test_a_future_date_in_lenient_mode_is_quarantined_not_retained(db, tmp_path):
    path = write(
        tmp_path / "futur.csv", row("STR-24", date_enregistrement="06/05/2099 12:22:58"), row("STR-25")
    )
    result = invoke_cli("ingest", path, "--db", db, "--lenient")
    assert result.exit_code == 0, result.output
    assert (
        count(db, "select max(date_enregistrement) from submissions where code_structure = 'STR-24'").year
        == 2024
    )


@pytest.mark.parametrize(
    "text, paris",
    [
        ("2024-05-06T12:22:58+02:00", dt.datetime(2024, 5, 6, 12, 22, 58)),
        ("2024-05-06T10:22:58Z", dt.datetime(2024, 5, 6, 12, 22, 58)),
        ("2024-01-15 08:00:00+00:00", dt.datetime(2024, 1, 15, 9, 0, 0)),
        ("2024-05-06 12:22:58-0400", dt.datetime(2024, 5, 6, 18, 22, 58)),
    ],
)
def test_a_time_zone_is_converted_to_paris_time(db, tmp_path, text, paris):
    path = write(tmp_path / "fuseau.csv", row("STR-TZ", date_enregistrement=text))
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 0, result.output
    assert count(db, "select date_enregistrement from submissions where code_structure = 'STR-TZ'") == paris


def test_an_impossible_time_zone_is_refused(db, tmp_path):
    path = write(tmp_path / "fuseau.csv", row("STR-TZ", date_enregistrement="2024-05-06T12:22:58+99:00"))
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 1
    assert "colonne « date_enregistrement » : date absente ou impossible" in result.stderr


def test_campaign_windows_are_read_from_campagnes_csv(tmp_path):
    path = tmp_path / "campagnes.csv"
    path.write_text(
        "campagne;referentiel;premiere_date;derniere_date\n2024;2024;2024-03-01;\n2025;2024;;\n",
        encoding="utf-8",
    )
    assert load_campaign_windows(path) == [
        {"campagne": 2024, "first_date": dt.date(2024, 3, 1), "last_date": dt.date(2025, 12, 31)},
        {"campagne": 2025, "first_date": dt.date(2024, 1, 1), "last_date": dt.date(2026, 12, 31)},
    ]
    path.write_text("campagne;referentiel;premiere_date\n2024;2024;01/03/2024\n", encoding="utf-8")
    with pytest.raises(
        ReferentielError, match="ligne 2, colonne « premiere_date » : date attendue au format aaaa-mm-jj"
    ):
        load_campaign_windows(path)
