"""The demo answer exports: deterministic, realistic and valid per the export contract."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from autodiag.demo.generator import REFERENTIEL_PATH, TEXT_COLUMNS
from autodiag.demo.writer import write_demo_data  # 2024: 8 engagements
from autodiag.ingest.columns import IDENTITY_COLUMNS
from autodiag.paths import SEED_EXPORT
from autodiag.referentiel.questionnaires import Question, load_version

BOM = b"\xef\xbb\xbf"
NETWORKS = {
    "Universités et écoles",
    "Grandes écoles",
    "Bibliothèques nationales",
    "Bibliothèques municipales",
    "Bibliothèques départementales de prêt",
    "Instituts de recherche",
}
META = list(IDENTITY_COLUMNS)
TEXTS = list(TEXT_COLUMNS)
# Every spelling the contract accepts for a scale answer (normalized, see `normalize`),
# plus the numbers an XLSX numeric cell reads back as.
SCALE_ACCEPTED = {
    "oui",
    "1",
    "oui, totalement",
    "partiellement",
    "0,75",
    "0.75",
    "oui, partiellement",
    "initie",
    "0,25",
    "0.25",
    "en cours",
    "non",
    "0",
    "non applicable",
    "na",
    "n/a",
    "non concerne",
}
NONE_OR_NA = {"aucun", "aucune", "non applicable"}
DATE_RE = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}")


def normalize(value: str) -> str:
    """Case-, accent- and space-insensitive form, as the contract matches labels."""
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def csv_encoding(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith(BOM):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def read_export(path: Path) -> pd.DataFrame:
    if path.suffix == ".xlsx":
        return pd.read_excel(path, engine="calamine", dtype=str).fillna("")
    return pd.read_csv(path, sep=";", encoding=csv_encoding(path), dtype=str, keep_default_na=False)


def load_questions() -> list[Question]:
    return load_version(REFERENTIEL_PATH)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], float]:
    out_dir = tmp_path_factory.mktemp("demo")
    paths = write_demo_data(out_dir)
    return out_dir, paths


def is_history(path: Path) -> bool:
    """A 2021 or 2022 file (9-engagement questionnaire), checked by its own tests."""
    return any(part in ("2021", "2022") for part in path.parts[-3:-1])


@pytest.fixture(scope="module")
def frames(demo) -> dict[Path, pd.DataFrame]:
    """The 2023-2025 files, on the 2024 questionnaire."""
    _, paths = demo
    return {path: read_export(path) for path in paths if not is_history(path)}


@pytest.fixture(scope="module")
def all_rows(frames) -> pd.DataFrame:
    parts = [df.assign(_file=str(path)) for path, df in frames.items()]
    rows = pd.concat(parts, ignore_index=True)
    rows["_date"] = pd.to_datetime(rows["date_enregistrement"], format="%d/%m/%Y %H:%M:%S")
    return rows


def test_returns_sorted_existing_paths(demo):
    out_dir, paths = demo
    assert paths == sorted(paths)
    assert all(p.is_file() and out_dir in p.parents for p in paths)
    assert sorted(p for p in out_dir.rglob("*") if p.is_file()) == paths


def test_same_seed_gives_byte_identical_files(tmp_path):
    first = write_demo_data(tmp_path / "a")
    second = write_demo_data(tmp_path / "b")
    rel_first = [p.relative_to(tmp_path / "a") for p in first]
    rel_second = [p.relative_to(tmp_path / "b") for p in second]
    assert rel_first == rel_second
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a
    other = write_demo_data(tmp_path / "c", seed=7)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in first]


def test_history_leaves_the_2023_2025_files_byte_identical(tmp_path, demo):
    out_dir, paths = demo
    without = write_demo_data(tmp_path / "without", history=False)
    recent = [p for p in paths if not is_history(p)]
    assert [p.relative_to(tmp_path / "without") for p in without] == [p.relative_to(out_dir) for p in recent]
    for a, b in zip(without, recent):
        assert a.read_bytes() == b.read_bytes(), b
    assert not any(is_history(p) for p in without)


def test_history_campaigns_answer_the_9_engagement_questionnaire(demo):
    from autodiag.referentiel.questionnaires import load_all

    out_dir, paths = demo
    old = load_all()["2021"]
    history = [p for p in paths if is_history(p)]
    assert sorted({p.parent.name for p in history}) == ["2021", "2022"]
    rows = pd.concat([read_export(p) for p in history], ignore_index=True)
    questions = [c for c in rows.columns if re.fullmatch(r"E\d+_Q\d+", c)]
    assert questions == [q.question_id for q in old]
    assert "E9_points_forts" in rows.columns and set(rows["campagne"]) == {"2021", "2022"}
    # Fewer structures than in 2023, each of them a 2023 respondent.
    recent = pd.concat([read_export(p) for p in paths if not is_history(p)], ignore_index=True)
    in_2023 = set(recent[recent["campagne"] == "2023"]["code_structure"])
    for year in ("2021", "2022"):
        codes = set(rows[rows["campagne"] == year]["code_structure"])
        assert codes and codes <= in_2023 and len(codes) < len(in_2023)


def test_rewrite_clears_only_previous_exports(tmp_path):
    write_demo_data(tmp_path)
    stale = tmp_path / "2024" / "structures" / "str-999-ancienne-structure.csv"
    stale.write_text("stale", encoding="utf-8")
    keep = tmp_path / "notes.txt"
    keep.write_text("keep me", encoding="utf-8")
    paths = write_demo_data(tmp_path)
    assert not stale.exists()
    assert keep.exists()
    assert sorted(p for p in tmp_path.rglob("*") if p.suffix in (".csv", ".xlsx")) == paths


def test_layout_formats_and_encodings(demo):
    out_dir, paths = demo
    suffixes = {p.suffix for p in paths}
    assert suffixes == {".csv", ".xlsx"}
    encodings = {csv_encoding(p) for p in paths if p.suffix == ".csv"}
    assert encodings == {"utf-8", "utf-8-sig", "cp1252"}
    for campaign in ("2023", "2024", "2025"):
        network_files = list((out_dir / campaign).glob("*.*"))
        structure_files = list((out_dir / campaign / "structures").glob("*.*"))
        assert network_files and structure_files, campaign
    for path in paths:
        assert re.fullmatch(r"[a-z0-9-]+\.(csv|xlsx)", path.name), path.name
    raw = b"".join(p.read_bytes() for p in paths if p.suffix == ".csv")
    assert b"\r\n" in raw


def test_columns_follow_the_contract_order(frames):
    expected = META + [q.question_id for q in load_questions()] + TEXTS
    for path, df in frames.items():
        assert list(df.columns) == expected, path


def test_counts_networks_and_campaigns(all_rows):
    assert all_rows["code_structure"].nunique() >= 180
    assert set(all_rows["reseau"]) == NETWORKS
    assert set(all_rows["campagne"]) == {"2023", "2024", "2025"}
    per_network = all_rows.groupby("reseau")["code_structure"].nunique()
    assert per_network.min() >= 8 and per_network.max() <= 50
    assert per_network.nunique() > 1  # unequal sizes
    assert (all_rows.groupby("code_structure")["reseau"].nunique() == 1).all()
    assert (all_rows["typologie"] != "").all()
    unis = all_rows[all_rows["reseau"] == "Universités et écoles"]
    assert "STR-24" in set(unis["code_structure"])
    years = all_rows.groupby("code_structure")["campagne"].nunique()
    assert (years == 3).mean() > 0.6 and (years < 3).any()


def test_metadata_values(all_rows):
    assert all_rows["code_structure"].str.fullmatch(r"STR-\d+").all()
    assert all_rows.groupby("code_structure")["nom_structure"].nunique().max() == 1
    assert all_rows["localisation"].str.fullmatch(r"\d{5}").all()
    assert all_rows["localisation"].str.startswith("0").any()
    assert all_rows["date_enregistrement"].str.fullmatch(DATE_RE).all()
    assert (all_rows["_date"].dt.year.astype(str) == all_rows["campagne"]).all()
    contributors = all_rows["nb_agents_contributeurs"].astype(int)
    interaction = all_rows["nb_agents_interaction"].astype(int)
    assert contributors.between(1, 15).all() and interaction.between(3, 300).all()
    names = "".join(all_rows["nom_structure"].unique())
    assert "’" in names and "'" in names and "é" in names


def test_str24_2024_latest_row_is_the_seed_row(all_rows):
    seed = pd.read_csv(SEED_EXPORT, sep=";", dtype=str, keep_default_na=False)
    rows = all_rows[(all_rows["code_structure"] == "STR-24") & (all_rows["campagne"] == "2024")]
    assert len(rows) >= 1
    latest = rows.sort_values("_date").iloc[-1]
    assert (rows["_date"] < latest["_date"]).sum() == len(rows) - 1  # strictly the latest
    for column in seed.columns:
        assert latest[column] == seed.iloc[0][column], column
    assert latest["date_enregistrement"] == "06/05/2024 12:22:58"
    others = all_rows[all_rows["code_structure"] == "STR-24"]
    assert set(others["campagne"]) == {"2023", "2024", "2025"}


def test_resubmissions_within_and_across_files(all_rows):
    groups = all_rows.groupby(["code_structure", "campagne"])
    counts = groups.size()
    resubmitted = counts[counts > 1]
    assert 0.03 <= len(resubmitted) / len(counts) <= 0.09
    files = groups["_file"].nunique()
    assert (files[counts > 1] > 1).any()  # some across files
    assert (files[counts > 1] == 1).any()  # some within one file
    for key in resubmitted.index:
        dates = groups.get_group(key)["_date"]
        assert dates.nunique() == len(dates), key  # the latest is unambiguous


def test_every_answer_cell_is_valid(all_rows):
    questions = load_questions()
    for q in questions:
        values = all_rows[q.question_id]
        if q.kind == "scale":
            bad = [v for v in values if v != "" and normalize(v) not in SCALE_ACCEPTED]
        else:
            options = set(q.options)
            bad = [
                v
                for v in values
                if v != "" and normalize(v) not in NONE_OR_NA and not set(v.split("|")) <= options
            ]
        assert not bad, (q.question_id, bad[:5])


def test_answers_are_realistic(all_rows):
    questions = load_questions()
    scale_ids = [q.question_id for q in questions if q.kind == "scale"]
    multi_ids = [q.question_id for q in questions if q.kind == "multi"]
    cells = all_rows[scale_ids + multi_ids].to_numpy().ravel()
    normalized = [normalize(v) for v in cells]
    na_share = sum(v in {"non applicable", "na", "n/a"} for v in normalized) / len(cells)
    empty_share = sum(v == "" for v in normalized) / len(cells)
    assert 0.03 <= na_share <= 0.06
    assert 0.01 <= empty_share <= 0.03
    scale_cells = set(all_rows[scale_ids].to_numpy().ravel())
    assert {"oui", "OUI ", "Oui, totalement", "0,75", "En cours", "NA", "N/A"} <= scale_cells
    assert {"1", "0", "0.75"} <= scale_cells  # numeric XLSX cells
    multi_cells = set(all_rows[multi_ids].to_numpy().ravel())
    assert "Aucun" in multi_cells and "Non applicable" in multi_cells
    texts = all_rows[TEXTS].to_numpy().ravel()
    filled = [t for t in texts if t]
    assert 0.25 <= len(filled) / len(texts) <= 0.55
    joined = "".join(filled)
    for char in "’«»œ€\n":
        assert char in joined, repr(char)


def test_themes_differ_in_difficulty(all_rows):
    questions = {q.question_id: q for q in load_questions()}
    points = {"oui": 1.0, "partiellement": 0.75, "initie": 0.25, "non": 0.0}

    def theme_rate(theme: str) -> float:
        ids = [i for i, q in questions.items() if q.theme_id == theme and q.kind == "scale"]
        values = [points[normalize(v)] for v in all_rows[ids].to_numpy().ravel() if normalize(v) in points]
        return sum(values) / len(values)

    strong = min(theme_rate("E1_T1"), theme_rate("E2_T3"))
    weak = max(theme_rate("E6_T1"), theme_rate("E4_T2"), theme_rate("E7_T3"))
    assert strong - weak > 0.3
