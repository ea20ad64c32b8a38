"""All pages of one language as Markdown: hand-written pages translated, data pages rendered.

``load_sources`` gathers and validates everything first (data, languages, German pages);
``render_language`` is pure: same inputs, same Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .catalog import Catalog, SourceCatalog
from .faq_index import INDEX_PATH, build_faq_index, index_bytes
from .faq_render import (
    faq_page_path,
    render_faq_links,
    render_faq_overview,
    render_faq_topic,
    render_offices,
)
from .languages import SOURCE_LOCALE, Language, load_languages
from .load import FAQ_FILE, DataError, Problem, load_faq, load_kommunen
from .model import FaqEntry, Kommune, OfficeKind, Topic
from .render import (
    Formats,
    kommune_path,
    page_notice,
    render_kommune,
    render_kommune_chooser,
    render_overview,
    render_topics,
)
from .segments import PLACEHOLDER, Placeholder, translate_markdown
from .stopwords import MIXED_WITH
from .translator import Translator

TOPICS_DIR = "themen"
# Leichte Sprache is a form of German (BITV 2.0 asks for it on the start page of German
# sites): it is not translated, every language links to it.
GERMAN_ONLY_PAGES = {"leichte-sprache.md"}
_TITLE = re.compile(r"^#\s+(.+?)\s*(?:\{:.*\})?$", re.MULTILINE)


@dataclass(frozen=True)
class Project:
    """Where the inputs live (all paths absolute)."""

    root: Path
    data_dir: Path
    pages_dir: Path
    i18n_dir: Path

    @classmethod
    def at(cls, root: Path, data_dir: Path | None = None) -> Project:
        root = root.resolve()
        return cls(
            root=root,
            data_dir=(data_dir or root / "data").resolve(),
            pages_dir=root / "docs",
            i18n_dir=root / "i18n",
        )

    def origin(self, path: Path) -> str:
        """A path as catalogs and messages show it (relative to the project if possible)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def catalog_path(self, locale: str) -> Path:
        return self.i18n_dir / f"{locale}.po"


@dataclass(frozen=True)
class Sources:
    project: Project
    languages: tuple[Language, ...]
    kommunen: tuple[Kommune, ...]
    pages: dict[str, str]  # German Markdown by path relative to pages_dir
    faq: tuple[FaqEntry, ...] = ()
    # Catalogs read once per Sources: the English one serves every language's FAQ index.
    _catalogs: dict[str, Catalog] = field(default_factory=dict, init=False, compare=False, repr=False)

    def language(self, locale: str) -> Language:
        for language in self.languages:
            if language.locale == locale:
                return language
        known = ", ".join(lang.locale for lang in self.languages)
        raise KeyError(f"unknown language {locale!r}; known: {known}")

    def catalog(self, language: Language) -> Catalog:
        if language.locale == SOURCE_LOCALE:
            return SourceCatalog(SOURCE_LOCALE)
        if language.locale not in self._catalogs:
            path = self.project.catalog_path(language.locale)
            self._catalogs[language.locale] = Catalog.load(path, language.locale)
        return self._catalogs[language.locale]


