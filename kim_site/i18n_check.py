"""Catalog maintenance: sync every i18n/<locale>.po with the German texts; report coverage."""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Catalog, MessageKey, Status, po_text, sync_catalog, write_atomic
from .languages import SOURCE_LOCALE
from .pages import Sources, source_messages


@dataclass(frozen=True)
class Coverage:
    locale: str
    reviewed: int
    unreviewed: int
    missing: int
    machine: int = 0
    stale: int = 0

    @property
    def total(self) -> int:
        return self.reviewed + self.unreviewed + self.machine + self.stale + self.missing


def _expected(sources: Sources, messages: dict[MessageKey, set[str]]) -> dict[str, str]:
    """The text each catalog should have (locale -> PO text)."""
    return {
        lang.locale: po_text(sync_catalog(sources.project.catalog_path(lang.locale), lang.locale, messages))
        for lang in sources.languages
        if lang.locale != SOURCE_LOCALE
    }


def _out_of_sync(sources: Sources, expected: dict[str, str]) -> list[str]:
    stale = []
    for locale, text in expected.items():
        path = sources.project.catalog_path(locale)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(locale)
    return stale


def update_catalogs(sources: Sources) -> list[str]:
    """Write every catalog that is out of sync; returns the locales changed."""
    expected = _expected(sources, source_messages(sources))
    changed = _out_of_sync(sources, expected)
    for locale in changed:
        write_atomic(sources.project.catalog_path(locale), expected[locale])
    return changed


def coverage_table(sources: Sources) -> tuple[list[Coverage], list[str]]:
    """Coverage per language, and the locales whose catalog is out of sync."""
    messages = source_messages(sources)
    stale = _out_of_sync(sources, _expected(sources, messages))
    rows = []
    for lang in sources.languages:
        if lang.locale == SOURCE_LOCALE:
            continue
        catalog = Catalog.load(sources.project.catalog_path(lang.locale), lang.locale)
        counts = dict.fromkeys(Status, 0)
        for context, msgid in messages:
            counts[catalog.lookup(msgid, context).status] += 1
        rows.append(
            Coverage(
                lang.locale,
                reviewed=counts[Status.reviewed],
                unreviewed=counts[Status.unreviewed],
                missing=counts[Status.missing],
                machine=counts[Status.machine],
                stale=counts[Status.stale],
            )
        )
    return rows, stale


def format_table(rows: list[Coverage]) -> str:
    lines = [
        "| language | reviewed | unreviewed | machine | stale | missing | translated |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        done = (row.total - row.missing) / row.total if row.total else 1.0
        lines.append(
            f"| {row.locale} | {row.reviewed} | {row.unreviewed} | {row.machine} | {row.stale} "
            f"| {row.missing} | {done:.0%} |"
        )
    return "\n".join(lines)
