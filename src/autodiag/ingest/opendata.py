"""The programme's open-data exports (Opendatasoft portal): structures, indicator results,
indicators and user experiences, as CSV (« ; », UTF-8 with or without BOM, CRLF or LF, or
Windows-1252) or JSON (a list of records, or of {"fields": {...}} records).

Each file's kind is recognised from its columns, written as technical names or as labels (case,
accents and spaces ignored), through the one mapping file data/opendata/colonnes.csv. A file
loads whole or not at all; a file already loaded (same SHA-256) is skipped; a newer file
replaces the rows of the same key (a structure's code, a result's code, an experience's id, an
indicator's network and title)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from autodiag.ingest.columns import header_key
from autodiag.ingest.problems import Problem, RefusedExport, file_error
from autodiag.ingest.text_bytes import decode, detect_encoding, reject_binary
from autodiag.paths import OPENDATA_COLUMNS
from autodiag.referentiel.rule_tables import read_rows
from autodiag.scoring.store import open_writer, transaction

KINDS = ("structures", "resultats", "indicateurs", "experiences")
KIND_NAMES = {
    "structures": "structures",
    "resultats": "résultats d'indicateurs",
    "indicateurs": "indicateurs",
    "experiences": "expériences d'usagers",
}
TABLES = {
    "structures": "opendata_structures",
    "resultats": "opendata_results",
    "indicateurs": "opendata_indicators",
    "experiences": "opendata_experiences",
}
KEYS = {
    "structures": ("code",),
    "resultats": ("code_resultat",),
    "indicateurs": ("reseau", "indicateur"),
    "experiences": ("id",),
}
DATES = {"date_mise_a_jour", "ecrit_le", "date_publication", "date_reponse", "date_action_engagee"}
NUMBERS = {"valeur"}
FEELINGS = {"positif": "Positif", "neutre": "Neutre", "negatif": "Négatif"}
SUFFIXES = (".csv", ".json")
MAX_PROBLEMS = 200  # a broken file is told this many problems at most


@dataclass(frozen=True)
class Column:
    kind: str
    name: str  # the table's column
    technical: str
    label: str
    required: bool


def load_mapping(path: Path = OPENDATA_COLUMNS) -> list[Column]:
    rows = read_rows(path, ("type", "colonne", "nom_technique", "libelle", "obligatoire"))
    return [
        Column(
            r["type"].strip(),
            r["colonne"].strip(),
            r["nom_technique"].strip(),
            r["libelle"].strip(),
            header_key(r["obligatoire"]) == "oui",
        )
        for _, r in rows
    ]


@dataclass
class Outcome:
    path: Path
    status: str  # loaded, skipped or rejected
    kind: str | None = None
    rows: int = 0
    replaced: int = 0  # rows of an earlier file replaced by this one
    unknown: list[str] = field(default_factory=list)  # columns not recognised, as written
    problems: list[Problem] = field(default_factory=list)
    sha256: str = ""


@dataclass
class Table:
    """A file read as text: its header and its rows (row number as the user counts them)."""

    format: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


# --- reading -----------------------------------------------------------------------------


def read_table(name: str, data: bytes) -> Table:
    if name.lower().endswith(".json"):
        return _read_json(name, data)
    return _read_csv(name, data)


def _read_csv(name: str, data: bytes) -> Table:
    reject_binary(name, data)
    text = decode(data, detect_encoding(name, data))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";")
    try:
        header = next(reader, None)
        if header is None:
            raise file_error(name, "fichier vide")
        rows = []
        last = reader.line_num
        for cells in reader:
            rows.append((last + 1, cells))  # the line where the row starts
            last = reader.line_num
    except csv.Error as error:
        raise file_error(name, f"CSV illisible à la ligne {reader.line_num} ({error})") from None
    return Table("csv", header, [(n, cells) for n, cells in rows if any(c.strip() for c in cells)])


def _read_json(name: str, data: bytes) -> Table:
    try:
        records = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise file_error(name, f"JSON illisible ({error})") from None
    if isinstance(records, dict):  # {"results": [...]} from the portal's API
        records = records.get("results", records.get("records"))
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise file_error(name, "JSON inattendu : une liste d'enregistrements était attendue")
    records = [r["fields"] if isinstance(r.get("fields"), dict) else r for r in records]
    header: list[str] = []
    for record in records:
        header += [k for k in record if k not in header]
    rows = [(i, [_json_text(r.get(k)) for k in header]) for i, r in enumerate(records, start=1)]
    return Table("json", header, rows)


def _json_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --- recognising the kind --------------------------------------------------------------------


def recognise(name: str, header: list[str], mapping: list[Column]) -> tuple[str, dict[str, int], list[str]]:
    """(kind, table column -> position in the file, columns not recognised as written)."""
    keys = [header_key(h) for h in header]
    found: dict[str, dict[str, list[int]]] = {}
    for kind in KINDS:
        spellings = {}
        for c in mapping:
            if c.kind == kind:
                spellings[header_key(c.technical)] = c.name
                spellings[header_key(c.label)] = c.name
        found[kind] = {}
        for position, key in enumerate(keys):
            if key in spellings:
                found[kind].setdefault(spellings[key], []).append(position)
    complete = [k for k in KINDS if all(c.name in found[k] for c in mapping if c.kind == k and c.required)]
    if not complete:
        raise file_error(name, _unrecognised(found, mapping))
    kind = max(complete, key=lambda k: len(found[k]))
    twice = [header[p[1]] for p in found[kind].values() if len(p) > 1]
    if twice:
        raise file_error(
            name,
            f"colonne(s) en double (nom technique et libellé, ou deux fois le même) : "
            f"{', '.join(f'« {t} »' for t in twice)}",
        )
    positions = {column: p[0] for column, p in found[kind].items()}
    used = set(positions.values())
    return kind, positions, [h for i, h in enumerate(header) if i not in used]


def _unrecognised(found: dict, mapping: list[Column]) -> str:
    closest = max(KINDS, key=lambda k: len(found[k]))
    missing = [c for c in mapping if c.kind == closest and c.required and c.name not in found[closest]]
    names = ", ".join(f"« {c.technical} » ou « {c.label} »" for c in _once(missing))
    return (
        f"type de fichier non reconnu : ni structures, ni résultats, ni indicateurs, ni expériences. Le plus "
        f"proche ({KIND_NAMES[closest]}) n'a pas la colonne {names} (colonnes reconnues : data/opendata/colonnes.csv)"
    )


def _once(columns: list[Column]) -> list[Column]:
    seen, out = set(), []
    for c in columns:
        if c.name not in seen:
            seen.add(c.name)
            out.append(c)
    return out


# --- checking the rows -----------------------------------------------------------------------


def parse_date(text: str) -> dt.date | None:
    """DD/MM/YYYY (CSV with labels) or ISO, with or without a time; None when neither."""
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", text)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def parse_number(text: str) -> float | None:
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    try:
        return float(cleaned) if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?", cleaned, re.I) else None
    except ValueError:
        return None


def _cell(column: str, text: str):
    """(value, problem message or None) of one non-empty cell."""
    if column in DATES:
        value = parse_date(text)
        return value, None if value else "date illisible (attendu JJ/MM/AAAA ou AAAA-MM-JJ)"
    if column in NUMBERS:
        value = parse_number(text)
        return value, None if value is not None else "nombre illisible"
    if column == "ressenti":
        value = FEELINGS.get(header_key(text))
        return value, None if value else "ressenti inconnu (attendu Positif, Neutre ou Négatif)"
    return text.strip(), None


def check_rows(
    name: str, kind: str, table: Table, positions: dict[str, int], mapping: list[Column]
) -> list[dict]:
    """The rows as records of table columns; RefusedExport naming every problem (row, column)."""
    required = {c.name for c in mapping if c.kind == kind and c.required}
    problems: list[Problem] = []
    records: list[dict] = []
    first_row: dict[tuple, int] = {}
    for number, cells in table.rows:
        record = {}
        for column, position in positions.items():
            text = cells[position] if position < len(cells) else ""
            written = table.header[position]
            if not text.strip():
                record[column] = None
                if column in required:
                    problems.append(Problem(name, "valeur obligatoire manquante", number, written))
                continue
            record[column], message = _cell(column, text)
            if message:
                problems.append(Problem(name, message, number, written, text))
        key = tuple(record.get(k) for k in KEYS[kind])
        if None not in key:
            if key in first_row:
                problems.append(
                    Problem(
                        name,
                        f"en double : même clé qu'à la ligne {first_row[key]}",
                        number,
                        table.header[positions[KEYS[kind][0]]],
                        " ; ".join(map(str, key)),
                    )
                )
            first_row.setdefault(key, number)
        records.append(record)
    overfull = [n for n, cells in table.rows if len(cells) > len(table.header)]
    problems += [Problem(name, "plus de cellules que de colonnes dans l'en-tête", n) for n in overfull]
    if problems:
        raise RefusedExport(name, problems[:MAX_PROBLEMS])
    return records


# --- storing ---------------------------------------------------------------------------------


def table_columns(con, kind: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select column_name from duckdb_columns() where table_name = $t and database_name = current_database() "
            "order by column_index",
            {"t": TABLES[kind]},
        ).fetchall()
    ]


def store(
    con, path: Path, sha256: str, kind: str, table: Table, unknown: list[str], records: list[dict]
) -> int:
    """Insert the file's rows (inside the caller's transaction); the number of earlier rows replaced."""
    file_id = con.execute("select coalesce(max(file_id), 0) + 1 from opendata_files").fetchone()[0]
    columns = [c for c in table_columns(con, kind) if c != "file_id"]
    frame = pd.DataFrame([[r.get(c) for c in columns] for r in records], columns=columns, dtype=object)
    frame["file_id"] = file_id
    con.register("opendata_rows", frame)
    try:
        keys = KEYS[kind]
        match = " and ".join(f"t.{k} = n.{k}" for k in keys)
        replaced = con.execute(
            f"select count(*) from {TABLES[kind]} t where exists "
            f"(select 1 from opendata_rows n where {match})"
        ).fetchone()[0]
        con.execute(
            f"delete from {TABLES[kind]} t where exists (select 1 from opendata_rows n where {match})"
        )
        con.execute(f"insert into {TABLES[kind]} by name select * from opendata_rows")
    finally:
        con.unregister("opendata_rows")
    con.execute(
        "insert into opendata_files values ($id, $sha, $name, $path, $kind, $format, $rows, $unknown, now()::timestamp)",
        {
            "id": file_id,
            "sha": sha256,
            "name": path.name,
            "path": str(path),
            "kind": kind,
            "format": table.format,
            "rows": len(records),
            "unknown": unknown,
        },
    )
    return replaced


def expand(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return found


def load_file(con, path: Path, mapping: list[Column]) -> Outcome:
    """One file, all or nothing, in its own transaction."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    known = con.execute("select kind from opendata_files where sha256 = $s", {"s": sha}).fetchone()
    if known:
        return Outcome(path, "skipped", known[0], sha256=sha)
    try:
        table = read_table(path.name, data)
        kind, positions, unknown = recognise(path.name, table.header, mapping)
        records = check_rows(path.name, kind, table, positions, mapping)
    except RefusedExport as refused:
        return Outcome(path, "rejected", problems=refused.problems, sha256=sha)
    with transaction(con):
        replaced = store(con, path, sha, kind, table, unknown, records)
    return Outcome(path, "loaded", kind, len(records), replaced, unknown, sha256=sha)


def ingest_opendata(db_path: Path, paths: Iterable[Path]) -> list[Outcome]:
    mapping = load_mapping()
    with open_writer(db_path) as con:
        return [load_file(con, path, mapping) for path in expand(paths)]
