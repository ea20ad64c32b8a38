"""Shared fixtures: real site builds in temporary folders, read back as HTML."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kim_site.build import BuildReport, build_site

from .siteserver import SiteServer

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "i18n", "overrides", "data", "schema")


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
