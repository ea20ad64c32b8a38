"""The FAQ helper's matcher: normalise a question, score it against the FAQ texts, rank.

The same index (a JSON-able dict, see :mod:`kim_site.faq_index`) drives this matcher and the
browser widget (docs/assets/faq-helper.js); both normalise and score in the same way, so a
question gets the same top answer on the command line and on the phone (a parity test runs
the widget's code under Node).

Scoring, per FAQ entry, over its texts (questions, paraphrases, keywords in the reader's
language, German and English), with rapidfuzz (fuzzball in the browser), scores rounded to
integers so both sides compute the same numbers:
- ``cover``: how much of the question the entry explains. Each question word is matched
  fuzzily against the entry's words: ``ratio`` >= ``WORD_MATCH`` (typos count), or the same
  first ``PREFIX`` letters over at least ``PREFIX_SHARE`` % of the longer word (inflections
  and compounds: "Monaten"/"Monat", "anerkannt"/"Anerkennung", "Aufenthaltstitel"/
  "Aufenthaltserlaubnis"; such a match scores ``WORD_MATCH``). Each word is weighted by how
  rare its best match is among all entries (inverse document frequency): "Kindergeld" says
  more than "Jobcenter", which many entries mention. A word no entry knows ("weather")
  weighs the most and is covered by none, so off-topic questions score low; but an unknown
  number or place name ("seit 14 Monaten", "in Essen") weighs nothing: it tells where or
  when, not what.
- ``whole``: how the question's phrasing as a whole resembles one of the entry's texts: the
  mean of the best ``token_sort_ratio`` (same words, any order) and the best
  ``token_set_ratio`` (one text's words inside the other: long questions with context).
- ``score = (3 * cover + 2 * whole) / 5``. When the best entry scores below ``threshold``
  the question gets no answer at all (off-topic); otherwise the next entries follow if they
  score at least ``ALSO_SHOWN`` (second and third guesses help when the best is wrong).

The constants were chosen on every second question of the evaluation set (the other half
was held out); BENCHMARKS.md reports both.
"""

from __future__ import annotations

import bisect
import math
import os
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
PLACE_WORD_MIN = 4  # shorter name parts ("Bad", "an der") are not taken as place names

# Default minimum score (0..100) of an answer; the index records the value it was built with.
THRESHOLD = 46.0
ALSO_SHOWN = 20.0  # further answers, once the best one passed the threshold
WORD_MATCH = 85  # a question word matches an FAQ word from this ratio on (typos)
PREFIX = 5  # ... or when both start with the same 5 letters
PREFIX_SHARE = 40  # ... covering at least 40 % of the longer word


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
        self.stopwords = frozenset(index["stopwords"])
        self.threshold = float(index["threshold"])
        self.also_shown = float(index["also_shown"])
        self.word_match = int(index["word_match"])
        self.prefix = int(index["prefix"])
        self.prefix_share = int(index["prefix_share"])
        self.vocab: list[str] = index["vocab"]
        self.idf: list[int] = index["idf"]
        self.unknown_weight: int = index["unknown_weight"]
        # Words of the Kommunen's and Gemeinden's names: context, not topic.
        self.places = sorted(
            {
                word
                for kommune in index["kommunen"]
                for name in [kommune["name"], *kommune["places"]]
                for word in fold(name).split()
                if len(word) >= int(index["place_word_min"])
            }
        )
        self.entry_words: list[frozenset[int]] = [frozenset(words) for words in index["entry_words"]]
        # Each entry's texts, so that rapidfuzz's C++ loop does the scoring per entry.
        self.by_entry: list[list[str]] = [[] for _ in self.entries]
        for choice, entry in zip(index["choices"], index["owner"], strict=True):
            self.by_entry[entry].append(choice)

    def _word_matches(self, word: str) -> tuple[int, dict[int, int]]:
        """The word's weight and its fuzzy matches in the vocabulary (index -> score)."""
        hits = process.extract(
            word, self.vocab, scorer=fuzz.ratio, processor=None, limit=None, score_cutoff=self.word_match - 1
        )
        matches = {position: _round(score) for _, score, position in hits if _round(score) >= self.word_match}
        for position in self._same_start(word):
            matches.setdefault(position, self.word_match)
        if not matches:
            return (0 if self._is_context(word) else self.unknown_weight), {}
        top = max(matches.values())
        return max(self.idf[v] for v, score in matches.items() if score == top), matches

    def _same_start(self, word: str) -> list[int]:
        """Vocabulary words that start like ``word`` (see PREFIX and PREFIX_SHARE)."""
        if len(word) < self.prefix:
            return []
        head = word[: self.prefix]
        found = []
        # The vocabulary is sorted: the words starting with ``head`` are one run.
        for position in range(bisect.bisect_left(self.vocab, head), len(self.vocab)):
            other = self.vocab[position]
            if not other.startswith(head):
                break
            common = len(os.path.commonprefix([word, other]))
            if 100 * common >= self.prefix_share * max(len(word), len(other)):
                found.append(position)
        return found

    def _is_context(self, word: str) -> bool:
        """An unknown number or (misspelt) place name: where or when, not what."""
        if word.isascii() and word.isdigit():
            return True
        # A hit at word_match - 0.5 is one that rounds (half up) to word_match.
        hit = process.extractOne(
            word, self.places, scorer=fuzz.ratio, processor=None, score_cutoff=self.word_match - 0.5
        )
        return hit is not None

    def scores(self, question: str) -> list[tuple[int, float, float]]:
        """(entry, cover, whole) for every entry that can reach the threshold."""
        query = normalise(question, self.stopwords)
        words = unique(query.split())
        if not words:
            return []
        weighted = [self._word_matches(word) for word in words]
        total = sum(weight for weight, _ in weighted)
        if not total:
            return []  # only places and numbers: nothing to answer
        found = []
        for entry, texts in enumerate(self.by_entry):
            known = self.entry_words[entry]
            covered = 0
            for weight, matches in weighted:
                covered += weight * max((score for v, score in matches.items() if v in known), default=0)
            cover = covered / total
            # score = (3 * cover + 2 * whole) / 5 and whole <= 100: skip hopeless entries.
            if texts and 3 * cover + 200 >= 5 * self.also_shown:
                same_words = _best(query, texts, fuzz.token_sort_ratio)
                one_in_other = _best(query, texts, fuzz.token_set_ratio)
                whole = (same_words + one_in_other) / 2
                found.append((entry, cover, whole))
        return found

    def ask(self, question: str, limit: int = 3) -> list[Match]:
        ranked = []
        for entry, cover, whole in self.scores(question):
            score = (3 * cover + 2 * whole) / 5
            if score >= self.also_shown:
                ranked.append((-score, entry))
        ranked.sort()
        if not ranked or -ranked[0][0] < self.threshold:
            return []
        return [self._match(entry, -score) for score, entry in ranked[:limit]]

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
