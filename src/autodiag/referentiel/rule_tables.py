"""The « ; » rule files of data/referentiels/ (crosswalk, contradiction pairs): read once, the
same way, with line numbers for the messages."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from autodiag.referentiel.questionnaires import ReferentielError


def read_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for every row of ``path``; none when the file is absent. A file
    without one of ``columns`` is refused, naming them."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferentielError(f"{path.name} : colonne(s) manquante(s) : {', '.join(missing)}")
        return list(enumerate(reader, start=2))
