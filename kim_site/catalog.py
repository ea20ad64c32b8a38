"""Gettext catalogs: one ``i18n/<locale>.po`` per language, German msgids.

Translation status, as translators see it in any PO editor (Poedit, Weblate, Lokalize):
- reviewed:   msgstr filled, not marked fuzzy (a person has checked it);
- unreviewed: msgstr filled and marked fuzzy (machine or first draft; shown with a notice);
- missing:    msgstr empty (the German text is shown, marked lang="de", with a notice).
Machine translations additionally carry the flag ``machine-translated``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import polib

MessageKey = tuple[str | None, str]  # (msgctxt, msgid)


class Status(StrEnum):
    source = "source"  # German, the original
    reviewed = "reviewed"
    unreviewed = "unreviewed"
    missing = "missing"


@dataclass(frozen=True)
class Translation:
    text: str
    status: Status


@dataclass
class Catalog:
    """Translations of one language, looked up by German source text."""

    locale: str
    entries: dict[MessageKey, Translation] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, locale: str) -> Catalog:
        catalog = cls(locale)
        if not path.exists():
            return catalog
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr.strip():
                continue
            status = Status.unreviewed if "fuzzy" in entry.flags else Status.reviewed
            catalog.entries[(entry.msgctxt, entry.msgid)] = Translation(entry.msgstr, status)
        return catalog

    def lookup(self, msgid: str, context: str | None = None) -> Translation:
        found = self.entries.get((context, msgid))
        return found if found is not None else Translation(msgid, Status.missing)


class SourceCatalog(Catalog):
    """German: every text is its own translation."""

    def lookup(self, msgid: str, context: str | None = None) -> Translation:
        return Translation(msgid, Status.source)


# --- writing ---------------------------------------------------------------------------------


def _header(locale: str) -> dict[str, str]:
    return {
        "Project-Id-Version": "kim-site",
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


def sync_catalog(path: Path, locale: str, messages: Mapping[MessageKey, Iterable[str]]) -> polib.POFile:
    """Catalog for ``locale`` holding exactly ``messages`` (with their origins).

    Existing translations and flags are kept; entries whose German text is gone become
    obsolete (``#~``), so a translator can still reuse them.
    """
    old = polib.pofile(str(path)) if path.exists() else polib.POFile()
    by_key = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    po = polib.POFile(wrapwidth=0)
    po.header = (
        f"kim-site: texts of the site in {locale}. The German text (msgid) is the source.\n"
        "Status: empty msgstr = missing; flag fuzzy = not yet reviewed by a person;\n"
        "no fuzzy flag = reviewed. Never translate names, addresses or phone numbers."
    )
    po.metadata = _header(locale)
    for key in sorted(messages, key=_sort_key):
        context, msgid = key
        previous = by_key.pop(key, None)
        entry = polib.POEntry(
            msgctxt=context,
            msgid=msgid,
            msgstr=previous.msgstr if previous else "",
            flags=list(previous.flags) if previous else [],
            tcomment=previous.tcomment if previous else "",
            previous_msgid=previous.previous_msgid if previous else None,
            occurrences=[(origin, "") for origin in sorted(set(messages[key]))],
        )
        po.append(entry)
    # Translations of texts that are gone stay as obsolete entries (also those that were
    # obsolete already), so a translator can reuse them and a second run changes nothing.
    gone = dict(by_key)
    for entry in old:
        if entry.obsolete and (entry.msgctxt, entry.msgid) not in messages:
            gone.setdefault((entry.msgctxt, entry.msgid), entry)
    for context, msgid in sorted(gone, key=_sort_key):
        entry = gone[(context, msgid)]
        if entry.msgstr:
            po.append(
                polib.POEntry(
                    msgctxt=context, msgid=msgid, msgstr=entry.msgstr, flags=list(entry.flags), obsolete=True
                )
            )
    return po


def _sort_key(key: MessageKey) -> tuple[str, str]:
    return (key[1], key[0] or "")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that an interrupted run leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def po_text(po: polib.POFile) -> str:
    """Byte-stable text of a catalog (no creation dates, no line wrapping)."""
    return str(po).rstrip("\n") + "\n"
