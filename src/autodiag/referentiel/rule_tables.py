"""The « ; » rule files of data/referentiels/ (crosswalk, contradiction pairs, network names):
read the same way, with line numbers for the messages."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from autodiag import paths
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


NETWORK_COLUMNS = ("reseau_dans_les_exports", "reseau_retenu")


def _name(text: str) -> str:
    """A network name as ingest stores it: NFC, spaces collapsed (sql/ingest/stage_rows.sql)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def load_network_names(path: Path | None = None) -> list[dict[str, str]]:
    """The networks the user chose to merge (reseaux.csv, optional): each name written in the
    exports, and the name it is stored under. A name renamed twice, or renamed to a name that is
    itself renamed, is refused: one rename, one place."""
    path = paths.NETWORK_NAMES_FILE if path is None else path
    names: dict[str, str] = {}
    for line, row in read_rows(path, NETWORK_COLUMNS):
        written, kept = (_name(row[c] or "") for c in NETWORK_COLUMNS)
        where = f"{path.name}, ligne {line}"
        if not written or not kept:
            raise ReferentielError(
                f"{where} : les deux colonnes {' et '.join(NETWORK_COLUMNS)} sont à remplir"
            )
        if names.get(written, kept) != kept:
            raise ReferentielError(f"{where} : « {written} » est déjà renommé en « {names[written]} »")
        names[written] = kept
    for written, kept in names.items():
        if kept in names and names[kept] != kept:
            raise ReferentielError(
                f"{path.name} : « {written} » devient « {kept} », qui devient à son tour "
                f"« {names[kept]} » : nommez directement le réseau retenu"
            )
    return [{"written": w, "kept": k} for w, k in names.items() if w != k]
