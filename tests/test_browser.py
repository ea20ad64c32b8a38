"""The built site in a real browser: accessibility (axe-core), the Kommune chooser, search,
phone-size screenshots, the first-load weight, and the Content-Security-Policy of deploy/.

The site is served by tests/siteserver.py under /sub/ with the headers of deploy/_headers,
so every page load here is also a CSP test.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from .browser import axe_violations, describe, watch
from .conftest import PAGES_PER_LANGUAGE, ROOT
from .linkcheck import check_site
from .siteserver import SiteServer

# Languages checked with axe: German, English, the right-to-left scripts, Ge'ez, Cyrillic.
A11Y_LANGUAGES = ["de", "en", "ar", "fa-AF", "ps", "ti", "uk"]


def open_helper_and_ask(page: Page) -> None:
    """The FAQ helper dialog open, with a question answered (in German and English, which
    every language's helper understands)."""
    page.locator("button.kim-helper-button").click()
    page.wait_for_selector("dialog.kim-helper[open]")
    page.fill("#kim-helper-q", "Kindergeld")
    page.keyboard.press("Enter")
    page.wait_for_selector(".kim-helper__answers li")


def open_language_menu(page: Page) -> None:
    page.hover(".md-header__option .md-select")


# One line per page (or page state) checked with axe in every language of A11Y_LANGUAGES:
# (name, path below the language folder, optional action run before axe).
# The FAQ page and its helper dialog are added here when they exist, e.g.
#   ("faq", "faq/", None), ("faq-helper", "faq/", ask_a_question),
A11Y_PAGES: list[tuple[str, str, Callable[[Page], None] | None]] = [
    ("start", "", None),
    ("kommunen", "kommunen/", None),
    ("kommune", "kommunen/kreis-unna/", None),
    ("topic", "themen/kim/", None),
    ("language-menu", "kommunen/kreis-unna/", open_language_menu),
    ("faq", "faq/aufenthalt/", None),
    ("faq-helper", "themen/kim/", open_helper_and_ask),
]
SCREENSHOT_LANGUAGES = ["de", "ar", "ti"]
SCREENSHOT_PAGES = {"start": "", "kommune": "kommunen/kreis-unna/"}
SCREENSHOTS = ROOT / "screenshots"
# A Kommune page's first load, every request included, gzipped (slow 3G: ~50 KB/s).
FIRST_LOAD_BUDGET = 250_000


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def language_url(server: SiteServer, locale: str, path: str) -> str:
    return server.url + ("" if locale == "de" else f"{locale}/") + path


@pytest.mark.parametrize("locale", A11Y_LANGUAGES)
@pytest.mark.parametrize(("name", "path", "action"), A11Y_PAGES, ids=[p[0] for p in A11Y_PAGES])
def test_no_serious_accessibility_violation(
    site: Path,
    site_server: SiteServer,
    page: Page,
    locale: str,
    name: str,
    path: str,
    action: Callable[[Page], None] | None,
) -> None:
    log = watch(page)
    page.goto(language_url(site_server, locale, path), wait_until="load")
    if action:
        action(page)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert log.csp_violations(page) == []
    assert not [m for m in log.console if "page error" in m], log.console


def visible_kommunen(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".kim-chooser .kim-kommunen li:not([hidden]) a", "links => links.map(a => a.textContent)"
    )


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_chooser_filters_kommunen_by_gemeinde(
    site: Path, site_server: SiteServer, page: Page, locale: str
) -> None:
    page.goto(language_url(site_server, locale, ""))
    field = page.locator("#kim-chooser-input")
    assert field.is_visible() and len(visible_kommunen(page)) == 54
    field.fill("Selm")
    assert visible_kommunen(page) == ["Kreis Unna"]
    field.fill("luenen")  # umlauts typed without them
    assert visible_kommunen(page) == ["Kreis Unna"]
    field.fill("Köln")
    assert visible_kommunen(page) == ["Köln"]
    field.fill("")
    assert len(visible_kommunen(page)) == 54


def search(page: Page, query: str) -> list[str]:
    page.click("input.md-search__input")  # the search field in the header (wide screen)
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")


def test_search_works_under_the_content_security_policy(
    site: Path, site_server: SiteServer, page: Page
) -> None:
    log = watch(page)
    page.goto(language_url(site_server, "ar", "themen/kim/"))
    results = search(page, "Unna")
    assert any("/sub/ar/kommunen/kreis-unna/" in url for url in results), results
    assert log.csp_violations(page) == []


def test_the_csp_is_enforced(site: Path, site_server: SiteServer, page: Page) -> None:
    """The policy is really in force: a script the page adds itself is blocked and reported."""
    log = watch(page)
    page.goto(language_url(site_server, "de", ""))
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__x") is None
    assert any("script-src" in v for v in log.csp_violations(page))


@pytest.mark.parametrize("locale", SCREENSHOT_LANGUAGES)
def test_phone_screenshots(site: Path, site_server: SiteServer, browser: Browser, locale: str) -> None:
    """360 x 800 (a small Android phone): no sideways scrolling (WCAG 1.4.10), screenshots kept
    in screenshots/ and shown in the README."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, path in SCREENSHOT_PAGES.items():
        page.goto(language_url(site_server, locale, path), wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, (locale, name)
        target = SCREENSHOTS / f"{locale}-{name}.png"
        png = page.screenshot()
        if not target.is_file() or target.read_bytes() != png:
            target.write_bytes(png)
        assert len(png) > 10_000  # not an empty page
    context.close()


@pytest.mark.parametrize("locale", ["de", "ar", "ti"])
def test_first_load_of_a_kommune_page_fits_the_budget(
    site: Path, site_server: SiteServer, browser: Browser, locale: str
) -> None:
    """Everything the browser downloads for a first visit (empty cache), gzipped."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    sizes: dict[str, int] = {}

    def record(response: Any) -> None:
        try:
            sizes[response.url] = len(gzip.compress(response.body(), 6))
        except Exception:  # noqa: BLE001  # a redirect has no body
            sizes[response.url] = 0

    page.on("response", record)
    page.goto(language_url(site_server, locale, "kommunen/kreis-unna/"), wait_until="networkidle")
    page.wait_for_timeout(500)
    context.close()
    origin = f"http://127.0.0.1:{site_server.port}/"
    assert all(url.startswith(origin) for url in sizes), sizes  # nothing from another host
    assert not [url for url in sizes if url.endswith("sitemap.xml")]
    total = sum(sizes.values())
    print(f"first load {locale}: {len(sizes)} requests, {total / 1000:.1f} KB gzipped")
    assert total < FIRST_LOAD_BUDGET, sorted(sizes.items(), key=lambda item: -item[1])


@pytest.fixture(scope="module")
def offline_copies(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("offline")
    for archive in sorted((site / "downloads").glob("*.zip")):
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(target)
    return target


def test_offline_copies_have_no_broken_links(offline_copies: Path) -> None:
    copies = sorted(offline_copies.iterdir())
    assert [c.name for c in copies] == sorted(f"kim-site-{lang}" for lang in _locales())
    for copy in copies:
        report = check_site(copy, "file:///copy/", file_mode=True)
        assert report.problems == [], (copy.name, report.problems[:10])
        assert report.pages == PAGES_PER_LANGUAGE and report.internal > PAGES_PER_LANGUAGE * 50


@pytest.mark.parametrize("locale", ["ar", "ti"])
def test_offline_copy_works_from_file_with_search(offline_copies: Path, page: Page, locale: str) -> None:
    log = watch(page)
    start = offline_copies / f"kim-site-{locale}" / "index.html"
    page.goto(start.as_uri())
    page.click(".kim-chooser a[href='kommunen/kreis-unna/index.html']")
    assert page.url.endswith("/kommunen/kreis-unna/index.html")
    assert page.locator("h1").inner_text() == "Kreis Unna"
    results = search(page, "Unna")
    assert any("kommunen/kreis-unna/index.html" in url for url in results), results
    page.click(".md-search-result__item a >> nth=0")
    assert page.url.startswith("file://") and ".html" in page.url
    assert all(url.startswith(("file://", "data:", "about:")) for url in log.requests), log.requests
    assert not [m for m in log.console if "page error" in m], log.console


def _locales() -> list[str]:
    from kim_site.languages import load_languages

    return [lang.locale for lang in load_languages(ROOT / "i18n" / "languages.yml")]
