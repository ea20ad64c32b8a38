"""The one orchestrator: validate everything, build languages in parallel, swap atomically.

mkdocs-static-i18n builds all languages in one process, one after the other, and its
cost grows steeply with 20 languages. Here every language is a separate `mkdocs build`
with ``build_only_locale`` (env KIM_SITE_LOCALE), run ``jobs`` at a time; the results are
assembled into one folder (German at the root, the others under /<locale>/) and only then
replace the previous site. On any error the previous site stays untouched.

The assembly also writes the one site-level ``sitemap.xml`` (every page with its 20
language versions and x-default), and with ``offline=True`` each language is built a second
time as a copy that works from ``file://`` and zipped into ``downloads/kim-site-<locale>.zip``,
which the footer of that language then offers.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .coverage import DEFAULT_MAX_AGE_DAYS, outdated_before, stale_contacts
from .languages import Language
from .pages import Project, Sources, load_sources
from .plugin import DOWNLOAD_SIZE_ENV, DOWNLOADS_DIR, OFFLINE_ENV, OUTDATED_BEFORE_ENV, download_name

# Used for canonical URLs, hreflang alternates and the sitemap when no --site-url is given
# (the address `kim-site serve` uses).
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
# Zip entries get this fixed time, so the same site gives byte-identical downloads.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class BuildError(Exception):
    """A language failed to build; the message holds MkDocs' output."""


@dataclass
class BuildReport:
    site_dir: Path
    languages: list[str]
    seconds: float
    seconds_per_language: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    downloads: dict[str, int] = field(default_factory=dict)  # locale -> ZIP size in bytes


def select_languages(sources: Sources, locales: Sequence[str] | None) -> list[Language]:
    if not locales:
        return list(sources.languages)
    return [sources.language(locale) for locale in locales]  # KeyError names the known ones


def build_site(
    root: Path,
    site_dir: Path,
    *,
    data_dir: Path | None = None,
    locales: Sequence[str] | None = None,
    jobs: int | None = None,
    strict: bool = False,
    site_url: str | None = None,
    max_contact_age_days: int = DEFAULT_MAX_AGE_DAYS,
    today: dt.date | None = None,
    offline: bool = False,
) -> BuildReport:
    """Build the site into ``site_dir`` (raises DataError or BuildError; site_dir unchanged then).

    Contact data older than ``max_contact_age_days`` is a warning; with ``strict`` a failure.
    ``offline``: also build the per-language offline copies (site_dir/downloads/*.zip).
    """
    started = time.perf_counter()
    project = Project.at(root, data_dir)
    sources = load_sources(project)  # every data problem is reported before anything is built
    today = today or dt.date.today()
    warnings = [str(s) for s in stale_contacts(sources.kommunen, today, max_contact_age_days)]
    # The pages tell newcomers which contacts are outdated, by the same rule as the warnings.
    cutoff = {OUTDATED_BEFORE_ENV: outdated_before(today, max_contact_age_days).isoformat()}
    if strict and warnings:
        raise BuildError(f"{len(warnings)} warning(s) in strict mode:\n" + "\n".join(warnings))
    languages = select_languages(sources, locales)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kim-site-build-", dir=site_dir.parent))
    try:
        report = BuildReport(site_dir, [lang.locale for lang in languages], 0.0, warnings=warnings)
        sources_file = staging / "sources.pickle"
        sources_file.write_bytes(pickle.dumps(sources))
        workers = max(1, jobs or os.cpu_count() or 1)
        site_url = site_url or DEFAULT_SITE_URL
        downloads = staging / "downloads"
        with ThreadPoolExecutor(max_workers=workers) as pool:
            if offline:
                # First the offline copies: the online pages show the size of their download.
                offline_jobs = {
                    lang.locale: pool.submit(
                        _build_offline_copy, project, lang, staging, strict, site_url, downloads, cutoff
                    )
                    for lang in languages
                }
                report.downloads = {locale: job.result() for locale, job in offline_jobs.items()}
            # German first: it is the biggest share of shared work and the site root.
            futures = {
                lang.locale: pool.submit(
                    _build_language,
                    project,
                    lang,
                    staging / "languages" / lang.locale,
                    strict,
                    site_url,
                    {**cutoff, DOWNLOAD_SIZE_ENV: str(report.downloads[lang.locale])} if offline else cutoff,
                )
                for lang in languages
            }
            for locale, future in futures.items():
                report.seconds_per_language[locale] = future.result()
        assembled = staging / "site"
        assembled.mkdir()
        for lang in languages:
            built = staging / "languages" / lang.locale
            target = assembled / lang.url_prefix if lang.url_prefix else assembled
            if lang.url_prefix:
                shutil.move(str(built), str(target))
            else:
                for child in built.iterdir():
                    shutil.move(str(child), str(assembled / child.name))
        if offline:
            shutil.move(str(downloads), str(assembled / DOWNLOADS_DIR))
        write_sitemap(assembled, languages, site_url)
        report.pages = sum(1 for _ in assembled.rglob("*.html"))
        _swap(assembled, site_dir)
        report.seconds = time.perf_counter() - started
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _build_offline_copy(
    project: Project,
    language: Language,
    staging: Path,
    strict: bool,
    site_url: str,
    downloads: Path,
    extra_env: dict[str, str],
) -> int:
    """Build ``language`` for file:// and zip it; returns the ZIP's size in bytes."""
    out_dir = staging / "offline" / language.locale
    _build_language(project, language, out_dir, strict, site_url, {**extra_env, OFFLINE_ENV: "1"})
    downloads.mkdir(parents=True, exist_ok=True)
    target = downloads / download_name(language.locale)
    top = target.stem  # the folder the reader gets when unpacking
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(out_dir.rglob("*")):
            if path.is_file() and path.suffix != ".map":  # source maps: for developers only
                info = zipfile.ZipInfo(f"{top}/{path.relative_to(out_dir).as_posix()}", _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes(), compresslevel=9)
    return target.stat().st_size


