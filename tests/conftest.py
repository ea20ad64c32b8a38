"""Shared fixtures: real site builds in temporary folders, read back as HTML."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from kim_site.build import BuildReport, build_site

from .siteserver import SiteServer

CHROMIUM = Path("/usr/bin/chromium")  # Debian's, launched by path: Playwright's download does not work here
# Without these flags Chromium keeps trying to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "i18n", "overrides", "data", "schema")
# Pages of one language without its 404 page: start, 54 Kommunen and their overview, 11 topics,
# 12 FAQ pages (one per topic and the overview), Impressum, Datenschutz, Barrierefreiheit,
# Leichte Sprache.
PAGES_PER_LANGUAGE = 83


@pytest.fixture(scope="session")
def site_server() -> Iterator[SiteServer]:
    """The HTTP server for the built site (its address is the site_url of the build)."""
    server = SiteServer(ROOT / "deploy" / "_headers")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def site_build(site_server: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The shipped data built once for the whole session, as it is deployed:
    `kim-site build --offline --site-url http://127.0.0.1:<port>/sub/` (20 languages, offline
    copies, a sub-path), served by ``site_server`` with the headers of deploy/_headers."""
    site_dir = tmp_path_factory.mktemp("built") / "site"
    report = build_site(ROOT, site_dir, site_url=site_server.url, offline=True)
    site_server.start(site_dir)
    return report


@pytest.fixture(scope="session")
def site(site_build: BuildReport) -> Path:
    """The built site folder (see ``site_build``)."""
    return site_build.site_dir


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright (one for the whole session: Playwright's sync
    API runs one instance at a time)."""
    assert CHROMIUM.is_file(), "install Chromium: apt-get install -y chromium (see .ci/setup-test-tools)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def copy_project(target: Path) -> Path:
    """A private copy of the project inputs (for tests that change them)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
