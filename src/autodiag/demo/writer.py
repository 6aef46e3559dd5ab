"""The demo's answer exports: the 2023-2025 campaigns, then the 2021-2022 history."""

from __future__ import annotations

import random
from pathlib import Path

from autodiag.demo.generator import (
    DEFAULT_SEED,
    REFERENTIEL_PATH,
    build_structures,
    build_submissions,
    clear_previous_output,
    export_columns,
    load_seed_row,
    plan_files,
    write_file,
)
from autodiag.demo.history import write_history
from autodiag.referentiel.questionnaires import load_version


def write_demo_data(out_dir: Path, seed: int = DEFAULT_SEED, history: bool = True) -> list[Path]:
    """Write the demo answer exports into out_dir and return the written paths, sorted.
    ``history``: also the 2021 and 2022 campaigns on the 9-engagement questionnaire (drawn
    last, with their own generator: the 2023-2025 files are the same bytes either way)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clear_previous_output(out_dir)
    rng = random.Random(seed)
    questions = load_version(REFERENTIEL_PATH)
    seed_row = load_seed_row()
    question_offset = {q.question_id: rng.gauss(0.0, 0.3) for q in questions}
    structures = build_structures(rng, questions, seed_row)
    submissions = build_submissions(rng, structures, questions, question_offset, seed_row)
    columns = export_columns(questions)
    written = []
    for planned in plan_files(rng, out_dir, submissions):
        written.append(write_file(rng, planned, columns, questions))
    if history:
        written += write_history(out_dir, structures, question_offset, seed)
    return sorted(written)
