"""MkDocs plugin: generate the Markdown of every language before MkDocs reads its files.

`mkdocs build` and `mkdocs serve` work with the project's mkdocs.yml as they are: the plugin
validates the data, renders every language into a generated docs folder (only files whose
text changed are rewritten, so `serve` does not loop) and points MkDocs there. The
mkdocs-static-i18n plugin (listed after this one) then builds the languages; with
``build_only_locale`` (env KIM_SITE_LOCALE) only that language is generated and built,
which is how ``kim-site build`` runs languages in parallel.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import pickle
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.nav import Navigation, Section

from .coverage import DEFAULT_MAX_AGE_DAYS, outdated_before, stale_contacts
from .faq_index import INDEX_PATH, OFFLINE_INDEX_PATH
from .languages import SOURCE_LOCALE, Language
from .load import DataError
from .pages import DOWNLOAD_TEXT, Project, RenderedLanguage, Sources, load_sources, render_language

log = logging.getLogger("mkdocs.plugins.kim_site")

SOURCES_ENV = "KIM_SITE_SOURCES"
# Set by `kim-site build --offline` for the language processes that make the offline copies.
OFFLINE_ENV = "KIM_SITE_OFFLINE"
# Size in bytes of this language's offline copy (ZIP); set, the footer offers the download.
DOWNLOAD_SIZE_ENV = "KIM_SITE_DOWNLOAD_SIZE"
DOWNLOADS_DIR = "downloads"
# Set by `kim-site build` (ISO date): offices verified before it show the outdated notice.
# Without it (plain `mkdocs build`/`serve`), today minus max_contact_age_days.
OUTDATED_BEFORE_ENV = "KIM_SITE_CONTACTS_OUTDATED_BEFORE"
# The pages linked in every footer (German interface text, page path without language folder).
FOOTER_PAGES = (
    ("Impressum", "impressum/"),
    ("Datenschutz", "datenschutz/"),
    ("Barrierefreiheit", "barrierefreiheit/"),
    ("Leichte Sprache", "leichte-sprache/"),  # German in every language (BITV 2.0)
)
GERMAN_ONLY_LINKS = {"leichte-sprache/"}
# Material starts its search worker with `new Worker(...)`, which browsers refuse for file://
# pages; this shim (iframe-worker 1.0.4, MIT, by Material's author, vendored) stands in for it.
# Material's own offline plugin loads it from unpkg.com, which would break "no other host".
WORKER_SHIM = Path(__file__).parent / "vendor" / "iframe-worker-shim.js"
WORKER_SHIM_PATH = "assets/javascripts/iframe-worker-shim.js"


def offline_mode() -> bool:
    return os.environ.get(OFFLINE_ENV, "") not in ("", "0")


def download_name(locale: str) -> str:
    """File name of a language's offline copy in site/downloads/."""
    return f"kim-site-{locale}.zip"


class KimSiteConfig(Config):
    data_dir = c.Type(str, default="data")
    """Folder with kommunen/*.yml, relative to mkdocs.yml."""
    generated_dir = c.Type(str, default=".kim-site/docs")
    """Where the generated Markdown goes, relative to mkdocs.yml (not committed)."""
    max_contact_age_days = c.Type(int, default=DEFAULT_MAX_AGE_DAYS)
    """Contact data verified longer ago is a warning (`mkdocs build --strict` fails on it)."""


