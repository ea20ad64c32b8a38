"""Models -> Markdown for one language (pure functions, no IO).

Every value from YAML is HTML-escaped (``esc``) or Markdown-escaped (``md_text``) before it
reaches the page; links are built only from validated http(s) URLs, e-mail addresses and
E.164 phone numbers. Contacts, names and addresses are never translated.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable
from urllib.parse import quote, urlencode

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from .catalog import Status
from .model import Kommune, KommuneKind, Office, OfficeKind, Regierungsbezirk, StaffingFigures
from .translator import Translator, wrap_missing

# German labels of the vocabularies (catalog entries like every other German text).
KIND_LABELS = {
    KommuneKind.kreis: "Kreis",
    KommuneKind.kreisfreie_stadt: "Kreisfreie Stadt",
    KommuneKind.staedteregion: "StädteRegion",
    KommuneKind.regionsangehoerige_stadt: "Stadt in der StädteRegion Aachen mit eigenem KIM",
}
REGIERUNGSBEZIRK_NAMES = {
    Regierungsbezirk.arnsberg: "Arnsberg",
    Regierungsbezirk.detmold: "Detmold",
    Regierungsbezirk.duesseldorf: "Düsseldorf",
    Regierungsbezirk.koeln: "Köln",
    Regierungsbezirk.muenster: "Münster",
}
# ../shared/faq-catalogue.yml office_kinds, in the order a newcomer needs them.
OFFICE_KIND_LABELS = {
    OfficeKind.kim_case_management: "KIM-Case-Management (persönliche Begleitung)",
    OfficeKind.ki: "Kommunales Integrationszentrum",
    OfficeKind.auslaenderbehoerde: "Ausländerbehörde",
    OfficeKind.einbuergerungsbehoerde: "Einbürgerungsbehörde",
    OfficeKind.jobcenter: "Jobcenter",
    OfficeKind.agentur_fuer_arbeit: "Agentur für Arbeit",
    OfficeKind.sozialamt: "Sozialamt",
    OfficeKind.jugendamt: "Jugendamt",
    OfficeKind.wohnungsamt: "Wohnungsamt / Wohnberechtigungsschein",
    OfficeKind.buergeramt: "Bürgeramt / Meldebehörde",
    OfficeKind.migrationsberatung: "Migrationsberatung für erwachsene Zugewanderte (MBE)",
    OfficeKind.jugendmigrationsdienst: "Jugendmigrationsdienst (JMD)",
    OfficeKind.antidiskriminierung: "Servicestelle für Antidiskriminierungsarbeit",
}
_KIND_ORDER = {kind: index for index, kind in enumerate(OFFICE_KIND_LABELS)}
# Material's search leaves out elements with this attribute. For the notices repeated on many
# pages: they would make up much of every language's search index (loaded on the first page
# view) and match almost any query about contacts or translations.
NOT_SEARCHED = "data-search-exclude"
_WEEKDAY_INDEX = {"mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6}

# Markdown punctuation; <, > and & are already entities (html.escape) when this applies.
# Only characters Python-Markdown can escape (| and ~ are not: escaped, they showed "\|").
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def esc(value: str) -> str:
    return html.escape(value, quote=True)


def md_text(value: str) -> str:
    """Text from YAML made inert for Markdown (headings, link texts)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


_YAML_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def front_matter_title(value: str) -> str:
    """Page title for <title> and the navigation, which MkDocs and Material insert as HTML."""
    quoted = json.dumps(html.escape(value, quote=False), ensure_ascii=False)
    # YAML refuses some characters JSON leaves raw (DEL, C1 controls...): escape them as \uXXXX.
    quoted = _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)
    return "---\ntitle: " + quoted + "\n---\n\n"


def kommune_path(kommune: Kommune) -> str:
    return f"kommunen/{kommune.slug}.md"


