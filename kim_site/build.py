"""The one orchestrator: validate everything, build languages in parallel, swap atomically.

mkdocs-static-i18n builds all languages in one process, one after the other, and its
cost grows steeply with 20 languages. Here every language is a separate `mkdocs build`
with ``build_only_locale`` (env KIM_SITE_LOCALE), run ``jobs`` at a time; the results are
assembled into one folder (German at the root, the others under /<locale>/) and only then
replace the previous site. On any error the previous site stays untouched.
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
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .coverage import DEFAULT_MAX_AGE_DAYS, stale_contacts
from .languages import Language
from .pages import Project, Sources, load_sources


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
) -> BuildReport:
    """Build the site into ``site_dir`` (raises DataError or BuildError; site_dir unchanged then).

    Contact data older than ``max_contact_age_days`` is a warning; with ``strict`` a failure.
    """
    started = time.perf_counter()
    project = Project.at(root, data_dir)
    sources = load_sources(project)  # every data problem is reported before anything is built
    warnings = [
        str(s) for s in stale_contacts(sources.kommunen, today or dt.date.today(), max_contact_age_days)
    ]
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
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # German first: it is the biggest share of shared work and the site root.
            futures = {
                lang.locale: pool.submit(_build_language, project, lang, staging, strict, site_url)
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
        report.pages = sum(1 for _ in assembled.rglob("*.html"))
        _swap(assembled, site_dir)
        report.seconds = time.perf_counter() - started
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _build_language(
    project: Project, language: Language, staging: Path, strict: bool, site_url: str | None
) -> float:
    started = time.perf_counter()
    out_dir = staging / "languages" / language.locale
    env = dict(os.environ)
    env.update(
        KIM_SITE_LOCALE=language.locale,
        KIM_SITE_DATA=str(project.data_dir),
        # Each process generates its Markdown into its own folder.
        KIM_SITE_GENERATED=str(staging / "generated" / language.locale),
        KIM_SITE_SOURCES=str(staging / "sources.pickle"),
        NO_MKDOCS_2_WARNING="1",
    )
    if site_url:
        env["KIM_SITE_URL"] = site_url
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
        raise BuildError(f"building language {language.locale!r} failed:\n{output}")
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
