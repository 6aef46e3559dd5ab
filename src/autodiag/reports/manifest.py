"""outputs/manifest.json: for every page of a built site, what made it and its key.

    {"autodiag": "0.1.0", "built_at": "2026-…Z", "plotly_js": "assets/plotly-4.1.1.min.js",
     "settings": {...}, "pages": {"2024/structures/str-24.html": {"key": …, "mtime_ns": …,
     "size": …, "autodiag": "0.1.0", "inputs": [{"name": …, "sha256": …}], "inputs_sha256": …,
     "kind": …, "questionnaires": ["2024"], "rendered_at": "…", "sha256": …}}}

The build date is here only (``built_at``, and ``rendered_at`` per page), never in a page. A
page is *fresh* when its entry has the same key and the file on disk still has the size and
modification time recorded: then it is not rendered again. A missing, truncated or replaced
page is rendered again. Written atomically, at the end of each step of the build that rendered
pages, one page per line, its key, modification time and size first.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autodiag.safe_files import write_atomic

NAME = "manifest.json"
FIRST = ("key", "mtime_ns", "size")  # what freshness reads, at the start of each line

# The start of a line as save writes it: a national site's manifest has 30,000 lines, and
# parsing each as JSON at every build costs a second; only the lines of pages rendered again,
# or asked for, are parsed.
_START = re.compile(r' ("(?:[^"\\]|\\.)*"): \{"key": "([0-9a-f]{64})", "mtime_ns": (\d+), "size": (\d+)[,}]')


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Manifest:
    root: Path
    header: dict = field(default_factory=dict)
    # relative path -> (key, mtime_ns, size) of every page
    _fresh: dict = field(default_factory=dict, repr=False)
    # relative path -> its line as read, written back as it was while the page is unchanged
    _lines: dict = field(default_factory=dict, repr=False)
    # relative path -> its whole entry, once recorded or asked for
    _entries: dict = field(default_factory=dict, repr=False)
    # pages found on disk by this build: not looked for again when saving
    _seen: set = field(default_factory=set, repr=False)

    @classmethod
    def load(cls, root: Path) -> Manifest:
        manifest = cls(Path(root))
        try:
            text = (manifest.root / NAME).read_text(encoding="utf-8")
            if not manifest._read_lines(text):  # laid out otherwise: read as plain JSON
                data = json.loads(text)
                pages = data.pop("pages")
                if not isinstance(pages, dict):
                    raise ValueError
                manifest.header = data
                for name, entry in pages.items():
                    manifest._keep(name, entry)
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            return cls(Path(root))  # absent or damaged: everything is rendered
        return manifest

    def _read_lines(self, text: str) -> bool:
        """Reads a manifest as :meth:`save` writes it (one page per line); False when the text is
        laid out otherwise."""
        lines = text.split("\n")
        if len(lines) < 3 or not lines[0].endswith('"pages": {') or lines[-2] != "}}" or lines[-1] != "":
            return False
        try:
            head = json.loads(lines[0] + "}}")
            head.pop("pages", None)
            for line in lines[1:-2]:
                line = line.removesuffix(",")
                found = _START.match(line) if line.endswith("}") else None
                if found is None:  # written by an earlier version, or damaged: parsed whole
                    ((name, entry),) = json.loads("{" + line + "}").items()
                    self._keep(name, entry)
                    continue
                name = found[1][1:-1] if "\\" not in found[1] else json.loads(found[1])
                self._fresh[name] = (found[2], int(found[3]), int(found[4]))
                self._lines[name] = line
        except (ValueError, TypeError, AttributeError):
            self._fresh, self._lines, self._entries = {}, {}, {}
            return False
        self.header = head
        return True

    def _keep(self, name: str, entry: dict) -> None:
        if not isinstance(entry, dict):
            raise ValueError(name)
        self._entries[name] = entry
        self._fresh[name] = (entry.get("key"), entry.get("mtime_ns"), entry.get("size"))

    def relative(self, path: Path) -> str:
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep):  # asked for every page of a build: no Path arithmetic
            return text[len(root) + 1 :].replace(os.sep, "/")
        return Path(path).relative_to(self.root).as_posix()

    def entry(self, path: Path | str) -> dict | None:
        """The recorded entry of a page (a path, or relative to the site's root), or None."""
        name = path if isinstance(path, str) and not os.path.isabs(path) else self.relative(path)
        if name not in self._entries and name in self._lines:
            try:
                ((_, entry),) = json.loads("{" + self._lines[name] + "}").items()
            except (ValueError, TypeError):  # a damaged line: the page is rendered again
                self.forget(self.root / name)
                return None
            self._entries[name] = entry
        return self._entries.get(name)

    def size(self, path: Path | str) -> int:
        name = path if isinstance(path, str) and not os.path.isabs(path) else self.relative(path)
        return self._fresh[name][2]

    def is_fresh(self, path: Path | str, key: str) -> bool:
        name = self.relative(path)
        recorded = self._fresh.get(name)
        if recorded is None or recorded[0] != key:
            return False
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if (stat.st_mtime_ns, stat.st_size) != recorded[1:]:
            return False
        self._seen.add(name)
        return True

    def record(self, path: Path, key: str, entry: dict) -> None:
        """After ``path`` was written: its key, size, SHA-256 and modification time."""
        path = Path(path)
        data = path.read_bytes()
        name = self.relative(path)
        self._keep(
            name,
            {
                **entry,
                "key": key,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "mtime_ns": path.stat().st_mtime_ns,
                "rendered_at": now(),
            },
        )
        self._lines.pop(name, None)
        self._seen.add(name)

    def forget(self, path: Path) -> None:
        name = self.relative(path)
        for recorded in (self._fresh, self._lines, self._entries):
            recorded.pop(name, None)

    def save(self, **header) -> Path:
        self.header.update(header)
        root = str(self.root)
        names = [n for n in sorted(self._fresh) if n in self._seen or os.path.exists(os.path.join(root, n))]
        # One page per line, each encoded compactly: readable with grep, and fast (an indented
        # dump goes through the pure-Python encoder: seconds for a national site).
        lines = [self._lines.get(n) or _line(n, self._entries[n]) for n in names]
        head = json.dumps(
            {k: v for k, v in self.header.items() if k != "pages"}, ensure_ascii=False, sort_keys=True
        )
        text = head[:-1] + (", " if len(head) > 2 else "") + '"pages": {\n' + ",\n".join(lines) + "\n}}\n"
        path = self.root / NAME
        write_atomic(path, [text.encode("utf-8")])
        return path


def _line(name: str, entry: dict) -> str:
    """A page's line: its key, modification time and size first (what :data:`_START` reads), then
    the rest of its entry by name."""
    first = ", ".join(f"{json.dumps(k)}: {json.dumps(entry[k])}" for k in FIRST if k in entry)
    rest = json.dumps({k: v for k, v in entry.items() if k not in FIRST}, ensure_ascii=False, sort_keys=True)
    body = "{" + first + (", " + rest[1:] if rest != "{}" else "}") if first else rest
    return f" {json.dumps(name, ensure_ascii=False)}: {body}"
