"""Build behaviour: escaping of data, atomic replacement, clear failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kim_site.build import DEFAULT_SITE_URL, BuildError, build_site
from kim_site.cli import main
from kim_site.load import DataError

from .conftest import copy_project, read
from .linkcheck import check_site

HOSTILE = """\
# yaml-language-server: $schema=../../schema/kommune.schema.json
slug: kreis-hostile
name: "Kreis <script>alert('name')</script> & [x](javascript:alert(1))"
kind: kreis
regierungsbezirk: koeln
gemeinden:
  - {name: "<img src=x onerror=alert(2)>"}
offices:
  - kind: ki
    name: "**KI** <b>bold</b> {: onclick=alert(3) }"
    gemeinde: "<img src=x onerror=alert(2)>"
    note: "<script>alert('note')</script> [click](javascript:alert(4))"
    phones:
      - number: "0221 123456"
        label: "<i>Zentrale</i>"
    email: "ki@example.org"
    website: "https://example.org/?a=1&b=\\"><script>alert(5)</script>"
    source_url: https://example.org/quelle
    last_verified: 2026-11-01
"""


def test_text_from_yaml_is_escaped_everywhere(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "data" / "kommunen" / "kreis-hostile.yml").write_text(HOSTILE, encoding="utf-8")
    site = tmp_path / "site"
    build_site(project, site, locales=["de", "ar"])
    for prefix in ("", "ar/"):
        html = read(site / prefix / "kommunen" / "kreis-hostile" / "index.html")
        assert "<script>alert" not in html
        assert "javascript:" not in html.replace("[click](javascript:alert(4))", "").replace(
            "[x](javascript:alert(1))", ""
        ).replace("\\[x\\]\\(javascript:alert\\(1\\)\\)", "")
        assert 'href="javascript' not in html
        assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in html
        assert "<b>bold</b>" not in html
        assert not re.search(r"<[^>]*\son\w+=", html)  # no event-handler attribute got through
        assert 'href="https://example.org/?a=1&amp;b=&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;"' in html
        assert 'href="tel:+49221123456"' in html and 'href="mailto:ki@example.org"' in html
    start = read(site / "index.html")
    assert "<script>alert" not in start and "Kreis &lt;script&gt;" in start


def test_failed_data_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    bad = project / "data" / "kommunen" / "kreis-unna.yml"
    bad.write_text(read(bad).replace("kind: kreis", "kind: landkreis"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build_site(project, site)
    assert "kreis-unna.yml:5:7: kind:" in str(caught.value)
    assert read(site / "index.html") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no leftovers


def test_failed_language_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    (project / "overrides" / "partials" / "languages" / "ti.html").write_text("{% broken", encoding="utf-8")
    with pytest.raises(BuildError, match="building language 'ti' failed"):
        build_site(project, site, locales=["de", "ti"])
    assert read(site / "index.html") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]


def test_build_replaces_the_site_and_cli_reports_errors(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main, ["build", "--project", str(project), "--site-dir", str(site), "--lang", "de"]
    )
    assert result.exit_code == 0, result.output
    # 54 Kommunen, their overview, start page, 11 topics, 12 FAQ pages, 4 legal/Leichte Sprache, 404
    assert "Built 84 pages in 1 language(s)" in result.output
    assert not (site / "stale.html").exists() and (site / "kommunen" / "kreis-unna" / "index.html").is_file()

    result = runner.invoke(
        main, ["build", "--project", str(project), "--site-dir", str(site), "--lang", "xx"]
    )
    assert result.exit_code == 1 and "unknown language 'xx'" in result.output

    bad = project / "data" / "kommunen" / "bonn.yml"
    bad.write_text(read(bad).replace("slug: bonn", "slug: koeln"), encoding="utf-8")
    result = runner.invoke(main, ["build", "--project", str(project), "--site-dir", str(site)])
    assert result.exit_code == 1
    assert "slug 'koeln' is already used by" in result.output
    assert "nothing was built or changed" in result.output
    assert (site / "kommunen" / "kreis-unna" / "index.html").is_file()


CONTACTS = """\
offices:
  - kind: auslaenderbehoerde
    name: Ausländerbehörde Kreis Unna (Testdaten)
    address: {street: Musterstraße 1, postal_code: "59425", city: Unna}
    phones:
      - {number: "02303 27-0", label: Terminvergabe}
    email: abh@example.org
    website: https://example.org/abh
    opening_hours:
      - {days: [mo, di], opens: "08:30", closes: "12:00"}
    languages: [de, ar]
    source_url: https://example.org/kontakt
    last_verified: 2026-11-01
"""


def test_office_contacts_are_rendered_in_the_readers_language(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    data = project / "data" / "kommunen" / "kreis-unna.yml"
    text = read(data)
    data.write_text(text[: text.index("offices:")] + CONTACTS, encoding="utf-8")
    site = tmp_path / "site"
    build_site(project, site, locales=["de", "ar"])
    de = read(site / "kommunen" / "kreis-unna" / "index.html")
    assert '<a href="tel:+49230327' + '0">02303 27-0</a> (Terminvergabe)' in de
    assert "https://www.openstreetmap.org/search?query=Musterstra%C3%9Fe+1%2C+59425+Unna" in de
    assert '<li>Mo., Di.: <span dir="ltr">08:30–12:00</span></li>' in de
    assert "Deutsch, Arabisch" in de and "Kontaktdaten geprüft am 1. November 2026" in de
    assert "noch keine geprüften Kontaktdaten" not in de
    # mailto: and tel: links are well formed (the link checker of tests/test_links.py).
    links = check_site(site, DEFAULT_SITE_URL)
    assert links.tel >= 2 and links.mailto >= 2
    assert not [p for p in links.problems if "mailto" in p or "tel:" in p]
    ar = read(site / "ar" / "kommunen" / "kreis-unna" / "index.html")
    assert "الألمانية، العربية" in ar
    assert '<span dir="ltr">08:30–12:00</span>' in ar
    assert "1 نوفمبر 2026" in ar
