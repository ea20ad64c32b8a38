"""Shared fixtures: real site builds in temporary folders, read back as HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kim_site.build import build_site

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "i18n", "overrides", "data", "schema")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data built in all 20 languages with `kim-site build`."""
    site_dir = tmp_path_factory.mktemp("built") / "site"
    build_site(ROOT, site_dir)
    return site_dir


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
