"""Translation status reaches the page: reviewed, unreviewed (notice), missing (German, lang="de")."""

from __future__ import annotations

import re

import markdown

from kim_site.catalog import Catalog, Status, Translation
from kim_site.pages import Project, load_sources, render_language, source_messages

from .conftest import ROOT

SOURCES = load_sources(Project.at(ROOT))
ARABIC = SOURCES.language("ar")
TITLE = "KIM und Case Management"
FIRST = (
    "KIM heißt Kommunales Integrationsmanagement. KIM ist ein Programm des Landes "
    "Nordrhein-Westfalen (NRW). Es gibt KIM in allen 54 Kreisen und kreisfreien Städten in NRW."
)


def html_of(catalog: Catalog, path: str = "themen/kim.md") -> str:
    page = render_language(SOURCES, ARABIC, catalog).pages[path]
    return markdown.markdown(page, extensions=["attr_list", "md_in_html"])


def test_missing_text_is_german_with_lang_and_notice() -> None:
    html = html_of(Catalog("ar"))
    assert f'<h1 lang="de">{TITLE}</h1>' in html
    assert f'<p lang="de">{FIRST}</p>' in html
    assert "Einige Texte auf dieser Seite sind noch nicht übersetzt" in html


def test_reviewed_translation_has_no_notice() -> None:
    catalog = Catalog(
        "ar",
        {
            (context, msgid): Translation(f"ترجمة {i}", Status.reviewed)
            for i, (context, msgid) in enumerate(source_messages(SOURCES))
        },
    )
    html = html_of(catalog)
    assert 'lang="de"' not in html
    assert "kim-notice" not in html


def test_unreviewed_translation_is_shown_with_a_notice() -> None:
    catalog = Catalog(
        "ar",
        {
            (None, TITLE): Translation("ما هو KIM؟", Status.unreviewed),
            (None, FIRST): Translation("KIM هو برنامج لولاية شمال الراين وستفاليا.", Status.reviewed),
        },
    )
    html = html_of(catalog)
    assert "<h1>ما هو KIM؟</h1>" in html
    assert "<p>KIM هو برنامج لولاية شمال الراين وستفاليا.</p>" in html
    notice = re.search(r'<aside class="kim-notice kim-notice--translation".*?</aside>', html, re.S)[0]
    # Both notices: this page has unreviewed and missing texts (the notices themselves are
    # not in this small catalog, so they show in German, marked as such).
    assert '<span lang="de">Die Übersetzung auf dieser Seite hat noch kein Mensch geprüft.' in notice
    assert "noch nicht übersetzt" in notice


def test_shipped_catalogs_are_in_sync_and_complete() -> None:
    from kim_site.i18n_check import coverage_table

    rows, stale = coverage_table(SOURCES)
    assert stale == []
    assert len(rows) == 19
    assert all(row.missing == 0 and row.total == len(source_messages(SOURCES)) for row in rows)


def test_contacts_and_names_are_never_catalog_entries() -> None:
    messages = {msgid for _, msgid in source_messages(SOURCES)}
    assert "Kreis Unna" not in messages and "Lünen" not in messages
    assert "Ausländerbehörde der Stadt Lünen" not in messages  # office names stay German
