"""The FAQ helper's index for one language: what the matcher and the browser widget load.

Built while the language is rendered (so every FAQ text, paraphrases and keywords included,
goes through the Translator and lands in the catalogs), written to
``assets/faq-index.json`` in each language folder, and loaded by the widget only when a
reader opens the helper. The command line builds the same index from the same sources.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from .catalog import Catalog, Status
from .faq import ALSO_SHOWN, PLACE_WORD_MIN, PREFIX, PREFIX_SHARE, THRESHOLD, WORD_MATCH, normalise
from .faq_render import context, faq_msgid, faq_text, plain_answer
from .languages import Language
from .model import FaqEntry, Kommune, Office, OfficeKind
from .render import OFFICE_KIND_LABELS
from .stopwords import stopwords_for
from .translator import Translator

INDEX_PATH = "assets/faq-index.json"
OFFLINE_INDEX_PATH = "assets/faq-index.js"  # the same index as a script, for file:// copies
INDEX_VERSION = 2
FIELDS = ("question", "paraphrases", "keywords")

# Interface texts of the helper dialog (catalog entries like every other German text).
WIDGET_TEXTS = {
    "title": "Fragen und Antworten",
    "label": "Ihre Frage",
    "hint": "Schreiben Sie Ihre Frage in Ihrer Sprache. Ihre Frage bleibt auf Ihrem Gerät.",
    "submit": "Antwort suchen",
    "close": "Schließen",
    "results": "Passende Antworten",
    "none": "Dazu haben wir keine Antwort gefunden. Das Case Management in Ihrer Kommune hilft Ihnen "
    "persönlich. Oder wählen Sie ein Thema:",
    "more": "Ganze Antwort lesen",
    "kommune": "Ihr Ort oder Kreis",
    "kommune_hint": "Dann zeigen wir die Ämter in Ihrer Nähe. Wir speichern die Auswahl nur auf Ihrem Gerät.",
    "contacts": "Wer hilft Ihnen vor Ort?",
    "no_contacts": "Für Ihre Kommune haben wir noch keine geprüften Kontaktdaten. Auf der Seite Ihrer "
    "Kommune steht, was Sie tun können.",
    "kommune_page": "Seite Ihrer Kommune",
    "found": "{count} Antworten gefunden.",
    "unreviewed": "Übersetzung noch nicht geprüft",
}


def build_faq_index(
    entries: Sequence[FaqEntry],
    kommunen: Iterable[Kommune],
    language: Language,
    tr: Translator,
    extra_catalogs: Sequence[Catalog],
    topics: Sequence[tuple[str, str]],
    origin: str,
) -> dict[str, Any]:
    """The index of ``language``; ``extra_catalogs`` add texts of other languages (German
    and English: people mix them with their own)."""
    stopwords = stopwords_for(language.locale)
    items: list[dict[str, Any]] = []
    choices: list[str] = []
    owner: list[int] = []
    for position, entry in enumerate(entries):
        question = faq_text(entry, "question", tr, origin)
        answer = faq_text(entry, "answer", tr, origin)
        texts = [faq_text(entry, field, tr, origin).text for field in FIELDS]
        for catalog in extra_catalogs:
            texts += [_lookup(entry, field, catalog) for field in FIELDS]
        seen: set[str] = set()
        for text in texts:
            for line in text.split("\n"):
                normal = normalise(line, stopwords)
                if normal and normal not in seen:
                    seen.add(normal)
                    choices.append(normal)
                    owner.append(position)
        items.append(
            {
                "id": entry.id,
                "q": question.text,
                "a": plain_answer(answer.text),
                "url": f"faq/{entry.topic.value}/#{entry.id}",
                "offices": [kind.value for kind in entry.offices],
                "reviewed": answer.status in (Status.reviewed, Status.source),
            }
        )
    vocab, idf, entry_words, unknown = word_weights(choices, owner, len(items))
    return {
        "version": INDEX_VERSION,
        "lang": language.locale,
        "dir": language.dir,
        "threshold": THRESHOLD,
        "also_shown": ALSO_SHOWN,
        "word_match": WORD_MATCH,
        "prefix": PREFIX,
        "prefix_share": PREFIX_SHARE,
        "place_word_min": PLACE_WORD_MIN,
        "stopwords": sorted(stopwords),
        "entries": items,
        "choices": choices,
        "owner": owner,
        "vocab": vocab,
        "idf": idf,
        "entry_words": entry_words,
        "unknown_weight": unknown,
        "kinds": {kind.value: tr.text(label) for kind, label in OFFICE_KIND_LABELS.items()},
        "kommunen": [_kommune(kommune) for kommune in sorted(kommunen, key=lambda k: k.name)],
        "topics": [{"title": title, "url": url} for url, title in topics],
        "texts": {key: tr.text(text) for key, text in WIDGET_TEXTS.items()},
    }


def word_weights(
    choices: Sequence[str], owner: Sequence[int], entries: int
) -> tuple[list[str], list[int], list[list[int]], int]:
    """The vocabulary of all texts, each word's weight (inverse document frequency over the
    entries, as an integer so that Python and JavaScript compute identical scores), each
    entry's words, and the weight of a word no entry knows (the highest)."""
    words_of: list[set[str]] = [set() for _ in range(entries)]
    for choice, entry in zip(choices, owner, strict=True):
        words_of[entry].update(choice.split())
    vocab = sorted(set().union(*words_of))
    position = {word: i for i, word in enumerate(vocab)}
    frequency = {word: sum(1 for words in words_of if word in words) for word in vocab}

    def weight(df: int) -> int:
        return round(100 * math.log((entries + 1) / (df + 1))) + 10

    idf = [weight(frequency[word]) for word in vocab]
    entry_words = [sorted(position[word] for word in words) for words in words_of]
    return vocab, idf, entry_words, weight(0)


def index_bytes(index: dict[str, Any]) -> bytes:
    """Compact, byte-stable JSON (it is downloaded on phones)."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _lookup(entry: FaqEntry, field: str, catalog: Catalog) -> str:
    return catalog.lookup(faq_msgid(entry, field), context(entry, field)).text


def _kommune(kommune: Kommune) -> dict[str, Any]:
    return {
        "slug": kommune.slug,
        "name": kommune.name,
        "url": f"kommunen/{kommune.slug}/",
        "places": [g.name for g in kommune.gemeinden],
        "offices": [office_contact(office) for office in kommune.offices],
    }


def office_contact(office: Office) -> dict[str, Any]:
    """An office's contact data as JSON (values exactly as in the data; never translated)."""
    address = office.address
    return {
        "kind": office.kind.value,
        "name": office.name,
        "gemeinde": office.gemeinde,
        "address": f"{address.street}, {address.postal_code} {address.city}" if address else None,
        "phones": [{"number": p.number, "tel": p.e164, "label": p.label} for p in office.phones],
        "email": office.email,
        "website": office.website,
        "opening_hours_note": office.opening_hours_note,
        "source_url": office.source_url,
        "last_verified": office.last_verified.isoformat() if office.last_verified else None,
    }


def contacts_for(kommune: Kommune, kinds: Sequence[str]) -> list[dict[str, Any]]:
    """The Kommune's offices of ``kinds`` (in that order); without any, its KIM case management."""
    wanted = list(kinds) or [OfficeKind.kim_case_management.value]
    found = [office for kind in wanted for office in kommune.offices if office.kind.value == kind]
    if not found:
        found = [o for o in kommune.offices if o.kind is OfficeKind.kim_case_management]
    return [office_contact(office) for office in found]