class Formats:
    """Dates, numbers and language names in the reader's language (CLDR via babel)."""

    def __init__(self, cldr: str):
        self.locale = Locale.parse(cldr)
        # Arabic-script languages separate list items with the Arabic comma. (babel's
        # format_list raises KeyError for some locales in 2.18, so the rule is written here.)
        self.separator = "، " if self.locale.character_order == "right-to-left" else ", "

    def join(self, items: Iterable[str]) -> str:
        return self.separator.join(items)

    def date(self, value: object) -> str:
        return format_date(value, "long", locale=self.locale)  # type: ignore[arg-type]

    def number(self, value: float) -> str:
        return format_decimal(value, "#,##0.00", locale=self.locale)

    def language_name(self, code: str) -> str:
        name = self.locale.languages.get(code.replace("-", "_")) or self.locale.languages.get(
            code.split("-")[0]
        )
        return name or code

    def weekday(self, code: str) -> str:
        return self.locale.days["format"]["abbreviated"][_WEEKDAY_INDEX[code]]


# --- Kommune page ----------------------------------------------------------------------------


def render_kommune(
    kommune: Kommune, tr: Translator, fmt: Formats, origin: str, outdated_before: dt.date | None = None
) -> str:
    """The Kommune page; offices whose contacts were verified before ``outdated_before`` say so."""
    parts = [front_matter_title(kommune.name) + f"# {md_text(kommune.name)}", ""]
    region = fill(
        tr.html("Regierungsbezirk {name}"), name=esc(REGIERUNGSBEZIRK_NAMES[kommune.regierungsbezirk])
    )
    parts.append(f'<p class="kim-lead">{tr.html(KIND_LABELS[kommune.kind])} · {region}</p>')
    parts.append("")
    parts.append(_heading(2, "Ämter und Beratung", tr))
    parts.append("")
    if not kommune.has_sourced_contacts():
        parts.append(_no_contacts_notice(kommune, tr))
        parts.append("")
    elif not kommune.has_sourced_contacts(OfficeKind.kim_case_management):
        parts.append(_no_case_management_notice(kommune, tr))
        parts.append("")
    for office in sorted(kommune.offices, key=lambda o: (_KIND_ORDER[o.kind], o.gemeinde or "", o.name)):
        parts.append(_office(office, kommune, tr, fmt, origin, outdated_before))
        parts.append("")
    if kommune.gemeinden:
        parts.append(_gemeinden(kommune, tr))
        parts.append("")
    if kommune.staffing:
        parts.append(_staffing(kommune, tr, fmt))
    return "\n".join(parts).rstrip() + "\n"


def _heading(level: int, msgid: str, tr: Translator) -> str:
    found = tr.get(msgid)
    suffix = ' {: lang="de" }' if found.status is Status.missing else ""
    return f"{'#' * level} {md_text(found.text)}{suffix}"


def _no_contacts_notice(kommune: Kommune, tr: Translator) -> str:
    first = fill(
        tr.html(
            "Für {name} haben wir noch keine geprüften Kontaktdaten. Wir zeigen nur Angaben "
            "aus offiziellen Quellen."
        ),
        name=esc(kommune.name),
    )
    second = tr.html(
        "Was Sie jetzt tun können: Gehen Sie zur Verwaltung Ihrer Stadt oder Gemeinde oder "
        "rufen Sie dort an. Fragen Sie nach dem Kommunalen Integrationszentrum oder nach dem "
        "Case Management im KIM. Die Adresse finden Sie auf der offiziellen Internetseite "
        "Ihrer Stadt, Ihrer Gemeinde oder Ihres Kreises."
    )
    return _notice("missing", first, second)


def _no_case_management_notice(kommune: Kommune, tr: Translator) -> str:
    # The case management is what KIM offers a newcomer: its absence must not go unnoticed.
    text = fill(
        tr.html(
            "Für {name} haben wir noch keine Kontaktdaten des Case Managements im KIM (persönliche "
            "Begleitung) aus offiziellen Quellen. Fragen Sie beim Kommunalen Integrationszentrum "
            "oder bei der Verwaltung Ihrer Stadt oder Gemeinde danach."
        ),
        name=esc(kommune.name),
    )
    return _notice("missing-case-management", text)


