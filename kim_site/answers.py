"""Answers for `kim-site ask` and `kim-site where`: the site's own index and place list,
built from the project's sources, as plain JSON-able dicts (the command's stable contract)."""

from __future__ import annotations

from dataclasses import asdict
from functools import cached_property
from typing import Any

from .faq import FaqMatcher
from .faq_index import contacts_for
from .pages import Project, Sources, faq_index, load_sources
from .places import GEMEINDEN_FILE, PlaceFinder, load_gemeinden, places
from .translator import Translator


class UnknownKommune(KeyError):
    pass


class Answers:
    def __init__(self, project: Project, sources: Sources | None = None):
        self.project = project
        self._sources = sources
        self._matchers: dict[str, FaqMatcher] = {}

    @cached_property
    def sources(self) -> Sources:
        return self._sources or load_sources(self.project)

    def matcher(self, locale: str) -> FaqMatcher:
        if locale not in self._matchers:
            language = self.sources.language(locale)
            tr = Translator(language, self.sources.catalog(language))
            self._matchers[locale] = FaqMatcher(faq_index(self.sources, language, tr, []))
        return self._matchers[locale]

    def ask(self, question: str, locale: str, kommune: str | None = None, limit: int = 3) -> dict[str, Any]:
        language = self.sources.language(locale)
        matches = self.matcher(locale).ask(question, limit=limit)
        contacts: list[dict[str, Any]] = []
        if kommune is not None:
            found = {k.slug: k for k in self.sources.kommunen}.get(kommune)
            if found is None:
                raise UnknownKommune(kommune)
            contacts = contacts_for(found, matches[0].offices if matches else [])
        return {
            "query": question,
            "lang": locale,
            "matches": [
                {
                    "id": m.id,
                    "score": m.score,
                    "question": m.question,
                    "answer": m.answer,
                    "url": language.url_prefix + m.url,
                }
                for m in matches
            ],
            "contacts": contacts,
        }

    @cached_property
    def places(self) -> PlaceFinder:
        data_dir = self.project.data_dir
        rows = load_gemeinden(data_dir)
        return PlaceFinder(places(self.sources.kommunen, rows, data_dir / GEMEINDEN_FILE))

    def where(self, place: str, limit: int = 5) -> dict[str, Any]:
        return {"query": place, "matches": [asdict(m) for m in self.places.find(place, limit)]}
