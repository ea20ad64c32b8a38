"""Weight budgets over the built site (gzip level 6, what web servers send; in bytes).

Readers are often on old phones with slow, metered connections. Measured on the session
build (2026-11, see BENCHMARKS.md) and budgeted with room for content to grow:

| measure (gzipped)                    | measured | budget |
|--------------------------------------|---------:|-------:|
| median HTML page                     |   6.8 KB |  10 KB |
| largest HTML page                    |   8.8 KB |  15 KB |
| CSS loaded by a page                 |  26.7 KB |  32 KB |
| JavaScript loaded by a page          |  39.0 KB |  45 KB |
| search index of a language           |  83.6 KB | 100 KB |
| FAQ index of a language              |  45.9 KB |  60 KB |
| offline copy (ZIP) of a language     |   834 KB | 1000 KB |

A Kommune page's first load with everything the browser fetches (under 250 KB on slow 3G)
is measured in a real browser: tests/test_browser.py (131 to 157 KB).
"""

from __future__ import annotations

import fnmatch
import gzip
import re
import statistics
from functools import cache
from pathlib import Path

from .conftest import PAGES_PER_LANGUAGE

KB = 1000
MEDIAN_HTML_BUDGET = 10 * KB
LARGEST_HTML_BUDGET = 15 * KB
CSS_PER_PAGE_BUDGET = 32 * KB
JS_PER_PAGE_BUDGET = 45 * KB
# Grew with 11 topic pages and 12 FAQ pages per language (62 KB for ar, 2026-11-21), then with
# about 100 sourced offices and their notes (83.6 KB for bg), then with the offices of round 4
# (2026-11-22: 102.9 KB for ru; 91.6 KB once the notices repeated on many pages were left out
# of the index, see render.NOT_SEARCHED). Material loads it with every first page view: the
# first-load budget below still has to hold.
SEARCH_INDEX_BUDGET = 100 * KB
FAQ_INDEX_BUDGET = 60 * KB  # issue 4: the widget's index per language, loaded when the helper opens
OFFLINE_ZIP_BUDGET = 1000 * KB  # 800 KB for ar with topic and FAQ pages (2026-11-21)
# Every JSON file the site serves must match one of these (file name patterns): a new kind of
# index (the FAQ helper's, for example) gets its budget here, or test_every_json_file_has_a_budget
# fails. The FAQ index is budgeted already and is checked as soon as a build writes one.
JSON_BUDGETS = {
    "search_index.json": SEARCH_INDEX_BUDGET,
    "faq-index*.json": FAQ_INDEX_BUDGET,
    "faq_index*.json": FAQ_INDEX_BUDGET,
}


@cache
def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def content_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_html_pages(site: Path) -> None:
    sizes = {page: gzipped(page) for page in content_pages(site)}
    assert len(sizes) == 20 * PAGES_PER_LANGUAGE
    median = statistics.median(sizes.values())
    largest = max(sizes, key=sizes.__getitem__)
    print(f"HTML gzipped: median {median / KB:.1f} KB, largest {sizes[largest] / KB:.1f} KB ({largest})")
    assert median <= MEDIAN_HTML_BUDGET
    assert sizes[largest] <= LARGEST_HTML_BUDGET, largest


def _loaded(page: Path, pattern: str) -> int:
    refs = re.findall(pattern, page.read_text(encoding="utf-8"))
    assert refs, page
    return sum(gzipped((page.parent / ref).resolve()) for ref in refs)


def test_css_and_javascript_per_page(site: Path) -> None:
    for page in content_pages(site):
        css = _loaded(page, r'<link rel="stylesheet" href="([^"]+)"')
        js = _loaded(page, r'<script src="([^"]+)"')
        assert css <= CSS_PER_PAGE_BUDGET, (page, css)
        assert js <= JS_PER_PAGE_BUDGET, (page, js)


def budget_for(path: Path) -> int | None:
    return next((b for pattern, b in JSON_BUDGETS.items() if fnmatch.fnmatch(path.name, pattern)), None)


def test_every_json_file_has_a_budget(site: Path) -> None:
    """Search index per language (and the FAQ index per language once it exists)."""
    files = sorted(site.rglob("*.json"))
    search_indexes = [f for f in files if f.name == "search_index.json"]
    assert len(search_indexes) == 20
    for path in files:
        budget = budget_for(path)
        assert budget is not None, f"{path.relative_to(site)}: add its budget to JSON_BUDGETS"
        assert gzipped(path) <= budget, (path, gzipped(path))


def test_budget_patterns_cover_the_faq_index() -> None:
    for name in ("faq-index.json", "faq-index-ar.json", "faq_index_fa-AF.json"):
        assert budget_for(Path(name)) == FAQ_INDEX_BUDGET


def test_offline_copies(site: Path) -> None:
    zips = sorted((site / "downloads").glob("kim-site-*.zip"))
    assert len(zips) == 20
    for archive in zips:
        assert archive.stat().st_size <= OFFLINE_ZIP_BUDGET, archive