def _notice(modifier: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)
    return f'<div class="kim-notice kim-notice--{modifier}" role="note" {NOT_SEARCHED}>\n{body}</div>'


def _office(
    office: Office,
    kommune: Kommune,
    tr: Translator,
    fmt: Formats,
    origin: str,
    outdated_before: dt.date | None,
) -> str:
    rows: list[tuple[str, str]] = []
    if office.gemeinde:
        rows.append(("Zuständig für", esc(office.gemeinde)))
    else:
        rows.append(("Zuständig für", esc(kommune.name)))
    if office.address:
        a = office.address
        query = urlencode({"query": f"{a.street}, {a.postal_code} {a.city}"})
        rows.append(
            (
                "Adresse",
                f"{esc(a.street)}<br>{esc(a.postal_code)} {esc(a.city)}<br>"
                f'<a href="https://www.openstreetmap.org/search?{esc(query)}" rel="noopener">'
                f"{tr.html('Auf der Karte zeigen (OpenStreetMap)')}</a>",
            )
        )
    if office.phones:
        items = []
        for phone in office.phones:
            label = f" ({_free_text(phone.label, tr, origin)})" if phone.label else ""
            items.append(f'<a href="tel:{esc(phone.e164)}">{esc(phone.number)}</a>{label}')
        rows.append(("Telefon", "<br>".join(items)))
    if office.email:
        rows.append(
            ("E-Mail", f'<a href="mailto:{esc(quote(office.email, safe="@.+-_"))}">{esc(office.email)}</a>')
        )
    if office.website:
        rows.append(("Internet", f'<a href="{esc(office.website)}" rel="noopener">{esc(office.website)}</a>'))
    if office.opening_hours or office.opening_hours_note:
        hours = [
            f"<li>{esc(fmt.join(fmt.weekday(d) for d in slot.days))}: "
            f'<span dir="ltr">{esc(slot.opens)}–{esc(slot.closes)}</span></li>'
            for slot in office.opening_hours
        ]
        value = f"<ul>{''.join(hours)}</ul>" if hours else ""
        if office.opening_hours_note:
            value += f"<p>{_free_text(office.opening_hours_note, tr, origin)}</p>"
        rows.append(("Öffnungszeiten", value))
    if office.languages:
        rows.append(("Sprachen", esc(fmt.join(fmt.language_name(code) for code in office.languages))))
    if office.accessibility:
        rows.append(("Barrierefreiheit", _free_text(office.accessibility, tr, origin)))
    if office.note:
        rows.append(("Hinweis", _free_text(office.note, tr, origin)))

    body = "".join(f"<dt>{tr.html(label)}</dt><dd>{value}</dd>" for label, value in rows)
    if office.has_contacts and office.last_verified and office.source_url:
        checked = fill(tr.html("Kontaktdaten geprüft am {date}"), date=esc(fmt.date(office.last_verified)))
        source = f'<a href="{esc(office.source_url)}" rel="noopener">{tr.html("Quelle")}</a>'
        footer = f'<p class="kim-office__verified" {NOT_SEARCHED}>{checked} · {source}</p>'
        if outdated_before and office.contacts_verified_before(outdated_before):
            # The build warns the editors; the newcomer reading the page must be told as well.
            outdated = tr.html(
                "Diese Kontaktdaten wurden lange nicht geprüft. Sie können sich geändert haben. "
                "Prüfen Sie sie, bevor Sie hingehen: Rufen Sie an oder sehen Sie auf der "
                "Internetseite der Stelle nach."
            )
            footer += f'\n<p class="kim-office__outdated" role="note" {NOT_SEARCHED}>{outdated}</p>'
    else:
        unverified = tr.html("Für diese Stelle liegen noch keine geprüften Kontaktdaten vor.")
        missing = "kim-office__verified kim-office__verified--missing"
        footer = f'<p class="{missing}" {NOT_SEARCHED}>{unverified}</p>'
        if office.source_title:
            known = fill(
                tr.html("Bekannt aus: {source}"), source=f'<span lang="de">{esc(office.source_title)}</span>'
            )
            footer += f'<p class="kim-office__source" {NOT_SEARCHED}>{known}</p>'
    kind = tr.html(OFFICE_KIND_LABELS[office.kind])
    return (
        f"### {md_text(office.name)}\n\n"
        f'<div class="kim-office">\n<p class="kim-office__kind">{kind}</p>\n'
        f"<dl>{body}</dl>\n{footer}\n</div>"
    )


