"""Split German text into sentences, by rule, with nothing to download.

NMT models translate sentence by sentence. argostranslate splits with stanza, spaCy or
MiniSBD models that it downloads on first use (and fails offline). The site's German is
plain (Einfache Sprache): a sentence ends at . ! or ? followed by a space and a capital
letter, a digit, a quote or a protection marker, unless the word before the point is a
common abbreviation ("z. B.", "Nr.") or an ordinal ("9. Februar" is protected as a date
before splitting anyway).
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    [
        "z",
        "B",
        "bzw",
        "ca",
        "d",
        "h",
        "u",
        "a",
        "o",
        "usw",
        "etc",
        "vgl",
        "Nr",
        "Abs",
        "S",
        "Dr",
        "Prof",
        "Str",
        "St",
        "Hr",
        "Fr",
        "ggf",
        "inkl",
        "evtl",
        "bspw",
        "sog",
        "ff",
        "Tel",
        "Mo",
        "Di",
        "Mi",
        "Do",
        "Sa",
        "So",
        "Jan",
        "Feb",
        "Aug",
        "Sept",
        "Okt",
        "Nov",
        "Dez",
    ]
)
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ0-9„\"'(⟦])")
_LAST_WORD = re.compile(r"(\w+)\.$")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (joined with one space they give ``text`` back)."""
    text = " ".join(text.split())
    if not text:
        return []
    sentences: list[str] = []
    for piece in _BOUNDARY.split(text):
        if sentences and _ends_with_abbreviation(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _ends_with_abbreviation(sentence: str) -> bool:
    last = _LAST_WORD.search(sentence)
    return last is not None and (last[1] in _ABBREVIATIONS or last[1].isdigit())
