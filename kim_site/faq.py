"""The FAQ helper's matcher: normalise a question, score it against the FAQ texts, rank.

The same index (a JSON-able dict, see :mod:`kim_site.faq_index`) drives this matcher and the
browser widget (docs/assets/faq-helper.js); both normalise and score in the same way, so a
question gets the same top answer on the command line and on the phone (a parity test runs
the widget's code under Node).

Scoring, per FAQ entry, over its texts (questions, paraphrases, keywords in the reader's
language, German and English), with rapidfuzz (fuzzball in the browser), scores rounded to
integers so both sides compare equal:
- ``best``: the highest ``token_set_ratio`` (how well the question's words are covered);
- ``whole``: the highest ``token_sort_ratio`` (how similar the whole text is), which breaks
  the many ties of ``best`` (a one-word question is contained in many texts);
- ``score = (2 * best + whole) / 3``; an entry below ``threshold`` is no answer at all, so an
  off-topic question gets no match instead of a random one.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

# Letters that look alike and are typed interchangeably: Arabic and Persian yeh and kaf,
# alef maksura, teh marbuta (written as heh in everyday typing), and Arabic-Indic digits.
_LETTERS = str.maketrans(
    {
        "\u0649": "\u064a",  # alef maksura -> yeh
        "\u06cc": "\u064a",  # Farsi yeh -> Arabic yeh
        "\u06a9": "\u0643",  # keheh -> kaf
        "\u0629": "\u0647",  # teh marbuta -> heh
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)
_UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))
_TATWEEL = "\u0640"

# Default minimum score (0..100) of an answer; the index records the value it was built with.
THRESHOLD = 72.0


def fold(text: str) -> str:
    """Case, Unicode form, umlaut spellings, diacritics, letter variants, punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    for umlaut, spelled in _UMLAUTS:
        text = text.replace(umlaut, spelled)
    # Harakat, hamza marks, accents and tatweel go: people type with and without them.
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn" and ch != _TATWEEL
    )
    text = text.translate(_LETTERS)
    return "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text)


def normalise(text: str, stopwords: frozenset[str] | set[str]) -> str:
    """The text as the scorer sees it: folded words without stop words, single spaces."""
    return " ".join(word for word in fold(text).split() if word not in stopwords)


@dataclass(frozen=True)
class Match:
    id: str
    score: float
    question: str
    answer: str
    url: str
    offices: tuple[str, ...]


def _best(query: str, texts: list[str], scorer: Any) -> int:
    hit = process.extractOne(query, texts, scorer=scorer, processor=None)
    return _round(hit[1]) if hit else 0


def _round(score: float) -> int:
    # Half up, like JavaScript's Math.round, which fuzzball uses.
    return math.floor(score + 0.5)


class FaqMatcher:
    """Ranks FAQ entries for a question, from one language's index (see faq_index)."""

    def __init__(self, index: dict[str, Any]):
        self.index = index
        self.entries: list[dict[str, Any]] = index["entries"]
        self.choices: list[str] = index["choices"]
        self.owner: list[int] = index["owner"]
        self.stopwords = frozenset(index["stopwords"])
        self.threshold = float(index["threshold"])
        # Each entry's texts, so that rapidfuzz's C++ loop does the scoring per entry.
        self.by_entry: list[list[str]] = [[] for _ in self.entries]
        for choice, entry in zip(self.choices, self.owner, strict=True):
            self.by_entry[entry].append(choice)

    def scores(self, question: str) -> list[tuple[int, int, int]]:
        """(entry, best, whole) for every entry that can reach the threshold."""
        query = normalise(question, self.stopwords)
        if not query:
            return []
        found = []
        for entry, texts in enumerate(self.by_entry):
            if not texts:
                continue
            best = _best(query, texts, fuzz.token_set_ratio)
            # score = (2 * best + whole) / 3 and whole <= 100: skip entries that cannot pass.
            if 2 * best + 100 >= 3 * self.threshold:
                found.append((entry, best, _best(query, texts, fuzz.token_sort_ratio)))
        return found

    def ask(self, question: str, limit: int = 3) -> list[Match]:
        ranked = []
        for entry, best, whole in self.scores(question):
            combined = 2 * best + whole
            if combined >= 3 * self.threshold:
                ranked.append((-combined, -best, entry))
        ranked.sort()
        return [self._match(entry, -combined / 3) for combined, _, entry in ranked[:limit]]

    def _match(self, position: int, score: float) -> Match:
        entry = self.entries[position]
        return Match(
            id=entry["id"],
            score=round(score, 1),
            question=entry["q"],
            answer=entry["a"],
            url=entry["url"],
            offices=tuple(entry["offices"]),
        )


def unique(texts: Iterable[str]) -> list[str]:
    """Texts in first-seen order without repeats or empties."""
    seen: dict[str, None] = {}
    for text in texts:
        if text:
            seen.setdefault(text, None)
    return list(seen)