def _free_text(text: str, tr: Translator, origin: str) -> str:
    """German free text from YAML: translated like any other text, always escaped."""
    return tr.html(text, origin=origin)


def _gemeinden(kommune: Kommune, tr: Translator) -> str:
    own: dict[str, list[str]] = {}
    for office in kommune.offices:
        if office.gemeinde:
            own.setdefault(office.gemeinde, []).append(office.kind)
    items = []
    for gemeinde in sorted(kommune.gemeinden, key=lambda g: g.name):
        line = f"<li>{esc(gemeinde.name)}"
        if gemeinde.name in own:
            kinds = ", ".join(
                tr.html(OFFICE_KIND_LABELS[OfficeKind(k)])
                for k in sorted(set(own[gemeinde.name]), key=lambda k: _KIND_ORDER[OfficeKind(k)])
            )
            line += f" – {tr.html('eigene Stelle')}: {kinds}"
        items.append(line + "</li>")
    intro = fill(
        tr.html(
            "Zu {name} gehören diese Städte und Gemeinden. Wo eine Stadt eine eigene Stelle hat, "
            "steht es dabei."
        ),
        name=esc(kommune.name),
    )
    return (
        _heading(2, "Städte und Gemeinden", tr)
        + f'\n\n<p>{intro}</p>\n<ul class="kim-gemeinden">{"".join(items)}</ul>'
    )


def _staffing(kommune: Kommune, tr: Translator, fmt: Formats) -> str:
    staffing = kommune.staffing
    assert staffing is not None
    rows = [
        ("Baustein 1: Koordination", staffing.baustein_1),
        ("Baustein 2: Case Management", staffing.baustein_2),
        ("Baustein 3: Ausländer- und Einbürgerungsbehörde", staffing.baustein_3),
    ]
    head = "".join(
        f'<th scope="col">{tr.html(label)}</th>'
        for label in ("Baustein", "vom Land bereitgestellt", "abgerufen oder geplant", "besetzt", "offen")
    )

    def cells(figures: StaffingFigures) -> str:
        values = (figures.allocated, figures.called, figures.filled, figures.open)
        return "".join(f"<td>{esc(fmt.number(v))}</td>" for v in values)

    body = "".join(f'<tr><th scope="row">{tr.html(label)}</th>{cells(f)}</tr>' for label, f in rows)
    stands = sorted({figures.stand for _, figures in rows})
    stand = fill(tr.html("Stand: {date}"), date=esc(", ".join(fmt.date(s) for s in stands)))
    explain = tr.html(
        "Das Land NRW bezahlt Stellen für das KIM. Die Zahlen sind Vollzeitstellen. "
        "Sie zeigen, wie viele Menschen hier im KIM arbeiten können."
    )
    source = fill(tr.html("Quelle: {source}"), source=f'<span lang="de">{esc(staffing.source.title)}</span>')
    caption = fill(tr.html("KIM-Stellen in {name}"), name=esc(kommune.name))
    return (
        _heading(2, "KIM in Zahlen", tr)
        + f"\n\n<p>{explain}</p>\n"
        + f'<div class="kim-table"><table><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
        + f'<tbody>{body}</tbody></table></div>\n<p class="kim-source">{stand}. {source}</p>'
    )


# --- overview and start page -----------------------------------------------------------------


