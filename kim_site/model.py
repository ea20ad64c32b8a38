"""The data model: one Kommune file, its offices and staffing figures (pydantic v2, no IO).

Every field has a description (it becomes the JSON Schema that editors use for completion)
and, where useful, an example (error messages quote it as "write for example ...").
Unknown keys are rejected everywhere (``extra="forbid"``).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

# --- scalar types -------------------------------------------------------------------------

# Plain (unquoted) YAML scalars that YAML 1.1 tools (PyYAML, editors) read as numbers,
# booleans or sexagesimal times: 01067 -> 567, 8:30 -> 510, no -> False. Our loader keeps
# them as text, but other tools would not, so a text field must quote them.
_AMBIGUOUS_PLAIN = re.compile(
    r"""^(?:
        yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
      | [-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+)
      | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
      | [-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
    )$""",
    re.VERBOSE,
)


def _reject_ambiguous_plain(value: Any) -> Any:
    # The loader gives plain scalars as `str` and quoted ones as a str subclass.
    if type(value) is str and value and _AMBIGUOUS_PLAIN.match(value):
        raise ValueError(
            f'write {value} in quotes, like "{value}" (without quotes other YAML tools '
            "read it as a number, a time or yes/no)"
        )
    return value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_reject_ambiguous_plain), AfterValidator(_strip)]
"""Free text or a code; must be quoted in YAML when it looks like a number."""


def _check_url(value: str) -> str:
    value = value.strip()
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise ValueError(
            f"not a web address: {value!r}; write the full address starting with https:// "
            "(other schemes such as javascript: or data: are not allowed)"
        )
    return value


Url = Annotated[Text, AfterValidator(_check_url)]


def _check_email(value: str) -> str:
    try:
        # No DNS look-up: validation must work offline and stay deterministic.
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(
            f"not an e-mail address: {value!r} ({error}); write for example integration@kreis-beispiel.de"
        ) from None


Email = Annotated[Text, AfterValidator(_check_email)]


def _check_postal_code(value: str) -> str:
    if not re.fullmatch(r"\d{5}", value):
        raise ValueError(f'a German postal code has 5 digits: got {value!r}; write e.g. "59425"')
    return value


PostalCode = Annotated[Text, AfterValidator(_check_postal_code)]


def _check_time(value: str) -> str:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    if not match or int(match[1]) > 24 or int(match[2]) > 59:
        raise ValueError(f'not a time: {value!r}; write hours:minutes in quotes, e.g. "08:30"')
    return f"{int(match[1]):02d}:{match[2]}"


Time = Annotated[Text, AfterValidator(_check_time)]

Slug = Annotated[
    Text,
    Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", examples=["kreis-unna"]),
]

LanguageCode = Annotated[
    Text,
    Field(
        pattern=r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?$",
        description="Language code (ISO 639, optionally with script/region), e.g. ar, fa-AF.",
        examples=["ar"],
    ),
]


# --- vocabularies -------------------------------------------------------------------------


class KommuneKind(StrEnum):
    kreis = "kreis"
    kreisfreie_stadt = "kreisfreie_stadt"
    staedteregion = "staedteregion"
    # The city of Aachen belongs to the StädteRegion Aachen but is its own KIM area.
    regionsangehoerige_stadt = "regionsangehoerige_stadt"


class Regierungsbezirk(StrEnum):
    arnsberg = "arnsberg"
    detmold = "detmold"
    duesseldorf = "duesseldorf"
    koeln = "koeln"
    muenster = "muenster"


class OfficeKind(StrEnum):
    """The office kinds of ../shared/faq-catalogue.yml (`office_kinds`)."""

    ki = "ki"
    kim_case_management = "kim_case_management"
    auslaenderbehoerde = "auslaenderbehoerde"
    einbuergerungsbehoerde = "einbuergerungsbehoerde"
    jobcenter = "jobcenter"
    agentur_fuer_arbeit = "agentur_fuer_arbeit"
    sozialamt = "sozialamt"
    jugendamt = "jugendamt"
    wohnungsamt = "wohnungsamt"
    buergeramt = "buergeramt"
    migrationsberatung = "migrationsberatung"
    jugendmigrationsdienst = "jugendmigrationsdienst"
    antidiskriminierung = "antidiskriminierung"


class Weekday(StrEnum):
    mo = "mo"
    di = "di"
    mi = "mi"
    do = "do"
    fr = "fr"
    sa = "sa"
    so = "so"


# --- records ------------------------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where a set of facts comes from."""

    title: Text = Field(description="Title of the document or page, with its date.")
    url: Url | None = Field(
        default=None,
        description="Official web address of the source (empty if not available online).",
    )
    date: dt.date | None = Field(default=None, description="Date the source states (its 'Stand').")
    retrieved: dt.date | None = Field(default=None, description="Date the source was read.")


class Address(Strict):
    street: Text = Field(description="Street and house number.", examples=["Friedrich-Ebert-Straße 17"])
    postal_code: PostalCode = Field(description="Postal code, 5 digits, in quotes.", examples=["59425"])
    city: Text = Field(description="Town or city.", examples=["Unna"])


class Phone(Strict):
    number: Text = Field(
        description="Public phone number as it is written locally, in quotes.",
        examples=["02303 27-0"],
    )
    label: Text | None = Field(
        default=None, description="What the number is for, in German (e.g. 'Terminvergabe')."
    )

    @property
    def e164(self) -> str:
        """The number for `tel:` links (E.164, e.g. +49230327 0)."""
        return phonenumbers.format_number(
            phonenumbers.parse(self.number, "DE"), phonenumbers.PhoneNumberFormat.E164
        )

    @model_validator(mode="after")
    def _valid_german_format(self) -> Phone:
        try:
            parsed = phonenumbers.parse(self.number, "DE")
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_possible_number(parsed):
            raise ValueError(
                f"not a phone number: {self.number!r}; write the area code and number, "
                'e.g. "02303 27-0" or "+49 2303 27-0"'
            )
        return self


class OpeningHours(Strict):
    days: list[Weekday] = Field(
        min_length=1, description="Days: mo di mi do fr sa so.", examples=[["mo", "di"]]
    )
    opens: Time = Field(description="Opening time in quotes.", examples=["08:30"])
    closes: Time = Field(description="Closing time in quotes.", examples=["12:00"])

    @model_validator(mode="after")
    def _opens_before_closes(self) -> OpeningHours:
        if self.opens >= self.closes:
            raise ValueError(f"opens ({self.opens}) must be before closes ({self.closes})")
        return self


class Office(Strict):
    """An office newcomers may need. Contact values need a source and a check date."""

    kind: OfficeKind = Field(description="Office kind (see faq-catalogue office_kinds).")
    name: Text = Field(description="Official name of the office, in German.")
    gemeinde: Text | None = Field(
        default=None,
        description="For an office of a kreisangehörige Stadt or Gemeinde: its name "
        "(must be one of the Kommune's gemeinden). Empty: the office serves the whole Kommune.",
    )
    address: Address | None = None
    phones: list[Phone] = Field(default_factory=list)
    email: Email | None = Field(default=None, description="Functional e-mail address (no personal names).")
    website: Url | None = Field(default=None, description="Official web page of the office.")
    opening_hours: list[OpeningHours] = Field(default_factory=list)
    opening_hours_note: Text | None = Field(
        default=None, description="German note on opening hours, e.g. 'Termine nur nach Vereinbarung'."
    )
    languages: list[LanguageCode] = Field(
        default_factory=list, description="Languages spoken in the office (codes)."
    )
    accessibility: Text | None = Field(default=None, description="Accessibility notes in German.")
    note: Text | None = Field(default=None, description="Free-text note in German (plain language).")
    source_url: Url | None = Field(default=None, description="Official page the contact data was read from.")
    source_title: Text | None = Field(
        default=None, description="Document the office itself is known from, if not online."
    )
    last_verified: dt.date | None = Field(
        default=None, description="Date the contact data was last checked against the source."
    )

    @property
    def has_contacts(self) -> bool:
        return bool(self.address or self.phones or self.email or self.website or self.opening_hours)

    def contacts_verified_before(self, day: dt.date) -> bool:
        """Whether this office's contact data was last checked before ``day`` (so: outdated)."""
        return self.has_contacts and self.last_verified is not None and self.last_verified < day

    @model_validator(mode="after")
    def _contacts_need_a_source(self) -> Office:
        if self.has_contacts and (self.source_url is None or self.last_verified is None):
            raise ValueError(
                "contact data needs its source: add source_url (the official page you read) "
                "and last_verified (the date you read it, e.g. 2026-11-21)"
            )
        return self


class StaffingFigures(Strict):
    """KIM posts (VZÄ, full-time equivalents) of one Baustein."""

    stand: dt.date = Field(description="Date of the figures ('Stand').")
    allocated: float = Field(ge=0, description="Posts the state made available / assigned.")
    called: float = Field(ge=0, description="Posts called (Baustein 1) or planned by the Kommune.")
    filled: float = Field(ge=0, description="Posts filled on the reference date.")
    open: float = Field(ge=0, description="Posts open on the reference date.")

    @model_validator(mode="after")
    def _adds_up(self) -> StaffingFigures:
        if abs(self.filled + self.open - self.called) > 0.011:
            raise ValueError(f"filled ({self.filled}) + open ({self.open}) must equal called ({self.called})")
        return self


class Staffing(Strict):
    source: Source
    baustein_1: StaffingFigures = Field(description="Koordination (strategic overhead).")
    baustein_2: StaffingFigures = Field(description="Case management.")
    baustein_3: StaffingFigures = Field(description="Ausländer- und Einbürgerungsbehörden.")


class Gemeinde(Strict):
    name: Text = Field(description="Name of the Stadt or Gemeinde.")
    ags: Text | None = Field(
        default=None,
        pattern=r"^05\d{6}$",
        description="Amtlicher Gemeindeschlüssel, 8 digits, in quotes.",
        examples=["05978024"],
    )


class Kommune(Strict):
    """One KIM area: a Kreis, a kreisfreie Stadt, the StädteRegion Aachen or the city of Aachen."""

    slug: Slug = Field(description="Short name used in web addresses (a-z, 0-9, -).")
    name: Text = Field(description="Official name, e.g. 'Kreis Unna'.")
    kind: KommuneKind
    regierungsbezirk: Regierungsbezirk
    staffing: Staffing | None = Field(default=None, description="KIM posts per Baustein.")
    gemeinden: list[Gemeinde] = Field(
        default_factory=list, description="Member Städte and Gemeinden (Kreise only)."
    )
    gemeinden_source: Source | None = None
    offices: list[Office] = Field(default_factory=list)

    def has_sourced_contacts(self, kind: OfficeKind | None = None) -> bool:
        """Whether any office (of ``kind``, or of any kind) has sourced contact data."""
        return any(o.has_contacts for o in self.offices if kind is None or o.kind is kind)


# --- FAQ (data/faq.yml) ---------------------------------------------------------------------


class Topic(StrEnum):
    """The NRW-wide topic pages (docs/themen/<topic>.md); FAQ entries belong to one."""

    kim = "kim"
    aufenthalt = "aufenthalt"
    einbuergerung = "einbuergerung"
    arbeit = "arbeit"
    sprache = "sprache"
    wohnen = "wohnen"
    schule_kita = "schule-kita"
    gesundheit = "gesundheit"
    geld = "geld"
    beratung = "beratung"
    alltag = "alltag"


class FaqEntry(Strict):
    """One question newcomers ask, answered in plain German (the source of all translations)."""

    id: Slug = Field(
        description="Stable id from shared/faq-catalogue.yml; links and tests use it, never rename it.",
        examples=["residence-extend"],
    )
    topic: Topic = Field(description="The topic page the entry belongs to.")
    offices: list[OfficeKind] = Field(
        default_factory=list,
        description="Kinds of local office whose contacts the answer shows for the reader's Kommune.",
    )
    question: Text = Field(description="The question in plain German.")
    paraphrases: list[Text] = Field(
        min_length=1,
        description="Other ways people ask it, as they type it (colloquial, misspelled).",
    )
    keywords: list[Text] = Field(
        min_length=1, description="Words people type for it, misspellings included.", examples=[["Duldung"]]
    )
    answer: Text = Field(description="2 to 6 short sentences in plain German; Markdown links allowed.")
    source_url: Url = Field(description="Official page that supports the answer.")
    source_title: Text | None = Field(default=None, description="Title of the source page.")
    last_reviewed: dt.date = Field(description="Date the answer was last checked against the source.")
    volatile: bool = Field(
        default=False, description="true for rules that change often (fees, deadlines, new laws)."
    )


class FaqFile(Strict):
    faq: list[FaqEntry] = Field(min_length=1)
