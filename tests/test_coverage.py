"""Contact coverage (data/COVERAGE.md) and warnings about stale contact data."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kim_site.build import BuildError, build_site
from kim_site.cli import main
from kim_site.coverage import coverage_markdown, stale_contacts
from kim_site.load import load_kommunen

from .conftest import ROOT, copy_project, read


def test_coverage_file_is_current() -> None:
    text = (ROOT / "data" / "COVERAGE.md").read_text(encoding="utf-8")
    generated = re.search(r"on (\d{4}-\d{2}-\d{2}) from", text)
    assert generated, "COVERAGE.md names the day it was generated"
    kommunen = load_kommunen(ROOT / "data")
    assert text == coverage_markdown(kommunen, dt.date.fromisoformat(generated[1]), 365), (
        "run: kim-site coverage --output data/COVERAGE.md"
    )


def test_coverage_says_what_is_missing() -> None:
    kommunen = load_kommunen(ROOT / "data")
    text = coverage_markdown(kommunen, dt.date(2026, 11, 21), 365)
    assert text.count("\n| ") == len(kommunen) + 1  # header + one row per KIM area
    without = [k.name for k in kommunen if not any(o.has_contacts for o in k.offices)]
    section = text.split("## Without any sourced contact data", 1)[1]
    assert all(name in section for name in without)
    heading = "## Without sourced contacts for the KI or the KIM case management"
    gaps = text.split(heading, 1)[1].split("\n## ", 1)[0]
    gap_lines = [line for line in gaps.splitlines() if line.startswith("- ")]
    summary = re.search(r"both the KI and the KIM case management: (\d+) of", text)
    assert summary and len(gap_lines) == len(kommunen) - int(summary[1])
    for kommune in kommunen:
        has_ki = any(o.kind.value == "ki" and o.has_contacts for o in kommune.offices)
        listed = next((line for line in gap_lines if line.startswith(f"- {kommune.name}:")), "")
        assert ("ki," in listed or listed.endswith(": ki")) == (not has_ki), kommune.name
    unna_row = next(line for line in text.splitlines() if line.startswith("| Kreis Unna |"))
    assert unna_row.count("contacts (") + unna_row.count("name only") + unna_row.count("–") == 6


def test_stale_contacts_are_found_by_age() -> None:
    kommunen = load_kommunen(ROOT / "data")
    dated = [o.last_verified for k in kommunen for o in k.offices if o.has_contacts and o.last_verified]
    newest = max(dated)
    assert stale_contacts(kommunen, newest, 365) == [
        s for s in stale_contacts(kommunen, newest, 365) if s.age_days > 365
    ]
    everything = stale_contacts(kommunen, newest + dt.timedelta(days=400), 365)
    assert len(everything) == len(dated)
    assert "last verified on" in str(everything[0]) and str(everything[0]).startswith("data/kommunen/")


def test_strict_build_fails_on_stale_contacts_and_keeps_the_old_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text("previous site", encoding="utf-8")
    later = dt.date(2031, 1, 1)
    with pytest.raises(BuildError, match="last verified on"):
        build_site(project, site_dir, locales=["de"], strict=True, today=later)
    assert (site_dir / "index.html").read_text(encoding="utf-8") == "previous site"
    report = build_site(project, site_dir, locales=["de"], today=later)
    assert report.warnings and all("last verified on" in w for w in report.warnings)


def test_pages_tell_newcomers_which_contacts_are_outdated(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    kommunen = load_kommunen(project / "data")
    dated = sorted(o.last_verified for k in kommunen for o in k.offices if o.has_contacts and o.last_verified)
    today = dated[len(dated) // 2] + dt.timedelta(days=100)  # some offices outdated, others not
    stale = {(s.kommune, s.office) for s in stale_contacts(kommunen, today, 100)}
    assert 0 < len(stale) < len(dated)
    site = tmp_path / "site"
    build_site(project, site, locales=["de", "ar"], today=today, max_contact_age_days=100)
    seen = 0
    for kommune in kommunen:
        for root in (site, site / "ar"):
            page = read(root / "kommunen" / kommune.slug / "index.html")
            # Each office: its <h3> name, then its box, up to the next office's heading.
            for box in page.split("<h3 ")[1:]:
                name = html.unescape(re.search(r">(.*?)</h3>", box)[1])  # type: ignore[index]
                notice = re.search(r'<p class="kim-office__outdated"[^>]*>(.*?)</p>', box)
                assert (notice is not None) == ((kommune.slug, name) in stale), (root, kommune.slug, name)
                if notice is not None:
                    seen += 1
                    assert ("lange nicht geprüft" in notice[1]) == (root == site), notice[1]
    assert seen == 2 * len(stale)


def test_coverage_command_writes_the_report(tmp_path: Path) -> None:
    target = tmp_path / "COVERAGE.md"
    result = CliRunner().invoke(
        main, ["coverage", "--data", str(ROOT / "data"), "--date", "2026-11-21", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("# Contact data coverage")
