"""Links and structure of the built site: links and anchors, hreflang, sitemap, canonical URLs,
and the site working under a sub-path (the session build's site_url is .../sub/)."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

from kim_site.build import BuildReport
from kim_site.languages import load_languages

from .conftest import PAGES_PER_LANGUAGE, ROOT, read
from .linkcheck import check_site
from .siteserver import SiteServer

LANGUAGES = load_languages(ROOT / "i18n" / "languages.yml")
_SWITCHER = re.compile(
    r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+" dir="(?:ltr|rtl)" class="md-select__link"'
)
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


def pages(site: Path) -> list[Path]:
    """Every content page (the 404 pages have no canonical address)."""
    return sorted(p for p in site.rglob("index.html"))


def url_of(site: Path, page: Path, site_url: str) -> str:
    relative = page.parent.relative_to(site).as_posix()
    return site_url + ("" if relative == "." else relative + "/")


def test_every_internal_link_and_anchor_resolves(site: Path, site_server: SiteServer) -> None:
    report = check_site(site, site_server.url)
    assert report.problems == []
    # Every page of every language, the 404 pages included.
    assert report.pages == 20 * (PAGES_PER_LANGUAGE + 1)
    assert report.internal > 20 * PAGES_PER_LANGUAGE * 80 and report.anchors > 1000
    # mailto:/tel: links of the sourced contacts are checked for their form by check_site;
    # tests/test_build.py also checks a build with made-up contacts.
    # Outside links are the official sources and the offices' own sites, nothing else.
    assert all(url.startswith(("https://", "http://")) for url in report.external)


def test_the_checker_finds_broken_links(tmp_path: Path) -> None:
    """The check above can fail: a small site with each kind of mistake."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<h1 id="top">x</h1><a href="a/">ok</a> <a href="a/#there">ok</a> <a href="#top">ok</a>'
        '<a href="missing/">1</a> <a href="a/#nowhere">2</a> <a href="a">3</a> <a href="javascript:x()">4</a>'
        '<a href="mailto:no-at-sign">5</a> <a href="tel:02303 27-0">6</a> <a href="../../outside/">7</a>'
        '<a href="mailto:ki@kreis-unna.de">ok</a> <a href="tel:+492303270">ok</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<p id="there">', encoding="utf-8")
    report = check_site(tmp_path, "https://example.org/kim/")
    assert len(report.problems) == 7, report.problems
    assert report.mailto == 2 and report.tel == 2
    assert len(check_site(tmp_path, "file:///copy/", file_mode=True).problems) == 10  # + 3 folder links


def switcher_alternates(site: Path, page: Path, site_url: str) -> frozenset[tuple[str, str]]:
    """(hreflang, absolute URL) of the page's language-menu links."""
    url = url_of(site, page, site_url)
    return frozenset((tag, urljoin(url, href)) for href, tag in _SWITCHER.findall(read(page)))


def test_hreflang_alternates_are_symmetric_with_x_default(site: Path, site_server: SiteServer) -> None:
    """Each page's language menu names the same page in all 20 languages (hreflang + lang),
    and each of those pages names the same set back; the sitemap adds x-default (German)."""
    base = site_server.url
    alternates = {url_of(site, page, base): switcher_alternates(site, page, base) for page in pages(site)}
    assert len(alternates) == 20 * PAGES_PER_LANGUAGE
    for url, links in alternates.items():
        assert sorted(tag for tag, _ in links) == sorted(lang.bcp47 for lang in LANGUAGES), url
        assert url in {target for _, target in links}, url  # the page names itself
        for tag, target in links:
            assert alternates.get(target) == links, (url, tag, target)


def test_pages_have_no_head_alternates_that_make_material_fetch_sitemaps(site: Path) -> None:
    """Material's script fetches sitemap.xml next to every <link rel="alternate"> on every page
    view (20 requests): the alternates live in the sitemap instead (overrides/main.html)."""
    for page in (site / "index.html", site / "ar" / "kommunen" / "kreis-unna" / "index.html"):
        assert not re.search(r'<link rel="alternate"', read(page)), page


def test_every_page_has_its_canonical_url(site: Path, site_server: SiteServer) -> None:
    for page in pages(site):
        assert _CANONICAL.findall(read(page)) == [url_of(site, page, site_server.url)], page


def test_one_sitemap_lists_every_page_with_its_alternates(site: Path, site_server: SiteServer) -> None:
    assert not [p for p in site.rglob("sitemap.xml*") if p != site / "sitemap.xml"]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(site / "sitemap.xml")
    listed = {}
    for entry in tree.getroot().findall("s:url", ns):
        loc = entry.findtext("s:loc", namespaces=ns)
        links = entry.findall("x:link", ns)
        assert all(link.get("rel") == "alternate" for link in links)
        listed[loc] = frozenset((link.get("hreflang"), link.get("href")) for link in links)
    expected = {}
    for page in pages(site):
        links = switcher_alternates(site, page, site_server.url)
        german = next(target for tag, target in links if tag == "de")
        expected[url_of(site, page, site_server.url)] = links | {("x-default", german)}
    assert listed == expected


def test_site_works_under_a_sub_path(site_build: BuildReport, site_server: SiteServer) -> None:
    """Served at /sub/, as GitHub or GitLab project pages are: pages, assets and 404 pages."""
    site = site_build.site_dir
    assert site_server.url.endswith("/sub/")
    for path in ("", "ar/kommunen/kreis-unna/", "ti/themen/kim/", "sitemap.xml", "downloads/kim-site-ti.zip"):
        with urllib.request.urlopen(site_server.url + path) as response:
            assert response.status == 200, path
    # A missing page gets the 404 page, whose links are absolute and include the sub-path.
    try:
        urllib.request.urlopen(site_server.url + "no/such/page/")
        raise AssertionError("no 404")
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        assert error.code == 404
    assets = re.findall(r'(?:href|src)="(/[^"]+)"', text)
    assert assets and all(a.startswith("/sub/") for a in assets)
    for asset in assets:
        with urllib.request.urlopen(f"http://127.0.0.1:{site_server.port}{html.unescape(asset)}") as response:
            assert response.status == 200, asset
    # Nothing in a page is root-absolute without the sub-path.
    for page in (site / "index.html", site / "ar" / "kommunen" / "kreis-unna" / "index.html"):
        assert not re.search(r'(?:href|src)="/(?!sub/)', read(page)), page
