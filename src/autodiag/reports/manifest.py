"""outputs/manifest.json: for every page of a built site, what made it and its key.

    {"autodiag": "0.1.0", "built_at": "2026-…Z", "plotly_js": "assets/plotly-4.1.1.min.js",
     "settings": {...}, "pages": {"2024/structures/str-24.html": {"kind": …, "inputs": [{"sha256": …,
     "name": …}], "inputs_sha256": …, "questionnaires": ["2024"], "autodiag": "0.1.0", "key": …,
     "size": …, "sha256": …, "mtime_ns": …, "rendered_at": "…"}}}

The build date is here only (``built_at``, and ``rendered_at`` per page), never in a page. A
page is *fresh* when its entry has the same key and the file on disk still has the size and
modification time recorded: then it is not rendered again. A missing, truncated or replaced
page is rendered again. Written atomically, at the end of each step of the build that rendered
pages, one page per line.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autodiag.safe_files import write_atomic

NAME = "manifest.json"


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Manifest:
    root: Path
    pages: dict = field(default_factory=dict)  # relative path -> entry
    header: dict = field(default_factory=dict)
    # relative path -> its line as read, kept while the entry is unchanged (a national site's
    # manifest is rewritten at every build: encoding 30,000 entries again costs seconds)
    lines: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, root: Path) -> Manifest:
        path = Path(root) / NAME
        try:
            text = path.read_text(encoding="utf-8")
            found = _read_lines(text)  # as save writes it: one page per line
            if found is None:
                data = json.loads(text)
                pages, lines = data.pop("pages"), {}
            else:
                data, pages, lines = found
            if not isinstance(pages, dict):
                raise ValueError
        except (OSError, ValueError, KeyError, AttributeError):  # absent or damaged: everything is rendered
            return cls(Path(root))
        return cls(Path(root), pages, data, lines)

    def relative(self, path: Path) -> str:
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep):  # asked for every page of a build: no Path arithmetic
            return text[len(root) + 1 :].replace(os.sep, "/")
        return Path(path).relative_to(self.root).as_posix()

    def is_fresh(self, path: Path, key: str) -> bool:
        entry = self.pages.get(self.relative(path))
        if not entry or entry.get("key") != key:
            return False
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns")

    def record(self, path: Path, key: str, entry: dict) -> None:
        """After ``path`` was written: its key, size, SHA-256 and modification time."""
        path = Path(path)
        data = path.read_bytes()
        self.pages[self.relative(path)] = {
            **entry,
            "key": key,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "mtime_ns": path.stat().st_mtime_ns,
            "rendered_at": now(),
        }
        self.lines.pop(self.relative(path), None)

    def forget(self, path: Path) -> None:
        self.pages.pop(self.relative(path), None)
        self.lines.pop(self.relative(path), None)

    def save(self, **header) -> Path:
        self.header.update(header)
        pages = {k: v for k, v in self.pages.items() if (self.root / k).exists()}
        # One page per line, each encoded compactly: readable with grep, and fast (an indented
        # dump goes through the pure-Python encoder: seconds for a national site).
        lines = [self.lines.get(k) or _line(k, pages[k]) for k in sorted(pages)]
        head = json.dumps(
            {k: v for k, v in self.header.items() if k != "pages"}, ensure_ascii=False, sort_keys=True
        )
        text = head[:-1] + (", " if len(head) > 2 else "") + '"pages": {\n' + ",\n".join(lines) + "\n}}\n"
        path = self.root / NAME
        write_atomic(path, [text.encode("utf-8")])
        return path


def _line(name: str, entry: dict) -> str:
    return f" {json.dumps(name, ensure_ascii=False)}: {json.dumps(entry, ensure_ascii=False, sort_keys=True)}"


def _read_lines(text: str) -> tuple[dict, dict, dict] | None:
    """(header, pages, each page's line) of a manifest written by :meth:`Manifest.save`, each
    line parsed once; None when the text is laid out otherwise (then read as plain JSON)."""
    lines = text.split("\n")
    if len(lines) < 3 or not lines[0].endswith('"pages": {') or lines[-2] != "}}" or lines[-1] != "":
        return None
    try:
        head = json.loads(lines[0] + "}}")
        pages, kept = {}, {}
        for line in lines[1:-2]:
            line = line.rstrip(",")
            ((name, entry),) = json.loads("{" + line + "}").items()
            pages[name], kept[name] = entry, line
    except (ValueError, TypeError):
        return None
    head.pop("pages", None)
    return head, pages, kept
