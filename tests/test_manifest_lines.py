"""outputs/manifest.json read line by line: names with quotes, backslashes and accents come back
as written; a damaged line is never trusted (its page is rendered again), whatever it starts with."""

from __future__ import annotations

import json

from autodiag.reports.manifest import NAME, Manifest


def written(root, names):
    manifest = Manifest(root)
    for name in names:
        page = root / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(name, encoding="utf-8")
        manifest.record(page, "a" * 64, {"kind": "structure", "parameters": {"code": name}})
    manifest.save(autodiag="test")
    return root / NAME


def test_names_come_back_as_written(tmp_path):
    names = ['2024/structures/a"b.html', "2024/structures/a\\b.html", "2024/structures/é\tè.html"]
    path = written(tmp_path, names)
    assert sorted(json.loads(path.read_text(encoding="utf-8"))["pages"]) == sorted(names)
    again = Manifest.load(tmp_path)
    for name in names:
        assert again.is_fresh(tmp_path / name, "a" * 64)
        assert again.entry(name)["parameters"] == {"code": name}


def test_a_damaged_line_is_not_trusted(tmp_path):
    path = written(tmp_path, ["2024/a.html", "2024/b.html"])
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1][: len(lines[1]) // 2]  # cut in the middle, its start intact
    path.write_text("\n".join(lines), encoding="utf-8")
    again = Manifest.load(tmp_path)
    assert not again.is_fresh(tmp_path / "2024/a.html", "a" * 64)
    assert again.entry("2024/a.html") is None
