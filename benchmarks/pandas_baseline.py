"""The baseline of bench_ingest.py: what an analyst's vectorised pandas script does with the
same exports, reading and scoring them with no database and no validation.

    .venv/bin/python benchmarks/pandas_baseline.py EXPORT_OR_FOLDER OUT.csv

Rates as autodiag computes them (scale points, multiple-choice thresholds, non-applicable and
empty answers out of the denominators, engagements pooling their questions, global = mean of
the engagement rates), one row per submission and unit, like the scores export.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from autodiag.referentiel.questionnaires import load_all  # noqa: E402

SCALE = {
    "oui": 1.0,
    "1": 1.0,
    "partiellement": 0.75,
    "0,75": 0.75,
    "0.75": 0.75,
    "initié": 0.25,
    "initie": 0.25,
    "0,25": 0.25,
    "0.25": 0.25,
    "non": 0.0,
    "0": 0.0,
}


def read(source: Path) -> pd.DataFrame:
    files = sorted(source.glob("*.csv")) if source.is_dir() else [source]
    frames = [pd.read_csv(f, sep=";", dtype=str, keep_default_na=False, engine="c") for f in files]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def points(frame: pd.DataFrame, questions) -> pd.DataFrame:
    """Per question: the answer's points, NaN when not applicable or empty."""
    columns = {}
    for q in questions:
        cells = frame[q.question_id].str.strip()
        if q.kind == "scale":
            columns[q.question_id] = cells.str.lower().map(SCALE)
        else:
            answered = (cells != "") & ~cells.str.lower().isin(["non applicable", "na"])
            ticked = np.where(cells.str.lower() == "aucun", 0, cells.str.count(r"\|") + 1)
            got = np.zeros(len(frame))
            for count, value in sorted(q.thresholds):
                got = np.where(ticked >= count, np.maximum(got, value), got)
            columns[q.question_id] = pd.Series(np.where(answered, got, np.nan), index=frame.index)
    return pd.DataFrame(columns)


def score(frame: pd.DataFrame, questions) -> pd.DataFrame:
    p = points(frame, questions)
    applicable = p.notna()
    parts = {}
    engagements = {}
    for q in questions:
        parts.setdefault(q.theme_id, []).append(q.question_id)
        engagements.setdefault(f"E{q.engagement}", []).append(q.question_id)
    rates = {}
    for unit, ids in {**engagements, **parts}.items():
        rates[unit] = 100 * p[ids].sum(axis=1, min_count=1) / applicable[ids].sum(axis=1).replace(0, np.nan)
    wide = pd.DataFrame(rates)
    wide.insert(0, "global", wide[list(engagements)].mean(axis=1))
    wide.insert(0, "code_structure", frame["code_structure"].values)
    wide.insert(0, "campagne", frame["campagne"].values)
    return wide.melt(id_vars=["campagne", "code_structure"], var_name="unit", value_name="rate")


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    questions = load_all()["2024"]
    score(read(source), questions).to_csv(out, index=False)


if __name__ == "__main__":
    main()
