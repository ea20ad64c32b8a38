"""Gettext catalogs: one ``i18n/<locale>.po`` per language, German msgids.

Translation status, as translators see it in any PO editor (Poedit, Weblate, Lokalize):
- reviewed:   msgstr filled, not marked fuzzy (a person has checked it);
- unreviewed: msgstr filled, flag ``fuzzy`` (a first draft by a person; shown with a notice);
- machine:    msgstr filled, flags ``fuzzy, machine-translated`` (written by `kim-site
              translate`; shown with a notice that no person has checked it);
- stale:      msgstr filled, flag ``fuzzy`` and a previous source ``#| msgid "..."``: the
              German text changed after it was translated; the old translation is shown with a
              notice that it may be outdated, and a translator compares ``#| msgid`` with
              ``msgid`` (Poedit and Weblate show the difference);
- missing:    msgstr empty (the German text is shown, marked lang="de", with a notice).

A person who reviews an entry removes ``fuzzy`` (and the ``#|`` lines); the other flags then
no longer matter. ``sync_catalog`` makes entries stale; `kim-site translate` only ever writes
missing entries and stale ones that were machine-translated, never a person's text.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import polib
from rapidfuzz import fuzz, utils

MessageKey = tuple[str | None, str]  # (msgctxt, msgid)


FUZZY = "fuzzy"
MACHINE_FLAG = "machine-translated"
# msgctxt suffixes of entries that hold one item per line (msgid and msgstr may differ in
# their number of lines): FAQ paraphrases and search keywords.
LIST_CONTEXT_SUFFIXES = (":paraphrases", ":keywords")


class Status(StrEnum):
    source = "source"  # German, the original
    reviewed = "reviewed"
    unreviewed = "unreviewed"
    machine = "machine"
    stale = "stale"
    missing = "missing"


def entry_status(entry: polib.POEntry) -> Status:
    """The status of one catalog entry (see the module docstring for the format)."""
    if not entry.msgstr.strip():
        return Status.missing
    if FUZZY not in entry.flags:
        return Status.reviewed
    if entry.previous_msgid is not None:
        return Status.stale
    if MACHINE_FLAG in entry.flags:
        return Status.machine
    return Status.unreviewed


def is_list_context(context: str | None) -> bool:
    return context is not None and context.endswith(LIST_CONTEXT_SUFFIXES)


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
            status = entry_status(entry)
            if entry.obsolete or status is Status.missing:
                continue
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

    Existing translations and flags are kept. When a German text changed, its old
    translation moves to the new text as *stale* (fuzzy, old German kept as ``#| msgid``):
    matched by the same msgctxt where the entry has one (FAQ entries: ``faq:<id>:answer``),
    otherwise by the most similar removed text from the same file (see ``_match_changed``).
    Entries whose German text is gone become obsolete (``#~``), so a translator can still
    reuse them.
    """
    old = polib.pofile(str(path)) if path.exists() else polib.POFile()
    by_key = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    removed = {key: e for key, e in by_key.items() if key not in messages and e.msgstr.strip()}
    added = [key for key in messages if key not in by_key]
    changed = _match_changed(added, removed, messages)
    po = polib.POFile(wrapwidth=0)
    po.header = (
        f"kim-site: texts of the site in {locale}. The German text (msgid) is the source.\n"
        "Status: empty msgstr = missing; flag fuzzy = not yet reviewed by a person;\n"
        "no fuzzy flag = reviewed; fuzzy with #| msgid = the German text changed since.\n"
        "Never translate names, addresses or phone numbers."
    )
    po.metadata = _header(locale)
    for key in sorted(messages, key=message_order):
        context, msgid = key
        occurrences = [(origin, "") for origin in sorted(set(messages[key]))]
        if key in changed:
            po.append(_stale_entry(changed[key], context, msgid, occurrences))
            continue
        previous = by_key.get(key)
        entry = polib.POEntry(
            msgctxt=context,
            msgid=msgid,
            msgstr=previous.msgstr if previous else "",
            flags=list(previous.flags) if previous else [],
            tcomment=previous.tcomment if previous else "",
            previous_msgid=previous.previous_msgid if previous else None,
            occurrences=occurrences,
        )
        po.append(entry)
    # Translations of texts that are gone stay as obsolete entries (also those that were
    # obsolete already), so a translator can reuse them and a second run changes nothing.
    carried = {(e.msgctxt, e.msgid) for e in changed.values()}
    gone = dict(removed)
    for entry in old:
        if entry.obsolete and entry.msgstr.strip() and (entry.msgctxt, entry.msgid) not in messages:
            gone.setdefault((entry.msgctxt, entry.msgid), entry)
    for context, msgid in sorted(gone, key=message_order):
        if (context, msgid) in carried:
            continue
        entry = gone[(context, msgid)]
        po.append(
            polib.POEntry(
                msgctxt=context, msgid=msgid, msgstr=entry.msgstr, flags=list(entry.flags), obsolete=True
            )
        )
    return po


# A removed text counts as the old version of an added one from at least this similarity
# (rapidfuzz ratio, 0-100). Lower would carry translations of unrelated texts.
CHANGED_TEXT_MIN_SIMILARITY = 70.0


def _match_changed(
    added: list[MessageKey],
    removed: Mapping[MessageKey, polib.POEntry],
    messages: Mapping[MessageKey, Iterable[str]],
) -> dict[MessageKey, polib.POEntry]:
    """Which removed entry each added text replaces (new key -> old entry).

    An entry with a msgctxt is matched only by the same msgctxt (the context names the
    thing, the German wording of it changed). Without one, the most similar removed text
    with the same origin (file) wins; each old entry is used once, best pairs first, ties
    broken by text so the result does not depend on dict order.
    """
    found: dict[MessageKey, polib.POEntry] = {}
    free = dict(removed)
    by_context = {key[0]: key for key in removed if key[0] is not None}
    for key in added:
        old_key = by_context.get(key[0]) if key[0] is not None else None
        if old_key is not None and old_key in free:
            found[key] = free.pop(old_key)
    pairs: list[tuple[float, MessageKey, MessageKey]] = []
    for key in added:
        if key[0] is not None or key in found:
            continue
        origins = set(messages[key])
        for old_key, entry in free.items():
            if old_key[0] is not None or not origins & {path for path, _ in entry.occurrences}:
                continue
            score = fuzz.ratio(key[1], old_key[1], processor=utils.default_process)
            if score >= CHANGED_TEXT_MIN_SIMILARITY:
                pairs.append((score, key, old_key))
    pairs.sort(key=lambda pair: (-pair[0], message_order(pair[1]), message_order(pair[2])))
    for _, key, old_key in pairs:
        if key not in found and old_key in free:
            found[key] = free.pop(old_key)
    return found


def _stale_entry(
    old: polib.POEntry, context: str | None, msgid: str, occurrences: list[tuple[str, str]]
) -> polib.POEntry:
    # The msgstr translates the German text of the last review or translation: if the old
    # entry was already stale, that is its previous msgid, not its msgid.
    was_stale = FUZZY in old.flags and old.previous_msgid is not None
    return polib.POEntry(
        msgctxt=context,
        msgid=msgid,
        msgstr=old.msgstr,
        flags=[FUZZY, *(flag for flag in old.flags if flag != FUZZY)],
        tcomment=old.tcomment,
        previous_msgid=old.previous_msgid if was_stale else old.msgid,
        occurrences=occurrences,
    )


def message_order(key: MessageKey) -> tuple[str, str]:
    """Catalog order: by German text, then context (None, the usual context, first)."""
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
