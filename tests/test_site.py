"""Real builds: every page in every language, lang/dir, switcher, search, no other hosts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from kim_site.languages import load_languages
from kim_site.load import load_kommunen

from .conftest import PAGES_PER_LANGUAGE, ROOT, read

LANGUAGES = load_languages(ROOT / "i18n" / "languages.yml")
SLUGS = sorted(p.stem for p in (ROOT / "data" / "kommunen").glob("*.yml"))
PAGES = ["", "kommunen/", "themen/kim/", "impressum/", "datenschutz/", "barrierefreiheit/"]
RTL = {"ar", "fa", "fa-AF", "ps", "ku-Arab"}


def page_file(site: Path, prefix: str, path: str) -> Path:
    return site / prefix / path / "index.html"


def test_every_page_exists_in_every_language(site: Path) -> None:
    assert len(LANGUAGES) == 20 and len(SLUGS) == 54
    for language in LANGUAGES:
        for path in PAGES + [f"kommunen/{slug}/" for slug in SLUGS]:
            assert page_file(site, language.url_prefix, path).is_file(), (language.locale, path)


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda lang: lang.locale)
def test_html_lang_and_dir(site: Path, language) -> None:
    for path in ("", "kommunen/kreis-unna/"):
        html = read(page_file(site, language.url_prefix, path))
        tag = re.search(r"<html [^>]*>", html)[0]
        assert f'lang="{language.bcp47}"' in tag
        assert f'dir="{language.dir}"' in tag
        assert f'<body dir="{language.dir}"' in html
    assert (language.dir == "rtl") == (language.locale in RTL)


def test_language_switcher_links_lead_to_the_same_page(site: Path) -> None:
    checked = 0
    for html_file in site.rglob("index.html"):
        html = read(html_file)
        links = re.findall(
            r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+" dir="(?:ltr|rtl)" class="md-select__link"',
            html,
        )
        assert len(links) == 20, html_file
        page_url = "http://site/" + html_file.parent.relative_to(site).as_posix() + "/"
        for href, _ in links:
            target = urlparse(urljoin(page_url, href)).path.lstrip("/")
            assert (site / target / "index.html").is_file(), (html_file, href)
            # Same page: the target path without its language folder equals ours.
            checked += 1
    assert checked >= 20 * 60 * 20


def test_switcher_keeps_the_page(site: Path) -> None:
    html = read(site / "ar" / "kommunen" / "kreis-unna" / "index.html")
    assert 'href="../../../kommunen/kreis-unna/" hreflang="de"' in html
    assert 'href="../../../ti/kommunen/kreis-unna/" hreflang="ti"' in html
    assert 'href="./" hreflang="ar" lang="ar" dir="rtl" class="md-select__link" aria-current="true"' in html


_LOADS = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed|object)\b[^>]*\b(?:src|data)=\"([^\"]+)\""
    r"|<link\b[^>]*\brel=\"(?:stylesheet|preload|prefetch|icon|manifest|modulepreload|preconnect|dns-prefetch)\"[^>]*\bhref=\"([^\"]+)\"",
)


def test_no_request_to_any_other_host(site: Path) -> None:
    loaded = 0
    for html_file in site.rglob("*.html"):
        for match in _LOADS.finditer(read(html_file)):
            url = match[1] or match[2]
            loaded += 1
            assert not re.match(r"^(?:[a-z]+:)?//", url, re.IGNORECASE), (html_file, url)
    assert loaded > 1000  # the check did look at the pages' scripts and stylesheets
    for css in site.rglob("*.css"):
        text = read(css)
        assert "@import" not in text, css
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert url.startswith("data:") or not re.match(r"^(?:[a-z]+:)?//", url), (css, url)
    assert "fonts.googleapis" not in "".join(read(p) for p in site.rglob("*.html"))


def test_each_language_has_its_own_search_index(site: Path) -> None:
    sizes = {}
    for language in LANGUAGES:
        index_file = site / language.url_prefix / "search" / "search_index.json"
        index = json.loads(read(index_file))
        pages = {doc["location"].split("#")[0] for doc in index["docs"]}
        assert len(pages) == PAGES_PER_LANGUAGE, language.locale  # this language's pages only
        assert not any(page.startswith(tuple(f"{lang.locale}/" for lang in LANGUAGES)) for page in pages)
        sizes[language.locale] = index_file.stat().st_size
    assert max(sizes.values()) < sum(sizes.values()) / 10


def search_text(index_file: Path) -> str:
    return " ".join(doc["title"] + " " + doc["text"] for doc in json.loads(read(index_file))["docs"])


def test_search_index_leaves_out_the_repeated_notices(site: Path) -> None:
    german = search_text(site / "search" / "search_index.json")
    assert "Ausländerbehörde der Stadt Lünen" in german and "Selm" in german
    assert "noch keine geprüften Kontaktdaten" not in german
    assert "Kontaktdaten geprüft am" not in german and "Bekannt aus" not in german
    assert "Kontaktdaten des Case Managements im KIM" not in german
    # The pages themselves still show them.
    assert "noch keine geprüften Kontaktdaten" in read(site / "kommunen" / "bottrop" / "index.html")
    arabic = search_text(site / "ar" / "search" / "search_index.json")
    assert "Kreis Unna" in arabic
    start_page = read(site / "ar" / "index.html")
    notice = re.search(r'<aside class="kim-notice kim-notice--translation".*?<p>(.*?)</p>', start_page)
    assert notice
    sentence = re.sub(r"<[^>]+>", "", notice[1])[:60]
    assert len(sentence) > 20 and sentence not in arabic


def test_kommune_page_shows_offices_gemeinden_and_figures(site: Path) -> None:
    html = read(site / "kommunen" / "kreis-unna" / "index.html")
    assert '<h1 id="kreis-unna">Kreis Unna</h1>' in html
    assert "Ausländerbehörde der Stadt Lünen" in html
    assert "<li>Lünen – eigene Stelle: Ausländerbehörde, Einbürgerungsbehörde</li>" in html
    assert "<li>Unna – eigene Stelle: Einbürgerungsbehörde</li>" in html
    assert "<li>Selm</li>" in html
    assert "<td>4,50</td>" in html and "30. September 2022" in html
    assert 'href="mailto:abh@kreis-unna.de"' in html  # sourced in data/kommunen/kreis-unna.yml
    # A Kommune without any sourced contact says so and shows no link to call or write.
    html = read(site / "kommunen" / "bottrop" / "index.html")
    assert "Für Bottrop haben wir noch keine geprüften Kontaktdaten." in html
    assert "tel:" not in html and "mailto:" not in html


def test_kommune_page_says_when_the_case_management_has_no_contacts(site: Path) -> None:
    kommunen = load_kommunen(ROOT / "data")
    flagged = 0
    for kommune in kommunen:
        html = read(site / "kommunen" / kommune.slug / "index.html")
        arabic = read(site / "ar" / "kommunen" / kommune.slug / "index.html")
        any_contacts = any(o.has_contacts for o in kommune.offices)
        case_management = any(
            o.has_contacts for o in kommune.offices if o.kind.value == "kim_case_management"
        )
        expected = any_contacts and not case_management
        assert ("kim-notice--missing-case-management" in html) == expected, kommune.slug
        assert ("kim-notice--missing-case-management" in arabic) == expected, kommune.slug
        if expected:
            assert f"Für {kommune.name} haben wir noch keine Kontaktdaten des Case Managements" in html
            flagged += 1
    assert 0 < flagged < len(kommunen)


def test_overview_groups_by_regierungsbezirk(site: Path) -> None:
    html = read(site / "kommunen" / "index.html")
    headings = re.findall(r"<h2 id=\"[^\"]+\">Regierungsbezirk (\w+)</h2>", html)
    assert headings == ["Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster"]
    assert html.count('class="kim-kind"') == 54


def test_start_page_lets_the_reader_choose_a_kommune(site: Path) -> None:
    html = read(site / "index.html")
    chooser = re.search(r'<div class="kim-chooser">.*?</div>', html, re.S)[0]
    assert chooser.count('<a href="kommunen/') == 54
    assert (
        'data-terms="Bergkamen Bönen Fröndenberg/Ruhr Holzwickede Kamen Lünen Schwerte Selm Unna Werne"'
        in html
    )
    assert '<a href="themen/kim/">KIM und Case Management</a>' in html
    footer = re.search(r'<nav class="kim-footer-links".*?</nav>', html, re.S)[0]
    assert all(f'href="{p}/"' in footer for p in ("impressum", "datenschutz", "barrierefreiheit"))


def test_plain_mkdocs_build_makes_the_same_pages(site: Path, tmp_path: Path) -> None:
    """`mkdocs build` works on mkdocs.yml as it is (what any static host CI would run)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", KIM_SITE_GENERATED=str(tmp_path / "generated"))
    env.pop("KIM_SITE_LOCALE", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "plain")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    plain = {p.relative_to(tmp_path / "plain").as_posix() for p in (tmp_path / "plain").rglob("*.html")}
    ours = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    # The parallel build also keeps each language's own 404 page.
    assert plain == {page for page in ours if not page.endswith("/404.html")}
    assert (
        read(tmp_path / "plain" / "ar" / "kommunen" / "kreis-unna" / "index.html").count(
            'class="md-select__link"'
        )
        == 20
    )
