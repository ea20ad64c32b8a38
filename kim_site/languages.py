"""The site languages (i18n/languages.yml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .load import DataError, Problem, load_model

SOURCE_LOCALE = "de"


class Language(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    locale: str
    bcp47: str
    cldr: str
    name: str
    dir: Literal["ltr", "rtl"]
    material: bool
    argos: bool
    search: bool

    @property
    def url_prefix(self) -> str:
        """Folder of this language in the built site ('' for German, 'en/' ...)."""
        return "" if self.locale == SOURCE_LOCALE else f"{self.locale}/"


class _LanguageFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    languages: list[Language]


@cache
def load_languages(path: Path) -> tuple[Language, ...]:
    """The languages in file order; German (the source) comes first."""
    languages = load_model(path, _LanguageFile).languages
    if not languages or languages[0].locale != SOURCE_LOCALE:
        raise DataError(
            [Problem(path, 1, 1, "languages", f"the first language must be the source, {SOURCE_LOCALE!r}")]
        )
    return tuple(languages)
