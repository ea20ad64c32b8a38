"""Stop words and question words per language (kim_site/stopwords.yml), folded like texts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .faq import fold
from .load import read_data

MIXED_WITH = ("de", "en")  # people mix these with their own language


@cache
def _lists() -> dict[str, list[str]]:
    path = Path(__file__).parent / "stopwords.yml"
    data = read_data(path)
    return {str(locale): [str(word) for word in words] for locale, words in data.items()}


@cache
def stopwords_for(locale: str) -> frozenset[str]:
    """The reader's stop words plus German and English ones, folded into single words."""
    lists = _lists()
    words = [w for code in (locale, *MIXED_WITH) for w in lists.get(code, [])]
    return frozenset(token for word in words for token in fold(word).split())
