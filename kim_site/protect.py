"""Keep what machine translation must not change, and check afterwards that it survived.

Before a German text goes to the model, every protected part is replaced by a numbered
marker ``⟦0⟧``, ``⟦1⟧`` ...: URLs, e-mail addresses, phone numbers, numbers and dates,
paragraph references (``§ 25a AufenthG``), Markdown link targets and formatting, inline
code, HTML, template placeholders (``{name}``, ``<!-- kim:topics -->``, ``{: lang="de" }``)
and the official German terms of the glossary (``i18n/glossary.yml``). After translation
every marker must come back exactly once (links: opening before closing); then the markers
are replaced by the original text. A translation that lost, doubled or damaged a marker is
rejected, never written.

Markers are bracketed numbers because NMT models copy digits, and the brackets are rare
enough that sentencepiece keeps them as unknown pieces, which CTranslate2 copies from the
source (``replace_unknowns``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .load import load_model

MARKER = "⟦{}⟧"
_MARKER = re.compile(r"⟦\s*(\d+)\s*⟧")
_BROKEN = re.compile(r"[⟦⟧]")

_MONTHS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
_LAW = r"(?:[A-ZÄÖÜ][A-Za-zÄÖÜäöüß]*G|SGB\s+[IVX]+|BGB|AufenthV|BeschV|AsylbLG)"

# (kind, pattern) in priority order: at each position the first that matches wins, so a URL
# is taken whole before the number or the glossary term inside it.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("comment", r"<!--.*?-->"),
    ("attribute", r"\{:[^}\n]*\}"),
    ("placeholder", r"\{[A-Za-z_][A-Za-z0-9_]*\}"),
    ("code", r"`[^`\n]+`"),
    ("link-close", r"\]\((?:[^()\s]|\([^()\s]*\))+(?:\s+\"[^\"]*\")?\)"),
    ("link-open", r"!?\[(?=[^\[\]\n]*\]\()"),
    ("autolink", r"<(?:https?://|mailto:)[^>\s]+>"),
    ("html", r"</?[A-Za-z][^<>\n]*>"),
    ("url", r"(?:https?://|www\.)[^\s<>\"'\]]*[^\s<>\"'\].,;:!?)]"),
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    (
        "paragraph",
        r"§§?\s*\d+[a-z]?(?:\s+(?:Abs\.|Absatz)\s*\d+)?(?:\s+(?:S\.|Satz)\s*\d+)?"
        rf"(?:\s+Nr\.\s*\d+)?(?:\s+{_LAW}\b)?",
    ),
    (
        "date",
        rf"\b\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
        rf"|\b\d{{1,2}}\.\s(?:{_MONTHS})(?:\s\d{{4}})?|\b\d{{1,2}}[:.]\d{{2}}(?:\s?Uhr\b)?",
    ),
    ("phone", r"(?<![\w/])(?:\+\d{1,3}[ -]?)?\(?0\d{2,5}\)?[ /-]?\d{2,}(?:[ -]\d{1,6})*\b"),
    ("number", r"\b\d+(?:[.,/]\d+)*\b"),
    ("format", r"\*{1,3}|_{2}"),
)


class GlossaryTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str = Field(min_length=1, description="The official German term; it stays German.")
    explain: dict[str, str] = Field(
        default_factory=dict,
        description="Optional short explanation per locale, written before the term in brackets.",
    )


class _GlossaryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: list[GlossaryTerm] = Field(default_factory=list)


@dataclass(frozen=True)
class Glossary:
    """Official German terms that translations keep in German (``i18n/glossary.yml``)."""

    terms: tuple[GlossaryTerm, ...] = ()

    @classmethod
    def load(cls, path: Path) -> Glossary:
        if not path.exists():
            return cls()
        return cls(tuple(load_model(path, _GlossaryFile, default={}).terms))

    def rendering(self, text: str, locale: str) -> str:
        """The term as it appears in ``locale``: German, after an explanation if there is one."""
        for entry in self.terms:
            if text.startswith(entry.term) and locale in entry.explain:
                return f"{entry.explain[locale]} ({text})"
        return text


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True)
class Masked:
    """A text with its protected parts replaced by markers."""

    text: str
    tokens: tuple[Token, ...] = ()

    @property
    def needs_model(self) -> bool:
        """False when nothing is left to translate (only markers, spaces, punctuation)."""
        return bool(re.search(r"[^\W\d_]", _MARKER.sub("", self.text)))


class LostTokens(Exception):
    """A translation lost, doubled or damaged protected parts."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Protector:
    glossary: Glossary = field(default_factory=Glossary)

    def __post_init__(self) -> None:
        patterns = list(_PATTERNS)
        terms = sorted({t.term for t in self.glossary.terms}, key=lambda t: (-len(t), t))
        if terms:
            # Inflected forms stay whole: Ausländerbehörden, des Jobcenters.
            alternatives = "|".join(re.escape(t) for t in terms)
            patterns.insert(len(patterns) - 1, ("term", rf"(?<!\w)(?:{alternatives})\w*"))
        self._kinds = [kind for kind, _ in patterns]
        self._pattern = re.compile("|".join(f"({p})" for _, p in patterns), re.S)

    def mask(self, text: str) -> Masked:
        tokens: list[Token] = []

        def replace(match: re.Match[str]) -> str:
            kind = self._kinds[match.lastindex - 1] if match.lastindex else "text"
            if kind == "phone" and sum(c.isdigit() for c in match[0]) < 6:
                kind = "number"  # "042/21": a file number, not a phone number
            tokens.append(Token(kind, match[0]))
            return MARKER.format(len(tokens) - 1)

        return Masked(self._pattern.sub(replace, text), tuple(tokens))

    def unmask(self, translated: str, masked: Masked, locale: str) -> str:
        """The translation with the protected parts put back (raises LostTokens)."""
        positions: dict[int, int] = {}
        problems: list[str] = []
        for match in _MARKER.finditer(translated):
            index = int(match[1])
            if index >= len(masked.tokens):
                problems.append(f"unknown marker {match[0]}")
            elif index in positions:
                problems.append(f"doubled: {masked.tokens[index].text}")
            else:
                positions[index] = match.start()
        problems += [f"lost: {t.text}" for i, t in enumerate(masked.tokens) if i not in positions]
        if _BROKEN.search(_MARKER.sub("", translated)):
            problems.append("damaged marker")
        opened: int | None = None
        for index, token in enumerate(masked.tokens):
            if token.kind == "link-open":
                opened = index
            elif token.kind == "link-close" and opened is not None:
                if opened in positions and index in positions and positions[opened] > positions[index]:
                    problems.append(f"link text and target swapped: {token.text}")
                opened = None
        if problems:
            raise LostTokens(problems)

        def restore(match: re.Match[str]) -> str:
            token = masked.tokens[int(match[1])]
            return self.glossary.rendering(token.text, locale) if token.kind == "term" else token.text

        return _MARKER.sub(restore, translated)