def write_sitemap(site: Path, languages: Sequence[Language], site_url: str) -> None:
    """One sitemap.xml for the whole site: each page in each language, with all its alternates.

    The language processes each wrote a sitemap of their own pages only; those are replaced.
    """
    for language in languages:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site / language.url_prefix / name).unlink(missing_ok=True)
    base = site_url.rstrip("/") + "/"
    paths: set[str] = set()
    for language in languages:
        root = site / language.url_prefix
        for page in root.rglob("index.html"):
            path = page.parent.relative_to(root).as_posix()
            paths.add("" if path == "." else path + "/")
    default = languages[0]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for path in sorted(paths):
        if path.split("/")[0] + "/" in {lang.url_prefix for lang in languages}:
            continue  # a language folder itself, seen from the German root
        present = [lang for lang in languages if (site / lang.url_prefix / path / "index.html").is_file()]
        alternates = [(lang.bcp47, base + lang.url_prefix + path) for lang in present]
        if default in present:
            alternates.append(("x-default", base + path))
        links = "".join(
            f'\n    <xhtml:link rel="alternate" hreflang={quoteattr(tag)} href={quoteattr(url)}/>'
            for tag, url in alternates
        )
        for lang in present:
            loc = _xml_text(base + lang.url_prefix + path)
            lines.append(f"  <url>\n    <loc>{loc}</loc>{links}\n  </url>")
    lines.append("</urlset>")
    (site / "sitemap.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _build_language(
    project: Project,
    language: Language,
    out_dir: Path,
    strict: bool,
    site_url: str,
    extra_env: dict[str, str],
) -> float:
    started = time.perf_counter()
    staging = out_dir.parent.parent
    env = dict(os.environ)
    env.pop(OFFLINE_ENV, None)
    env.pop(DOWNLOAD_SIZE_ENV, None)
    kind = "offline" if OFFLINE_ENV in extra_env else "online"
    env.update(
        KIM_SITE_LOCALE=language.locale,
        KIM_SITE_DATA=str(project.data_dir),
        # Each process generates its Markdown into its own folder.
        KIM_SITE_GENERATED=str(staging / "generated" / kind / language.locale),
        KIM_SITE_SOURCES=str(staging / "sources.pickle"),
        KIM_SITE_URL=site_url,
        NO_MKDOCS_2_WARNING="1",
        **extra_env,
    )
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "--config-file",
        str(project.root / "mkdocs.yml"),
        "--site-dir",
        str(out_dir),
    ]
    if strict:
        command.append("--strict")
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=project.root)
    if result.returncode != 0:
        output = (result.stderr + result.stdout).strip()
        what = "the offline copy of language" if OFFLINE_ENV in extra_env else "language"
        raise BuildError(f"building {what} {language.locale!r} failed:\n{output}")
    return time.perf_counter() - started


def _swap(new: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``new`` with two renames (the old one is removed after)."""
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
        site_dir.rename(old)
    try:
        new.rename(site_dir)
    except BaseException:
        if old is not None:
            old.rename(site_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
