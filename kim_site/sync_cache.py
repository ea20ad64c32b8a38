"""Remember which catalogs are already in sync with the German texts.

`kim-site translate` with nothing to do would otherwise parse and re-write all 19
catalogs (polib: about 0.7 s of the 1 s a no-change run may take). A catalog is skipped
when its file's bytes and the German texts (with their origins) are exactly those of a
run that found it in sync and left it unchanged; the summary counts come from that run.
Any edit, by a person or by a tool, changes the digest and takes the full way. The cache
is a plain JSON file under .kim-site/ (not in git); deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from .catalog import message_order, write_atomic

CACHE_FILE = Path(".kim-site") / "cache" / "catalog-sync.json"
# Bump when sync_catalog or the counting in autotranslate changes what a catalog looks
# like after a sync: older records then no longer match.
FORMAT = 1


@dataclass(frozen=True)
class InSync:
    """What a run found in a catalog that needed no change."""

    catalog: str  # sha256 of the catalog file
    messages: str  # sha256 of the German texts and origins
    kept: int
    stale: int
    missing: int  # entries a model would translate (left missing without one)


def messages_digest(messages: Mapping[tuple[str | None, str], Iterable[str]]) -> str:
    digest = hashlib.sha256(f"kim-site catalog sync {FORMAT}\n".encode())
    for key in sorted(messages, key=message_order):
        record = [*key, sorted(set(messages[key]))]
        digest.update(json.dumps(record, ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()


def file_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SyncCache:
    """Records per locale, read from and written to ``root/CACHE_FILE``."""

    def __init__(self, root: Path):
        self.path = root / CACHE_FILE
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self.records = {locale: InSync(**record) for locale, record in raw.items()}
        except (OSError, ValueError, TypeError):
            self.records = {}  # missing or damaged: start empty, it is only a cache
        self._loaded = dict(self.records)

    def lookup(self, locale: str, catalog_text: str, messages: str) -> InSync | None:
        record = self.records.get(locale)
        if record and record.messages == messages and record.catalog == file_digest(catalog_text):
            return record
        return None

    def remember(self, locale: str, record: InSync) -> None:
        self.records[locale] = record

    def forget(self, locale: str) -> None:
        self.records.pop(locale, None)

    def save(self) -> None:
        if self.records == self._loaded:
            return
        data = {locale: asdict(record) for locale, record in sorted(self.records.items())}
        # A read-only project still translates; its next run is just slower.
        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")
