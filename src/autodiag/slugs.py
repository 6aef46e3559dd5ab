"""Safe file names built from user-supplied names (networks, structure codes)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Names Windows refuses whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
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
    """A slug per distinct name; names that would collide get a short hash suffix."""
    by_slug: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        by_slug.setdefault(slugify(name), []).append(name)
    result: dict[str, str] = {}
    for slug, group in by_slug.items():
        for name in group:
            if len(group) == 1:
                result[name] = slug
            else:
                result[name] = f"{slug}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"
    return result