def render_overview(kommunen: Iterable[Kommune], tr: Translator) -> str:
    parts = [_heading(1, "Alle Kommunen in NRW", tr), ""]
    parts.append(
        "<p>"
        + tr.html(
            "In NRW gibt es das KIM in allen 54 Kreisen und kreisfreien Städten. Die Stadt "
            "Aachen und die StädteRegion Aachen haben jeweils ein eigenes KIM. Wählen Sie den "
            "Ort, an dem Sie wohnen."
        )
        + "</p>"
    )
    parts.append("")
    by_region: dict[Regierungsbezirk, list[Kommune]] = {}
    for kommune in kommunen:
        by_region.setdefault(kommune.regierungsbezirk, []).append(kommune)
    for region in sorted(by_region, key=lambda r: REGIERUNGSBEZIRK_NAMES[r]):
        title = fill(tr.text("Regierungsbezirk {name}"), name=REGIERUNGSBEZIRK_NAMES[region])
        parts.append(f"## {md_text(title)}")
        parts.append("")
        parts.append(_kommune_list(by_region[region], tr, "", with_terms=False))
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _kommune_list(kommunen: Iterable[Kommune], tr: Translator, prefix: str, with_terms: bool) -> str:
    items = []
    for kommune in sorted(kommunen, key=lambda k: k.name):
        terms = ""
        if with_terms and kommune.gemeinden:
            # Lets the chooser's filter find "Lünen" under Kreis Unna.
            terms = f' data-terms="{esc(" ".join(g.name for g in kommune.gemeinden))}"'
        href = f"{prefix}{kommune.slug}/"
        items.append(
            f'<li{terms}><a href="{esc(href)}">{esc(kommune.name)}</a> '
            f'<span class="kim-kind">{tr.html(KIND_LABELS[kommune.kind])}</span></li>'
        )
    return f'<ul class="kim-kommunen">{"".join(items)}</ul>'


def render_kommune_chooser(kommunen: Iterable[Kommune], tr: Translator) -> str:
    label = tr.html("Ort oder Kreis suchen")
    hint = tr.html("Zum Beispiel: Lünen, Köln, Kreis Unna")
    return (
        '<div class="kim-chooser">\n'
        f'<label for="kim-chooser-input">{label}</label>\n'
        f'<input id="kim-chooser-input" class="kim-chooser__input" type="search" '
        f'autocomplete="off" aria-describedby="kim-chooser-hint">\n'
        f'<p id="kim-chooser-hint" class="kim-chooser__hint">{hint}</p>\n'
        + _kommune_list(kommunen, tr, "kommunen/", with_terms=True)
        + "\n</div>"
    )


def render_topics(topics: Iterable[tuple[str, str]], tr: Translator) -> str:
    """Links to the topic pages: (path relative to the language root, translated title)."""
    items = "".join(f'<li><a href="{esc(path)}">{esc(title)}</a></li>' for path, title in topics)
    return f'<ul class="kim-topics">{items}</ul>'


# The notices at the top of a page, one per status that needs one, in this order.
NOTICE_TEXTS = {
    Status.missing: "Einige Texte auf dieser Seite sind noch nicht übersetzt. Sie stehen hier auf Deutsch.",
    Status.unreviewed: "Die Übersetzung auf dieser Seite hat noch kein Mensch geprüft. Bei wichtigen Fragen "
    "fragen Sie bitte im Amt nach.",
    Status.machine: "Einige Texte auf dieser Seite wurden maschinell übersetzt und noch nicht von einem "
    "Menschen geprüft.",
    Status.stale: "Einige Übersetzungen auf dieser Seite sind vielleicht veraltet: Der deutsche Text wurde "
    "inzwischen geändert.",
}


def page_notice(statuses: set[Status], tr: Translator) -> str:
    """The discreet notice at the top of a translated page that is not fully reviewed."""
    # All texts are looked up on every page so that the German run lists them too.
    found = {status: tr.get(text) for status, text in NOTICE_TEXTS.items()}
    notes = [note for status, note in found.items() if status in statuses]
    if not notes:
        return ""
    paragraphs = "".join(f"<p>{wrap_missing(esc(n.text), n.status)}</p>" for n in notes)
    attributes = f'class="kim-notice kim-notice--translation" role="note" {NOT_SEARCHED}'
    return f"<aside {attributes}>{paragraphs}</aside>\n\n"


def fill(template: str, **values: str) -> str:
    """Insert values into a translated template ({name}); no str.format surprises."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template
