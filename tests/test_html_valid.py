"""Every built HTML page validates with the Nu Html Checker (vnu-jar from npm, Java 17)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from .conftest import PAGES_PER_LANGUAGE, ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Documented false positives of the theme (Material for MkDocs 9.8), matched on vnu's message
# and the markup it quotes. Each one is Material's markup, not ours, and harmless:
ALLOWED = [
    # Material's drawer/search/TOC toggles are <input type="checkbox" autocomplete="off">:
    # Firefox would otherwise restore a checked toggle (an open drawer) after reloading.
    (r"^Attribute “autocomplete” is only allowed when the input type is", r'class="md-toggle'),
    # Material writes the TOC title <label for="__toc"> also on pages whose TOC toggle it
    # leaves out (pages outside the navigation, section index pages); clicking it does nothing.
    (
        r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden",
        r'for="__toc"',
    ),
]


def is_allowed(message: dict[str, str]) -> bool:
    return any(
        re.search(text, message.get("message", "")) and re.search(markup, message.get("extract", ""))
        for text, markup in ALLOWED
    )


def validate(files: list[Path]) -> list[dict[str, str]]:
    assert VNU.is_file(), "run `npm ci` (see .ci/run) to install vnu-jar"
    result = subprocess.run(
        ["java", "-Xss8m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr)["messages"]
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def test_every_page_validates(site: Path) -> None:
    files = sorted(site.rglob("*.html"))
    assert len(files) == 20 * (PAGES_PER_LANGUAGE + 1)
    errors = [m for m in validate(files) if not is_allowed(m)]
    assert errors == [], json.dumps(errors[:10], ensure_ascii=False, indent=1)


def test_the_validator_reports_errors(tmp_path: Path) -> None:
    """The check above can fail: our own markup mistakes are not allow-listed."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="de"><head><title>x</title></head><body>'
        '<div markdown="0"><label for="nowhere">x</label><input type="checkbox" autocomplete="off">'
        "</div></body></html>",
        encoding="utf-8",
    )
    errors = [m for m in validate([page]) if not is_allowed(m)]
    assert len(errors) == 3, errors