class KimSitePlugin(BasePlugin[KimSiteConfig]):
    def __init__(self) -> None:
        self._project: Project | None = None
        self._fingerprint: str | None = None
        self._rendered: dict[str, RenderedLanguage] = {}
        self._languages: tuple[Language, ...] = ()
        self._site_url: str | None = None

    # --- config: generate ---------------------------------------------------------------------

    @event_priority(100)  # before mkdocs-static-i18n (-100) reads docs_dir
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        if self._project is None:
            self._project = Project(
                root=root.resolve(),
                data_dir=(root / self.config.data_dir).resolve(),
                pages_dir=Path(config.docs_dir).resolve(),
                i18n_dir=(root / "i18n").resolve(),
            )
            self._site_url = config.site_url
        only = self._build_only_locale(config)
        out_dir = (root / self.config.generated_dir / (only or "all")).resolve()
        fingerprint = _fingerprint(self._project, only)
        if fingerprint != self._fingerprint:
            self._generate(out_dir, only)
            self._fingerprint = fingerprint
        config.docs_dir = str(out_dir)

        current = self._current_locale(config)
        rendered = self._rendered[current]
        config.site_name = rendered.interface[next(iter(rendered.interface))]
        # Material shows its language menu only when extra.alternate is set; the links
        # themselves come from kim_alternates (see overrides/partials/alternate.html).
        config.extra["alternate"] = [
            {"name": lang.name, "lang": lang.bcp47, "link": "/" + lang.url_prefix} for lang in self._languages
        ]
        if only and self._site_url:
            # Each language is built alone and later moved to /<locale>/: keep canonical URLs right.
            config.site_url = self._site_url.rstrip("/") + "/" + self._languages_by_locale()[only].url_prefix
        if offline_mode():
            # Works from file:// (see on_post_page / on_post_build); the worker shim first.
            polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
            config.extra["polyfills"] = [WORKER_SHIM_PATH, *polyfills]
        return config

    def _generate(self, out_dir: Path, only: str | None) -> None:
        assert self._project is not None
        try:
            sources = _cached_sources() or load_sources(self._project)
        except DataError as error:
            raise PluginError(f"kim-site: the data has {len(error.problems)} problem(s):\n{error}") from None
        self._languages = sources.languages
        if not os.environ.get(SOURCES_ENV):  # `kim-site build` reports these once itself
            for item in stale_contacts(sources.kommunen, dt.date.today(), self.config.max_contact_age_days):
                log.warning(str(item))
        wanted = [sources.language(only)] if only else list(sources.languages)
        given = os.environ.get(OUTDATED_BEFORE_ENV)
        cutoff = (
            dt.date.fromisoformat(given)
            if given
            else outdated_before(dt.date.today(), self.config.max_contact_age_days)
        )
        self._rendered = {
            lang.locale: render_language(sources, lang, sources.catalog(lang), cutoff) for lang in wanted
        }
        files = {
            f"{locale}/{path}": text.encode("utf-8")
            for locale, rendered in self._rendered.items()
            for path, text in rendered.pages.items()
        }
        files.update(
            (f"{locale}/{path}", content)
            for locale, rendered in self._rendered.items()
            for path, content in rendered.files.items()
        )
        if offline_mode():
            # Browsers refuse fetch() from file:// pages, so the offline copy also carries the
            # FAQ index as a script (faq-helper.js loads that one when opened from a file).
            files.update(
                (f"{locale}/{OFFLINE_INDEX_PATH}", b"window.kimFaqIndex=" + rendered.files[INDEX_PATH] + b";")
                for locale, rendered in self._rendered.items()
                if INDEX_PATH in rendered.files
            )
        files.update(_assets(sources))
        _sync_tree(out_dir, files)

    @staticmethod
    def _build_only_locale(config: MkDocsConfig) -> str | None:
        i18n = config.plugins.get("i18n")
        return getattr(i18n, "config", {}).get("build_only_locale") if i18n else None

    def _current_locale(self, config: MkDocsConfig) -> str:
        i18n = config.plugins.get("i18n")
        current = getattr(i18n, "current_language", None)
        return self._build_only_locale(config) or current or SOURCE_LOCALE

    def _languages_by_locale(self) -> dict[str, Language]:
        return {lang.locale: lang for lang in self._languages}

    # --- serve: watch the real inputs -------------------------------------------------------------

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        assert self._project is not None
        for path in (self._project.data_dir, self._project.i18n_dir, self._project.pages_dir):
            server.watch(str(path))
        return server

    # --- navigation and page context ---------------------------------------------------------------

    @event_priority(-110)  # after mkdocs-static-i18n rebuilt the navigation
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Any) -> Navigation:
        interface = self._rendered[self._current_locale(config)].interface
        for item in nav.items:
            if isinstance(item, Section) and item.title in interface:
                item.title = interface[item.title]
        return nav

    @event_priority(-110)
    def on_page_context(  # type: ignore[override]  # mkdocs passes keywords; names match its call
        self, context: dict[str, Any], page: Any, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        current = self._languages_by_locale()[self._current_locale(config)]
        path = page.url
        if current.url_prefix and path.startswith(current.url_prefix):
            path = path[len(current.url_prefix) :]
        here = (
            posixpath.dirname(current.url_prefix + path)
            if not path.endswith("/") and path
            else current.url_prefix + path
        )
        offline = offline_mode()
        interface = self._rendered[current.locale].interface
        # An offline copy holds one language: no menu leading to pages it does not have.
        context["kim_alternates"] = (
            []
            if offline
            else [
                {
                    "name": lang.name,
                    "lang": lang.bcp47,
                    "dir": lang.dir,
                    "current": lang.locale == current.locale,
                    "href": _relative(lang.url_prefix + path, here),
                }
                for lang in self._languages
            ]
        )
        context["kim_language"] = current
        context["kim_interface"] = interface
        context["kim_root"] = _relative(current.url_prefix, here)
        context["kim_footer"] = [
            {
                "text": interface[text],
                "href": _relative(current.url_prefix + target, here),
                "hreflang": SOURCE_LOCALE if target in GERMAN_ONLY_LINKS else None,
            }
            for text, target in FOOTER_PAGES
        ]
        size = os.environ.get(DOWNLOAD_SIZE_ENV)
        context["kim_download"] = (
            {
                "href": _relative(f"{DOWNLOADS_DIR}/{download_name(current.locale)}", here),
                "text": interface[DOWNLOAD_TEXT].replace("{size}", _megabytes(int(size), current.cldr)),
            }
            if size and not offline
            else None
        )
        return context

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        # Material puts dir only on <body>; put it on <html> too, next to lang.
        current = self._languages_by_locale()[self._current_locale(config)]
        output = output.replace('<html lang="', f'<html dir="{current.dir}" lang="', 1)
        if offline_mode():
            output = _link_index_files(output)
        return output

    @event_priority(-100)  # after the search plugin wrote its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not offline_mode():
            return
        site_dir = Path(config.site_dir)
        shim = site_dir / WORKER_SHIM_PATH
        shim.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(WORKER_SHIM, shim)
        # No use without a web server (and the 404 page links absolute paths of the site).
        for name in ("sitemap.xml", "sitemap.xml.gz", "404.html"):
            (site_dir / name).unlink(missing_ok=True)
        index_file = site_dir / "search" / "search_index.json"
        if index_file.is_file():
            index = json.loads(index_file.read_text(encoding="utf-8"))
            for doc in index.get("docs", []):
                doc["location"] = _index_file_url(doc["location"] or "./")
            text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
            index_file.write_text(text, encoding="utf-8")
            # Material's search reads this script instead of fetching the JSON under file://.
            (site_dir / "search" / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")
            _prune_lunr(site_dir / "assets" / "javascripts" / "lunr", index.get("config", {}).get("lang", []))


def _cached_sources() -> Sources | None:
    """Sources validated once by `kim-site build` for all its language processes.

    Parsing 54 YAML files with line tracking costs about as much as building a language,
    so the orchestrator hands its parsed copy over (a file it wrote in its own staging
    folder, named by KIM_SITE_SOURCES).
    """
    path = os.environ.get(SOURCES_ENV)
    if not path:
        return None
    with open(path, "rb") as stream:
        sources = pickle.load(stream)
    assert isinstance(sources, Sources)
    return sources


_LINK_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def _index_file_url(url: str) -> str:
    """'kommunen/x/#a' -> 'kommunen/x/index.html#a' (file:// shows no folder index); others unchanged."""
    if not url or url.startswith(("#", "/")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if not path:
        return url
    if path.rsplit("/", 1)[-1] in (".", ".."):
        path += "/"
    if path.endswith("/"):
        path += "index.html"
    return path + rest


def _link_index_files(output: str) -> str:
    """Point every relative link to a folder at the folder's index.html."""
    return _LINK_ATTRIBUTE.sub(lambda m: m[1] + _index_file_url(m[2]) + m[3], output)


def _prune_lunr(folder: Path, search_languages: list[str]) -> None:
    """Drop the search-language files this copy's search never loads (about 1 MB of 1.2 MB)."""
    keep = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"}
    keep |= {f"lunr.{lang}.min.js" for lang in search_languages}
    keep |= {"tinyseg.js"} if "ja" in search_languages else set()
    keep |= {"wordcut.js"} if "th" in search_languages else set()
    for path in folder.rglob("*.js"):
        if path.name not in keep:
            path.unlink()


def _megabytes(size: int, cldr: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(max(size, 100_000) / 1_000_000, "#,##0.0", locale=cldr) + "\u00a0MB"


def _relative(target: str, here: str) -> str:
    """Relative link from the folder ``here`` to the site path ``target`` (both without /)."""
    link = posixpath.relpath(target.rstrip("/") or ".", here.rstrip("/") or ".")
    if target.endswith("/") or target == "":
        link = link.rstrip("/") + "/" if link != "." else "./"
    return link


def _assets(sources: Sources) -> dict[str, bytes]:
    """Non-Markdown files of the pages folder (CSS, JS, images), shared by all languages."""
    pages_dir = sources.project.pages_dir
    return {
        path.relative_to(pages_dir).as_posix(): path.read_bytes()
        for path in sorted(pages_dir.rglob("*"))
        if path.is_file() and path.suffix != ".md"
    }


def _fingerprint(project: Project, only: str | None) -> str:
    digest = hashlib.sha256(repr(only).encode())
    for folder in (project.data_dir, project.pages_dir, project.i18n_dir):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()


def _sync_tree(root: Path, files: dict[str, bytes]) -> None:
    """Make ``root`` hold exactly ``files``, touching only what changed."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        target = root / relative
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    wanted = {root / relative for relative in files}
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            shutil.rmtree(path)
