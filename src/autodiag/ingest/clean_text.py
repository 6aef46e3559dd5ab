"""Characters a cell must not hold (control characters: refused) or should not hold
(invisible characters in names and codes: a warning), and how they read in messages."""

from __future__ import annotations

import re

# C0 controls other than tab, line feed and carriage return (NUL included).
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_NOT_CONTROL = bytes(b for b in range(256) if b not in CONTROL_BYTES)
CONTROL = re.compile("[" + re.escape(CONTROL_BYTES.decode("ascii")) + "]")
_CONTROL_BYTE = re.compile(b"[" + re.escape(CONTROL_BYTES) + b"]")
CONTROL_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"  # the same class for DuckDB (bound as a parameter)

# Zero-width characters and bidirectional overrides and isolates: a name holding one shows
# as another name (or reversed) while being stored differently.
INVISIBLE_NAMES = {
    "\u200b": "espace sans chasse",
    "\u200c": "antiliant sans chasse",
    "\u200d": "liant sans chasse",
    "\u2060": "gluon de mots",
    "\ufeff": "espace insécable sans chasse",
    **{chr(c): "contrôle de direction du texte" for c in range(0x202A, 0x202F)},
    **{chr(c): "isolat de direction du texte" for c in range(0x2066, 0x206A)},
}
INVISIBLE = re.compile("[" + "".join(INVISIBLE_NAMES) + "]")
INVISIBLE_PATTERN = INVISIBLE.pattern  # the characters themselves: valid for DuckDB (RE2) too


def control_count(data: bytes) -> int:
    """How many control bytes ``data`` holds: one C pass (translate keeps only them)."""
    return len(data.translate(None, _NOT_CONTROL))


def control_offsets(data: bytes, limit: int) -> tuple[list[int], int]:
    """(offsets of the first ``limit`` control bytes, how many there are in all)."""
    total = control_count(data)
    if not total:
        return [], 0
    offsets = []
    for match in _CONTROL_BYTE.finditer(data):
        offsets.append(match.start())
        if len(offsets) >= limit:
            break
    return offsets, total


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def control_message(char: str) -> str:
    label = f"{code_point(char)}{' (NUL)' if char == chr(0) else ''}"
    return (
        f"caractère de contrôle {label} interdit dans une cellule : supprimez-le (ou réexportez le fichier)"
    )


def invisible_message(text: str) -> str:
    found = sorted(set(INVISIBLE.findall(text)))
    names = ", ".join(f"{code_point(c)} ({INVISIBLE_NAMES[c]})" for c in found)
    return f"caractère invisible {names} : la valeur s'affiche autrement qu'elle n'est enregistrée, vérifiez la cellule"


def visible(text: str) -> str:
    """``text`` with its control and invisible characters shown (␀, <U+200B>), for messages."""
    text = CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())), text)
    return INVISIBLE.sub(lambda m: f"<{code_point(m.group())}>", text)
