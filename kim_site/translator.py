"""Translation during rendering: look texts up, remember what a page used and its status.

Rendering German with a :class:`Translator` over the :class:`SourceCatalog` also yields the
list of every German text that reaches a page: that list *is* the catalog template, so
catalogs can never miss a string the site shows.
"""

from __future__ import annotations

import html
from collections import defaultdict

from .catalog import Catalog, MessageKey, Status, Translation
from .languages import SOURCE_LOCALE, Language

UI_ORIGIN = "kim_site"


class Translator:
    def __init__(self, language: Language, catalog: Catalog):
        self.language = language
        self.catalog = catalog
        self.page_statuses: set[Status] = set()
        # Every text looked up, with where it came from (for the catalog template).
        self.messages: dict[MessageKey, set[str]] = defaultdict(set)

    @property
    def is_source(self) -> bool:
        return self.language.locale == SOURCE_LOCALE

    def start_page(self) -> None:
        self.page_statuses = set()

    def get(self, msgid: str, context: str | None = None, origin: str = UI_ORIGIN) -> Translation:
        self.messages[(context, msgid)].add(origin)
        found = self.catalog.lookup(msgid, context)
        self.page_statuses.add(found.status)
        return found

    def text(self, msgid: str, context: str | None = None, origin: str = UI_ORIGIN) -> str:
        """Plain translated text (for places that cannot carry a lang attribute)."""
        return self.get(msgid, context, origin).text

    def html(self, msgid: str, context: str | None = None, origin: str = UI_ORIGIN) -> str:
        """Escaped translated text; German fallback wrapped in <span lang="de">."""
        found = self.get(msgid, context, origin)
        return wrap_missing(html.escape(found.text), found.status)


def wrap_missing(escaped: str, status: Status) -> str:
    if status is Status.missing:
        return f'<span lang="{SOURCE_LOCALE}">{escaped}</span>'
    return escaped
