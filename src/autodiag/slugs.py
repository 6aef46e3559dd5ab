"""Safe file names built from user-supplied names (networks, structure codes)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Names Windows refuses whatever the extension.
RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
MAX_LENGTH = 80


def slugify(name: str) -> str:
    """ASCII, lower case, words joined by '-': never empty, never '..', '/', or a reserved name."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_LENGTH].strip("-")
    if not slug:
        slug = "sans-nom-" + hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
    if slug in RESERVED:
        slug += "-x"
    return slug


def unique_slugs(names: list[str]) -> dict[str, str]:
    """A distinct slug per distinct name. Names whose slug is shared get a hash suffix,
    lengthened until it is taken by no other name (plain or suffixed)."""
    distinct = list(dict.fromkeys(names))
    plain: dict[str, list[str]] = {}
    for name in distinct:
        plain.setdefault(slugify(name), []).append(name)
    result = {group[0]: slug for slug, group in plain.items() if len(group) == 1}
    taken = set(plain)
    for slug, group in plain.items():
        if len(group) == 1:
            continue
        for name in group:
            digest = hashlib.sha1(name.encode("utf-8")).hexdigest()
            length = 6
            while f"{slug}-{digest[:length]}" in taken:
                length += 1
            result[name] = f"{slug}-{digest[:length]}"
            taken.add(result[name])
    return {name: result[name] for name in distinct}