def load_sources(project: Project) -> Sources:
    """Everything the site is made of, validated (raises DataError listing all problems)."""
    languages = load_languages(project.i18n_dir / "languages.yml")
    kommunen = tuple(load_kommunen(project.data_dir))
    pages = {
        path.relative_to(project.pages_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(project.pages_dir.rglob("*.md"))
    }
    problems = list(_placeholder_problems(project, pages))
    topic_pages = {
        path.removeprefix(f"{TOPICS_DIR}/").removesuffix(".md")
        for path in pages
        if path.startswith(TOPICS_DIR)
    }
    try:
        faq = load_faq(project.data_dir, topic_pages)
    except DataError as error:
        problems += error.problems
    if problems:
        raise DataError(problems)
    return Sources(project, languages, kommunen, pages, faq)


PLACEHOLDER_ARGS: dict[str, set[str] | None] = {
    "kommune-chooser": set(),
    "topics": set(),
    "faq": set(),
    "offices": {kind.value for kind in OfficeKind},
}


def _placeholder_problems(project: Project, pages: dict[str, str]) -> Iterator[Problem]:
    """Unknown placeholders or arguments in the German pages, with file and line."""
    for path, text in pages.items():
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip().startswith("<!--"):
                continue
            match = PLACEHOLDER.match(line.strip())
            if not match:
                if "kim:" in line:
                    yield Problem(
                        project.pages_dir / path,
                        number,
                        1,
                        "placeholder",
                        "write a placeholder alone on its line, like <!-- kim:offices auslaenderbehoerde -->",
                    )
                continue
            name, args = match[1], match[2].split()
            allowed = PLACEHOLDER_ARGS.get(name)
            if allowed is None:
                yield Problem(
                    project.pages_dir / path,
                    number,
                    1,
                    "placeholder",
                    f"unknown placeholder kim:{name}; known: {', '.join(sorted(PLACEHOLDER_ARGS))}",
                )
                continue
            wrong = [arg for arg in args if arg not in allowed]
            if wrong or (name == "offices" and not args):
                hint = ", ".join(sorted(allowed)) if allowed else "no arguments"
                yield Problem(
                    project.pages_dir / path,
                    number,
                    1,
                    "placeholder",
                    f"kim:{name} does not take {' '.join(wrong) or 'an empty list'}; use: {hint}",
                )


# Interface texts outside the pages: the site name, section titles in the navigation and
# the footer links. The plugin and the templates use them in the reader's language.
SITE_NAME = "KIM NRW: Hilfe für Neuzugewanderte"
# Footer link to this language's offline copy ({size}: e.g. "1,2 MB").
DOWNLOAD_TEXT = "Diese Seiten herunterladen und ohne Internet lesen (ZIP, {size})"
INTERFACE_TEXTS = (
    SITE_NAME,
    "Kommunen",
    "Themen",
    "Häufige Fragen",
    "Impressum",
    "Datenschutz",
    "Barrierefreiheit",
    "Leichte Sprache",
    "Frage stellen",
    DOWNLOAD_TEXT,
)


@dataclass(frozen=True)
class RenderedLanguage:
    language: Language
    pages: dict[str, str]  # Markdown by path relative to the language root
    interface: dict[str, str]  # German interface text -> text in this language
    translator: Translator
    files: dict[str, bytes]  # other generated files by path relative to the language root


def render_language(
    sources: Sources, language: Language, catalog: Catalog, contacts_outdated_before: dt.date | None = None
) -> RenderedLanguage:
    """Markdown of every page in ``language`` and its interface texts.

    Offices whose contacts were verified before ``contacts_outdated_before`` carry a notice.
    """
    tr = Translator(language, catalog)
    interface = {text: tr.text(text) for text in INTERFACE_TEXTS}
    fmt = Formats(language.cldr)
    project = sources.project
    out: dict[str, str] = {}
    files: dict[str, bytes] = {}

    def finish(path: str, body: str) -> None:
        out[path] = _insert_after_title(body, page_notice(tr.page_statuses, tr))

    kommune_origins = {
        k.slug: project.origin(project.data_dir / "kommunen" / f"{k.slug}.yml") for k in sources.kommunen
    }
    for kommune in sources.kommunen:
        tr.start_page()
        page = render_kommune(kommune, tr, fmt, kommune_origins[kommune.slug], contacts_outdated_before)
        finish(kommune_path(kommune), page)
    tr.start_page()
    finish("kommunen/index.md", render_overview(sources.kommunen, tr))

    faq_origin = project.origin(project.data_dir / FAQ_FILE)
    faq_by_topic: dict[str, list[FaqEntry]] = {}
    for entry in sources.faq:
        faq_by_topic.setdefault(entry.topic.value, []).append(entry)

    # Topic pages first: the start page lists them with their translated titles.
    topics: list[tuple[str, str]] = []
    topic_titles: dict[str, str] = {}
    ordered = sorted(sources.pages, key=lambda p: (not p.startswith(f"{TOPICS_DIR}/"), p))
    for path in ordered:
        if path in GERMAN_ONLY_PAGES:
            out[path] = _german_only(sources.pages[path], language)
            continue
        tr.start_page()
        origin = project.origin(project.pages_dir / path)
        topic = path.removeprefix(f"{TOPICS_DIR}/").removesuffix(".md")
        placeholders: dict[str, Placeholder] = {
            "kommune-chooser": lambda args: render_kommune_chooser(sources.kommunen, tr),
            "topics": lambda args: render_topics(topics, tr),
            # On a topic page (themen/<topic>/): its FAQ questions and the offices that help.
            "faq": partial(_faq_links, faq_by_topic.get(topic, []), tr, faq_origin),
            "offices": lambda args: render_offices([OfficeKind(a) for a in args], tr, "../../kommunen/"),
        }
        body = translate_markdown(sources.pages[path], tr, origin, placeholders)
        if path.startswith(f"{TOPICS_DIR}/"):
            title = _TITLE.search(body)
            link = path.removesuffix(".md").removesuffix("index") + ("" if path.endswith("index.md") else "/")
            topics.append((link, title[1] if title else path))
            topic_titles[topic] = title[1] if title else topic
        finish(path, body)

    if sources.faq:
        by_topic = [
            (Topic(name), topic_titles.get(name, name), entries)
            for name, entries in sorted(faq_by_topic.items(), key=lambda item: _topic_order(item[0]))
        ]
        for topic_enum, topic_title, entries in by_topic:
            tr.start_page()
            body = render_faq_topic(topic_enum, topic_title, entries, tr, fmt, faq_origin)
            finish(faq_page_path(topic_enum), body)
        tr.start_page()
        finish("faq/index.md", render_faq_overview(by_topic, tr, faq_origin))
        files[INDEX_PATH] = index_bytes(faq_index(sources, language, tr, topics))
    return RenderedLanguage(language, out, interface, tr, files)


def faq_index(
    sources: Sources, language: Language, tr: Translator, topics: list[tuple[str, str]]
) -> dict[str, Any]:
    """The FAQ helper's index of ``language`` (the site's file and `kim-site ask` use it):
    the reader's texts through ``tr``, plus German and English, which people mix in."""
    mixed = [sources.catalog(sources.language(code)) for code in MIXED_WITH if code != language.locale]
    origin = sources.project.origin(sources.project.data_dir / FAQ_FILE)
    return build_faq_index(sources.faq, sources.kommunen, language, tr, mixed, topics, origin)


def _german_only(markdown: str, language: Language) -> str:
    """A page that exists in German only: marked lang="de" in every other language."""
    if language.locale == SOURCE_LOCALE:
        return markdown
    german = Translator(language, Catalog(language.locale))  # finds nothing: every block lang="de"
    return translate_markdown(markdown, german, "", {})


def _faq_links(entries: list[FaqEntry], tr: Translator, origin: str, args: tuple[str, ...]) -> str:
    return render_faq_links(entries, tr, origin, "../../faq/")


def _topic_order(name: str) -> int:
    return list(Topic).index(Topic(name))


def _insert_after_title(body: str, notice: str) -> str:
    if not notice:
        return body
    match = _TITLE.search(body)
    if not match:
        return notice + body
    return body[: match.end()] + "\n\n" + notice.rstrip("\n") + body[match.end() :]


def source_messages(sources: Sources) -> dict[tuple[str | None, str], set[str]]:
    """Every German text that reaches a page, with its origins (the catalog template)."""
    german = sources.language(SOURCE_LOCALE)
    # Every office counts as outdated here, so that notice is in the catalogs before it is needed.
    rendered = render_language(sources, german, SourceCatalog(SOURCE_LOCALE), dt.date.max)
    return dict(rendered.translator.messages)
