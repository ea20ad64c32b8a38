"""FAQ entries -> Markdown (pure): one FAQ page per topic, the overview, and the FAQ and
office blocks that topic pages pull in through placeholders.

Every entry gets its own anchor (its catalogue id) so that the helper, the search and other
pages can link to it. Texts are looked up with a message context per entry and field
(``faq:<id>:question``), so a changed German answer keeps its identity in the catalogs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from .catalog import Status, Translation
from .model import FaqEntry, OfficeKind, Topic
from .render import OFFICE_KIND_LABELS, Formats, esc, fill, front_matter_title, md_text
from .translator import Translator

FAQ_DIR = "faq"
LIST_FIELDS = ("paraphrases", "keywords")  # newline-separated lists in the catalogs


def context(entry: FaqEntry, field: str) -> str:
    return f"faq:{entry.id}:{field}"


def faq_msgid(entry: FaqEntry, field: str) -> str:
    """The German text of one field as a catalog msgid (lists joined by newlines)."""
    value = getattr(entry, field)
    return "\n".join(value) if field in LIST_FIELDS else str(value)


def faq_text(entry: FaqEntry, field: str, tr: Translator, origin: str) -> Translation:
    """One field of an entry in the reader's language."""
    return tr.get(faq_msgid(entry, field), context(entry, field), origin)


def faq_page_path(topic: Topic) -> str:
    return f"{FAQ_DIR}/{topic.value}.md"


def _attrs(anchor: str | None, status: Status) -> str:
    """attr_list suffix: the anchor and, for a German fallback, lang="de"."""
    parts = ([f"#{anchor}"] if anchor else []) + (['lang="de"'] if status is Status.missing else [])
    return f" {{: {' '.join(parts)} }}" if parts else ""


def _answer_markdown(found: Translation) -> str:
    # Answers may use Markdown links and emphasis, never raw HTML.
    suffix = "\n" + _attrs(None, found.status).strip() if found.status is Status.missing else ""
    return html.escape(found.text, quote=False) + suffix


def render_offices(kinds: Sequence[OfficeKind], tr: Translator, kommunen_link: str) -> str:
    """Which offices help, and a link to the reader's Kommune page (kim.js points it to the
    Kommune the reader chose; without a choice it leads to the list of all Kommunen)."""
    items = "".join(
        f"<li>{tr.html(OFFICE_KIND_LABELS[kind])}</li>"
        for kind in sorted(kinds, key=list(OFFICE_KIND_LABELS).index)
    )
    link = tr.html("Ämter und Kontakte in Ihrer Kommune")
    offices = f'<ul class="kim-office-kinds">{items}</ul>\n' if items else ""
    return f'{offices}<p><a class="kim-kommune-link" href="{esc(kommunen_link)}">{link}</a></p>'


def render_faq_links(entries: Iterable[FaqEntry], tr: Translator, origin: str, faq_prefix: str) -> str:
    """The questions as links to their answers; ``faq_prefix`` leads from the page to faq/."""
    lines = []
    for entry in entries:
        question = faq_text(entry, "question", tr, origin)
        href = f"{faq_prefix}{entry.topic.value}/#{entry.id}"
        lang = ' lang="de"' if question.status is Status.missing else ""
        lines.append(f'<li><a href="{esc(href)}"{lang}>{esc(question.text)}</a></li>')
    return f'<ul class="kim-faq-links">{"".join(lines)}</ul>'


def render_faq_topic(
    topic: Topic,
    topic_title: str,
    entries: Iterable[FaqEntry],
    tr: Translator,
    fmt: Formats,
    origin: str,
) -> str:
    """The FAQ page of one topic: every entry with its anchor, answer, source and offices."""
    title = fill(tr.text("Häufige Fragen: {topic}"), topic=topic_title)
    parts = [front_matter_title(title) + f"# {md_text(title)}", ""]
    parts.append(
        "<p>"
        + tr.html(
            "Diese Antworten sind allgemeine Informationen. Über Ihren Antrag entscheidet "
            "immer das zuständige Amt."
        )
        + f' <a href="../../themen/{esc(topic.value)}/">'
        + fill(tr.html("Mehr zum Thema {topic}"), topic=esc(topic_title))
        + "</a></p>"
    )
    parts.append("")
    for entry in entries:
        parts.append(_entry(entry, tr, fmt, origin))
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _entry(entry: FaqEntry, tr: Translator, fmt: Formats, origin: str) -> str:
    question = faq_text(entry, "question", tr, origin)
    answer = faq_text(entry, "answer", tr, origin)
    source = esc(entry.source_title or entry.source_url)
    meta = fill(
        tr.html("Quelle: {source}, geprüft am {date}"),
        source=f'<a href="{esc(entry.source_url)}" lang="de">{source}</a>',
        date=esc(fmt.date(entry.last_reviewed)),
    )
    blocks = [
        f"## {md_text(question.text)}{_attrs(entry.id, question.status)}",
        "",
        _answer_markdown(answer),
        "",
    ]
    if entry.volatile:
        blocks.append(
            '<p class="kim-faq__volatile">'
            + tr.html("Diese Regeln ändern sich oft. Fragen Sie im Amt nach, was heute gilt.")
            + "</p>"
        )
        blocks.append("")
    if entry.offices:
        blocks.append(f'<p class="kim-faq__who">{tr.html("Wer hilft Ihnen vor Ort?")}</p>')
        blocks.append(render_offices(entry.offices, tr, "../../kommunen/"))
        blocks.append("")
    blocks.append(f'<p class="kim-faq__meta">{meta}</p>')
    return "\n".join(blocks)


def render_faq_overview(
    by_topic: Sequence[tuple[Topic, str, Sequence[FaqEntry]]], tr: Translator, origin: str
) -> str:
    """All questions, grouped by topic (faq/index.md)."""
    parts = [f"# {md_text(tr.text('Häufige Fragen'))}", ""]
    parts.append(
        "<p>" + tr.html("Hier finden Sie Antworten auf häufige Fragen, nach Themen sortiert.") + "</p>"
    )
    parts.append("")
    for _topic, title, entries in by_topic:
        parts.append(f"## {md_text(title)}")
        parts.append("")
        parts.append(render_faq_links(entries, tr, origin, ""))
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def plain_answer(markdown: str) -> str:
    """An answer as plain text for the helper widget (link texts kept, URLs and marks dropped)."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"(\*\*|__|\*|_)(\S.*?\S|\S)\1", r"\2", text)
    return " ".join(text.split())
