"""Place finder: a town's name (with typos, without umlauts) -> the responsible Kommune page.

Newcomers know the name of their town, rarely their Kreis. The places are the 396 NRW
Gemeinden of data/gemeinden.yml (each mapped to its KIM area) plus the names of the 54
KIM areas themselves ("Kreis Unna", "StädteRegion Aachen").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field
from rapidfuzz import fuzz, process

from .faq import fold
from .load import DataError, Problem, load_model
from .model import Kommune, Slug, Source, Strict, Text

GEMEINDEN_FILE = "gemeinden.yml"
MIN_SCORE = 80.0
# Words that name the kind of place, not the place: "Stadt Lünen" should find Lünen.
_GENERIC = frozenset(
    {"stadt", "kreis", "gemeinde", "in", "im", "der", "die", "das", "an", "am", "city", "of"}
)


class GemeindeRow(Strict):
    ags: Text = Field(pattern=r"^05\d{6}$", description="Amtlicher Gemeindeschlüssel, in quotes.")
    name: Text
    stadt: bool = False
    kommune: Slug = Field(description="Slug of the KIM area the Gemeinde belongs to.")


class GemeindenSource(Source):
    upstream: Text | None = None


class GemeindenFile(Strict):
    source: GemeindenSource
    gemeinden: list[GemeindeRow]


@dataclass(frozen=True)
class Place:
    name: str
    kommune: str  # slug
    kommune_name: str


@dataclass(frozen=True)
class PlaceMatch:
    kommune: str
    gemeinde: str
    score: float
    url: str


def load_gemeinden(data_dir: Path) -> list[GemeindeRow]:
    path = data_dir / GEMEINDEN_FILE
    return load_model(path, GemeindenFile).gemeinden


def places(kommunen: Iterable[Kommune], gemeinden: Iterable[GemeindeRow], path: Path) -> list[Place]:
    """Every Gemeinde and every KIM area by name; raises DataError for an unknown area."""
    by_slug = {k.slug: k for k in kommunen}
    found = [Place(k.name, k.slug, k.name) for k in by_slug.values()]
    problems = []
    for row in gemeinden:
        kommune = by_slug.get(row.kommune)
        if kommune is None:
            problems.append(Problem(path, 1, 1, row.ags, f"unknown KIM area {row.kommune!r} for {row.name}"))
            continue
        found.append(Place(row.name, kommune.slug, kommune.name))
    if problems:
        raise DataError(problems)
    return found


def _key(name: str) -> str:
    return " ".join(word for word in fold(name).split() if word not in _GENERIC) or fold(name).strip()


class PlaceFinder:
    def __init__(self, known: Iterable[Place]):
        self.places = list(known)
        self.keys = [_key(place.name) for place in self.places]

    def find(self, query: str, limit: int = 5) -> list[PlaceMatch]:
        key = _key(query)
        if not key:
            return []
        results: dict[str, PlaceMatch] = {}  # best place per Kommune
        hits = process.extract(key, self.keys, scorer=fuzz.WRatio, processor=None, limit=None)
        for _, score, position in sorted(hits, key=lambda hit: (-hit[1], hit[2])):
            if score < MIN_SCORE:
                break
            place = self.places[position]
            if place.kommune not in results:
                results[place.kommune] = PlaceMatch(
                    kommune=place.kommune,
                    gemeinde=place.name,
                    score=round(score, 1),
                    url=f"kommunen/{place.kommune}/",
                )
            if len(results) >= limit:
                break
        return list(results.values())
