"""All pages of one language as Markdown: hand-written pages translated, data pages rendered.

``load_sources`` gathers and validates everything first (data, languages, German pages);
``render_language`` is pure: same inputs, same Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .catalog import Catalog, SourceCatalog
from .languages import SOURCE_LOCALE, Language, load_languages
from .load import load_kommunen
from .model import Kommune
from .render import (
    Formats,
    kommune_path,
    page_notice,
    render_kommune,
    render_kommune_chooser,
    render_overview,
    render_topics,
)
from .segments import translate_markdown
from .translator import Translator

TOPICS_DIR = "themen"
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

    def language(self, locale: str) -> Language:
        for language in self.languages:
            if language.locale == locale:
                return language
        known = ", ".join(lang.locale for lang in self.languages)
        raise KeyError(f"unknown language {locale!r}; known: {known}")

    def catalog(self, language: Language) -> Catalog:
        if language.locale == SOURCE_LOCALE:
            return SourceCatalog(SOURCE_LOCALE)
        return Catalog.load(self.project.catalog_path(language.locale), language.locale)


def load_sources(project: Project) -> Sources:
    """Everything the site is made of, validated (raises DataError listing all problems)."""
    languages = load_languages(project.i18n_dir / "languages.yml")
    kommunen = tuple(load_kommunen(project.data_dir))
    pages = {
        path.relative_to(project.pages_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(project.pages_dir.rglob("*.md"))
    }
    return Sources(project, languages, kommunen, pages)


# Interface texts outside the pages: the site name, section titles in the navigation and
# the footer links. The plugin and the templates use them in the reader's language.
SITE_NAME = "KIM NRW: Hilfe für Neuzugewanderte"
# Footer link to this language's offline copy ({size}: e.g. "1,2 MB").
DOWNLOAD_TEXT = "Diese Seiten herunterladen und ohne Internet lesen (ZIP, {size})"
INTERFACE_TEXTS = (
    SITE_NAME,
    "Kommunen",
    "Themen",
    "Impressum",
    "Datenschutz",
    "Barrierefreiheit",
    DOWNLOAD_TEXT,
)


@dataclass(frozen=True)
class RenderedLanguage:
    language: Language
    pages: dict[str, str]  # Markdown by path relative to the language root
    interface: dict[str, str]  # German interface text -> text in this language
    translator: Translator


def render_language(sources: Sources, language: Language, catalog: Catalog) -> RenderedLanguage:
    """Markdown of every page in ``language`` and its interface texts."""
    tr = Translator(language, catalog)
    interface = {text: tr.text(text) for text in INTERFACE_TEXTS}
    fmt = Formats(language.cldr)
    project = sources.project
    out: dict[str, str] = {}

    def finish(path: str, body: str) -> None:
        out[path] = _insert_after_title(body, page_notice(tr.page_statuses, tr))

    kommune_origins = {
        k.slug: project.origin(project.data_dir / "kommunen" / f"{k.slug}.yml") for k in sources.kommunen
    }
    for kommune in sources.kommunen:
        tr.start_page()
        finish(kommune_path(kommune), render_kommune(kommune, tr, fmt, kommune_origins[kommune.slug]))
    tr.start_page()
    finish("kommunen/index.md", render_overview(sources.kommunen, tr))

    # Topic pages first: the start page lists them with their translated titles.
    topics: list[tuple[str, str]] = []
    ordered = sorted(sources.pages, key=lambda p: (not p.startswith(f"{TOPICS_DIR}/"), p))
    for path in ordered:
        tr.start_page()
        origin = project.origin(project.pages_dir / path)
        placeholders = {
            "kommune-chooser": lambda: render_kommune_chooser(sources.kommunen, tr),
            "topics": lambda: render_topics(topics, tr),
        }
        body = translate_markdown(sources.pages[path], tr, origin, placeholders)
        if path.startswith(f"{TOPICS_DIR}/"):
            title = _TITLE.search(body)
            link = path.removesuffix(".md").removesuffix("index") + ("" if path.endswith("index.md") else "/")
            topics.append((link, title[1] if title else path))
        finish(path, body)
    return RenderedLanguage(language, out, interface, tr)


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
    rendered = render_language(sources, german, SourceCatalog(SOURCE_LOCALE))
    return dict(rendered.translator.messages)
