"""Newcomer content: the FAQ covers the catalogue, topic pages have their parts, Leichte
Sprache is linked everywhere, and translations keep what must not change, in the right
script, without German left over."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from pathlib import Path

import polib
import pytest
from ruamel.yaml import YAML

from kim_site.load import load_faq
from kim_site.model import Topic

from .conftest import ROOT, read

CATALOGUE = YAML(typ="safe").load(read(ROOT / "tests" / "data" / "faq-catalogue.yml"))
FAQ = load_faq(ROOT / "data")
LOCALES = [p.stem for p in sorted((ROOT / "i18n").glob("*.po"))]
LIST_CONTEXT = re.compile(r"^faq:[a-z0-9-]+:(paraphrases|keywords)$")


# --- the German source -------------------------------------------------------------------------------


def test_faq_covers_the_catalogue_in_order_with_ids_unchanged() -> None:
    expected = CATALOGUE["faq"]
    assert [e.id for e in FAQ][: len(expected)] == [e["id"] for e in expected]
    for entry, wanted in zip(FAQ, expected, strict=False):
        assert entry.topic.value == wanted["topic"] and entry.question == wanted["question"], entry.id
        assert set(wanted["offices"]) <= {kind.value for kind in entry.offices}, entry.id


def test_every_faq_entry_is_complete_and_sourced() -> None:
    for entry in FAQ:
        # A sentence ends with . ! or ? after a word (not "4. März"), before a capital letter.
        sentences = [s for s in re.split(r"(?<=[^\d\s][.!?])\s+(?=[A-ZÄÖÜ])", entry.answer.strip()) if s]
        assert 2 <= len(sentences) <= 6, (entry.id, len(sentences))
        assert len(entry.paraphrases) >= 3 and len(entry.keywords) >= 4, entry.id
        assert entry.source_url.startswith("https://"), entry.id
        assert entry.last_reviewed <= dt.date.today(), entry.id
    volatile = {e.id for e in FAQ if e.volatile}
    # Rules that changed recently or change often are flagged for frequent review.
    assert {"ukraine-protection", "naturalisation-requirements", "duldung-bleiberecht"} <= volatile


def test_emergency_numbers_are_the_official_ones() -> None:
    emergency = next(e for e in FAQ if e.id == "emergency")
    assert "112" in emergency.answer and "116 117" in emergency.answer.replace("116117", "116 117")
    violence = next(e for e in FAQ if e.id == "violence-help")
    assert "110" in violence.answer and "116 016" in violence.answer.replace("116016", "116 016")


@pytest.mark.parametrize("topic", list(Topic))
def test_topic_page_has_its_parts(topic: Topic) -> None:
    page = read(ROOT / "docs" / "themen" / f"{topic.value}.md")
    assert page.startswith("# ")
    assert "## Wer hilft mir in meiner Kommune?" in page
    assert re.search(r"^<!-- kim:offices( [a-z_]+)+ -->$", page, re.MULTILINE)
    assert "<!-- kim:faq -->" in page
    sources = page.split("## Quellen", 1)[1]
    assert re.search(r"\]\(https://[^)]+\)", sources), "every topic page lists its official sources"
    # Step-by-step help where there is a procedure: at least one numbered list or a "what to do" part.
    assert re.search(r"^1\. ", page, re.MULTILINE) or "## Was muss ich tun?" in page


def test_leichte_sprache_page_is_linked_from_every_page_footer(site: Path) -> None:
    assert (site / "leichte-sprache" / "index.html").exists()
    pages = [
        site / "index.html",
        site / "ar" / "themen" / "kim" / "index.html",
        site / "ti" / "kommunen" / "index.html",
    ]
    pages += list((site / "uk" / "faq").glob("*/index.html"))
    for page in pages:
        footer = read(page).split('class="md-copyright"', 1)[1]
        assert re.search(r'href="[./]*leichte-sprache/"', footer), page


# --- translations ----------------------------------------------------------------------------------------

SCRIPTS = {
    "ar": "ARABIC", "fa": "ARABIC", "fa-AF": "ARABIC", "ps": "ARABIC", "ku-Arab": "ARABIC",
    "uk": "CYRILLIC", "ru": "CYRILLIC", "bg": "CYRILLIC", "ti": "ETHIOPIC",
}  # fmt: skip
PROTECTED = re.compile(
    r"https?://[^\s)\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|§\s*\d+[a-z]?|\{[a-z_]+\}|\]\([^)]+\)|\*\*"
)
QUOTED = re.compile('[\u201e\u201c"\u00ab][^\u201e\u201c"\u00ab\u00bb]*[\u201c"\u00bb]')
NUMBER = re.compile(r"\d+(?:(?:[.:,\u00a0 ]|\s?h\s?)\d+)*")  # 116 117, 9.30, 9 h 30
# Words that exist only in German: a translation containing them (outside brackets, where
# official German terms are allowed) still has German in it.
GERMAN_WORDS = {
    "und", "oder", "nicht", "ihre", "ihren", "ihrer", "werden", "können", "müssen", "bitte", "haben",
    "sind", "einen", "eine", "für", "über", "auch", "wenn", "dürfen", "sie", "bei", "zum", "zur", "mit",
}  # fmt: skip


def _translated(locale: str) -> list[polib.POEntry]:
    po = polib.pofile(str(ROOT / "i18n" / f"{locale}.po"))
    return [e for e in po if not e.obsolete and e.msgstr.strip()]


def _script_share(text: str, script: str, source: str = "") -> tuple[int, float]:
    """Letters of ``text`` and the share in ``script``; names copied from the German source
    (Kreis Unna, Case Management), bracketed terms, URLs and addresses do not count."""
    text = re.sub(r"\([^)]*\)|https?://\S+|\S+@\S+|\]\([^)]*\)", " ", text)
    copied = {w for w in re.findall(r"\w+", source) if not w.isdigit()}
    text = " ".join(w for w in re.findall(r"\w+", text) if w not in copied)
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0, 1.0
    inside = sum(1 for ch in letters if unicodedata.name(ch, "").startswith(script))
    return len(letters), inside / len(letters)


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_urls_numbers_paragraphs_links_and_placeholders(locale: str) -> None:
    broken = []
    for entry in _translated(locale):
        if entry.msgctxt and LIST_CONTEXT.match(entry.msgctxt):
            continue  # the lists are written per language, not translated
        for token in PROTECTED.findall(entry.msgid):
            token = token.replace(" ", "")
            if token not in entry.msgstr.replace(" ", "").replace("\u00a0", ""):
                broken.append((entry.msgid[:60], token))
        # Numbers keep their digits (9.30 may become 9:30, 116 117 may lose its space).
        found = NUMBER.findall(entry.msgstr)
        # 18 Uhr may be written 18:00 and 9.30 as 9:30.
        translated = Counter(re.sub(r"\D", "", n) for n in found) + Counter(
            n[:-3] for n in found if re.fullmatch(r"\d{1,2}[.:]00", n)
        )
        for number in NUMBER.findall(entry.msgid):
            digits = re.sub(r"\D", "", number)
            if translated[digits] <= 0:
                broken.append((entry.msgid[:60], number))
            translated[digits] -= 1
    assert broken == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_are_in_the_language_script(locale: str) -> None:
    script = SCRIPTS.get(locale, "LATIN")
    wrong = []
    for entry in _translated(locale):
        if entry.msgctxt and LIST_CONTEXT.match(entry.msgctxt):
            lines = entry.msgstr.splitlines()
            if not any(_script_share(line, script, entry.msgid)[1] >= 0.5 for line in lines):
                wrong.append(entry.msgstr[:60])
            continue
        letters, share = _script_share(entry.msgstr, script, entry.msgid)
        if letters >= 12 and share < 0.5:
            wrong.append(entry.msgstr[:60])
    assert wrong == []


def _copied_names(text: str, source: str) -> set[int]:
    """Positions of words in ``text`` that belong to a name or title copied from the German
    source: a run of 3 or more words found in the same order there, starting with a capital
    (Amt für Integration und Einwanderungsmanagement, Rahmenkonzept zur Umsetzung ...)."""
    words, original = re.findall(r"\w+", text), re.findall(r"\w+", source)
    joined = " " + " ".join(original) + " "
    copied: set[int] = set()
    for start in range(len(words)):
        end = start + 3
        if not words[start][:1].isupper() or " " + " ".join(words[start:end]) + " " not in joined:
            continue
        while end < len(words) and " " + " ".join(words[start : end + 1]) + " " in joined:
            end += 1
        copied.update(range(start, end))
    return copied


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if loc != "de"])
def test_no_german_left_in_translations(locale: str) -> None:
    """German only in brackets (official terms), in quotes (what a document says) or in names."""
    leftovers = []
    for entry in _translated(locale):
        if entry.msgctxt and LIST_CONTEXT.match(entry.msgctxt):
            continue  # keyword lists may name German words people type
        text = re.sub(r"\([^)]*\)|\[[^\]]*\]\([^)]*\)|https?://\S+", " ", entry.msgstr)
        text = QUOTED.sub(" ", text)
        words = re.findall(r"\w+", text)
        copied = _copied_names(text, entry.msgid)
        german = sorted({w.lower() for i, w in enumerate(words) if i not in copied} & GERMAN_WORDS)
        untranslated = (
            entry.msgstr.strip() == entry.msgid.strip() and set(entry.msgid.lower().split()) & GERMAN_WORDS
        )
        if german or untranslated:
            leftovers.append((entry.msgstr[:60], german))
    assert leftovers == []
