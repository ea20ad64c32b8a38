"""Catalog statuses (machine, stale) and stale detection when German texts change."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import polib

from kim_site.catalog import Catalog, Status, Translation, entry_status, po_text, sync_catalog
from kim_site.pages import Project, load_sources, render_language

from .conftest import ROOT

SOURCES = load_sources(Project.at(ROOT))


def write_po(path: Path, *entries: polib.POEntry) -> None:
    po = polib.POFile(wrapwidth=0)
    for entry in entries:
        po.append(entry)
    path.write_text(po_text(po), encoding="utf-8")


def entry(msgid: str, msgstr: str, *flags: str, origin: str = "docs/a.md", **more: object) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, flags=list(flags), occurrences=[(origin, "")], **more)


def by_id(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in po if not e.obsolete}


def test_status_is_derived_from_flags_and_previous_msgid() -> None:
    assert entry_status(entry("a", "")) is Status.missing
    assert entry_status(entry("a", "x")) is Status.reviewed
    assert entry_status(entry("a", "x", "fuzzy")) is Status.unreviewed
    assert entry_status(entry("a", "x", "fuzzy", "machine-translated")) is Status.machine
    assert entry_status(entry("a", "x", "fuzzy", previous_msgid="b")) is Status.stale
    assert entry_status(entry("a", "x", "fuzzy", "machine-translated", previous_msgid="b")) is Status.stale
    # A person removed fuzzy: reviewed, whatever else is left.
    assert entry_status(entry("a", "x", "machine-translated", previous_msgid="b")) is Status.reviewed


def test_catalog_load_reports_machine_and_stale(tmp_path: Path) -> None:
    path = tmp_path / "ar.po"
    write_po(
        path,
        entry("Maschine", "م", "fuzzy", "machine-translated"),
        entry("Neu", "ق", "fuzzy", previous_msgid="Alt"),
        entry("Leer", ""),
    )
    catalog = Catalog.load(path, "ar")
    assert catalog.lookup("Maschine").status is Status.machine
    assert catalog.lookup("Neu") == Translation("ق", Status.stale)
    assert catalog.lookup("Leer").status is Status.missing


def test_changed_german_text_keeps_its_translation_as_stale(tmp_path: Path) -> None:
    path = tmp_path / "ar.po"
    write_po(
        path,
        entry("KIM hat drei Teile. Man nennt sie Bausteine.", "لـ KIM ثلاثة أجزاء."),  # reviewed
        entry("Ganz anderer Satz über Wohnungen.", "جملة", "fuzzy"),
        entry("Gleich bleibt.", "ثابت"),
        entry("Eine Zeile aus einer anderen Datei.", "سطر", origin="docs/b.md"),
    )
    messages = {
        (None, "KIM hat drei Teile. Man nennt sie die Bausteine."): {"docs/a.md"},
        (None, "Gleich bleibt."): {"docs/a.md"},
        (None, "Etwas völlig Neues zum Thema Schule."): {"docs/a.md"},
        (None, "Eine Zeile aus einer anderen Datei!"): {"docs/c.md"},
    }
    po = sync_catalog(path, "ar", messages)
    entries = by_id(po)
    stale = entries["KIM hat drei Teile. Man nennt sie die Bausteine."]
    assert stale.msgstr == "لـ KIM ثلاثة أجزاء."
    assert stale.flags == ["fuzzy"] and stale.previous_msgid == "KIM hat drei Teile. Man nennt sie Bausteine."
    assert entry_status(stale) is Status.stale
    assert entries["Gleich bleibt."].flags == [] and entries["Gleich bleibt."].previous_msgid is None
    # Not similar enough, or from another file: new, missing; the old ones become obsolete.
    assert entries["Etwas völlig Neues zum Thema Schule."].msgstr == ""
    assert entries["Eine Zeile aus einer anderen Datei!"].msgstr == ""
    obsolete = {e.msgid for e in po if e.obsolete}
    assert obsolete == {"Ganz anderer Satz über Wohnungen.", "Eine Zeile aus einer anderen Datei."}
    text = po_text(po)
    assert '#| msgid "KIM hat drei Teile. Man nennt sie Bausteine."' in text
    # Changed again before anyone reviewed it: the previous source stays the one translated.
    path.write_text(text, encoding="utf-8")
    messages2 = {(None, "KIM hat drei Teile. Sie heißen die Bausteine."): {"docs/a.md"}}
    again = by_id(sync_catalog(path, "ar", messages2))["KIM hat drei Teile. Sie heißen die Bausteine."]
    assert again.previous_msgid == "KIM hat drei Teile. Man nennt sie Bausteine."
    assert again.msgstr == "لـ KIM ثلاثة أجزاء."


def test_entries_with_a_context_are_matched_by_context_only(tmp_path: Path) -> None:
    path = tmp_path / "uk.po"
    write_po(
        path,
        entry("Wie verlängere ich?", "Як продовжити?", msgctxt="faq:residence-extend:question"),
        entry(
            "Titel verlängern\nAufenthalt verlängern",
            "Продовжити дозвіл",
            "fuzzy",
            "machine-translated",
            msgctxt="faq:residence-extend:paraphrases",
        ),
        entry("Ganz ähnlicher Text.", "Текст", msgctxt="faq:other:answer"),
    )
    messages = {
        (
            "faq:residence-extend:question",
            "Wie verlängere ich meine Aufenthaltserlaubnis?",
        ): {"data/faq.yml"},
        ("faq:residence-extend:paraphrases", "Titel verlängern\nAufenthalt verlängern\nVisum"): {
            "data/faq.yml"
        },
        ("faq:new:answer", "Ganz ähnlicher Text!"): {"data/faq.yml"},
    }
    po = sync_catalog(path, "uk", messages)
    entries = by_id(po)
    question = entries["Wie verlängere ich meine Aufenthaltserlaubnis?"]
    assert question.msgctxt == "faq:residence-extend:question" and question.msgstr == "Як продовжити?"
    assert question.previous_msgid == "Wie verlängere ich?" and question.flags == ["fuzzy"]
    paraphrases = entries["Titel verlängern\nAufenthalt verlängern\nVisum"]
    assert paraphrases.flags == ["fuzzy", "machine-translated"]
    assert entry_status(paraphrases) is Status.stale
    # A different context is a different thing, however similar the words.
    assert entries["Ganz ähnlicher Text!"].msgstr == ""
    assert [e.msgctxt for e in po if e.obsolete] == ["faq:other:answer"]


def test_page_shows_machine_and_stale_notices() -> None:
    title = "KIM und Case Management"
    first = (
        "KIM heißt Kommunales Integrationsmanagement. KIM ist ein Programm des Landes "
        "Nordrhein-Westfalen (NRW). Es gibt KIM in allen 54 Kreisen und kreisfreien Städten in NRW."
    )
    catalog = Catalog(
        "ar",
        {
            (None, title): Translation("ما هو KIM؟", Status.machine),
            (None, first): Translation("لـ KIM ثلاثة أجزاء.", Status.stale),
        },
    )
    page = render_language(SOURCES, SOURCES.language("ar"), catalog).pages["themen/kim.md"]
    html = markdown.markdown(page, extensions=["attr_list", "md_in_html"])
    notice = re.search(r'<aside class="kim-notice kim-notice--translation".*?</aside>', html, re.S)[0]
    assert "maschinell übersetzt und noch nicht von einem Menschen geprüft" in notice
    assert "vielleicht veraltet" in notice
    assert "noch kein Mensch geprüft" not in notice  # no person's draft on this page
