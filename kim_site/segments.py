"""Translate hand-written Markdown pages block by block.

A German page is split at blank lines. Each heading, paragraph and list item is one
catalog entry (without its `#` or `-` marker, so translators see only text). Untranslated
blocks keep the German text and get `{: lang="de" }` (attr_list), so screen readers switch
voice. HTML comments of the form ``<!-- kim:NAME ARG ... -->`` are placeholders that the
page builder fills with generated content.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .catalog import Status
from .translator import Translator

PLACEHOLDER = re.compile(r"^<!--\s*kim:([a-z-]+)((?:\s+[a-z0-9_-]+)*)\s*-->$")
Placeholder = Callable[[tuple[str, ...]], str]  # gets the placeholder's arguments
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+\.)\s+)(.*)$")
_LANG_DE = '{: lang="de" }'


def translate_markdown(
    source: str,
    tr: Translator,
    origin: str,
    placeholders: dict[str, Placeholder],
) -> str:
    out: list[str] = []
    for block in re.split(r"\n\s*\n", source.strip()):
        block = block.strip("\n")
        placeholder = PLACEHOLDER.match(block.strip())
        if placeholder:
            name = placeholder[1]
            if name not in placeholders:
                raise ValueError(f"{origin}: unknown placeholder <!-- kim:{name} -->")
            out.append(placeholders[name](tuple(placeholder[2].split())))
            continue
        heading = _HEADING.match(block)
        if heading and "\n" not in block:
            found = tr.get(heading[2], origin=origin)
            suffix = f" {_LANG_DE}" if found.status is Status.missing else ""
            out.append(f"{heading[1]} {found.text}{suffix}")
            continue
        lines = block.split("\n")
        if all(_ITEM.match(line) or line.startswith("  ") for line in lines) and _ITEM.match(lines[0]):
            out.append("\n".join(_translate_items(lines, tr, origin)))
            continue
        found = tr.get(block, origin=origin)
        out.append(found.text + (f"\n{_LANG_DE}" if found.status is Status.missing else ""))
    return "\n\n".join(out) + "\n"


def _translate_items(lines: list[str], tr: Translator, origin: str) -> list[str]:
    items: list[tuple[str, str]] = []
    for line in lines:
        match = _ITEM.match(line)
        if match:
            items.append((match[1], match[2]))
        else:  # continuation line of the previous item
            marker, text = items[-1]
            items[-1] = (marker, f"{text} {line.strip()}")
    out = []
    for marker, text in items:
        found = tr.get(text, origin=origin)
        out.append(marker + found.text + (f"\n{_LANG_DE}" if found.status is Status.missing else ""))
    return out
