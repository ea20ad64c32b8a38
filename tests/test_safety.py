"""Property-based tests: arbitrary text in every text field of a Kommune file reaches the page
as text, never as markup; only http(s), mailto and tel links survive validation.

Rendering goes through kim_site.render and Python-Markdown with the site's extensions (what
MkDocs does with the page), fast enough for hundreds of examples; one real build with a
hostile file (tests/test_build.py: test_text_from_yaml_is_escaped_everywhere, and
test_hostile_translation_and_markdown_in_notes below) covers the full path.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data
from pydantic import ValidationError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

from kim_site.build import build_site
from kim_site.catalog import SourceCatalog
from kim_site.languages import load_languages
from kim_site.model import Kommune, Office
from kim_site.render import Formats, render_kommune
from kim_site.translator import Translator

from .conftest import ROOT, copy_project, read

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=//evil.example>",
    "[x](javascript:alert(1))",
    "[x]( JaVaScRiPt:alert(1) )",
    "![i](data:text/html;base64,PHNjcmlwdD4=)",
    "[r]: javascript:alert(1)\n\n[y][r]",
    "<javascript:alert(1)>",
    "<https://evil.example/>",
    "<a href='javascript:x'>a</a>",
    '{: onclick="alert(1)" }',
    "\n{: #x onmouseover=alert(1) }",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "<!--",
    "-->",
    "<![CDATA[",
    "`code`",
    "**bold**",
    "_x_",
    "\n# heading\n",
    '\n\n<div markdown="1">\n\n',
    '<span markdown="1">*x*</span>',
    "\\<script>",
    "<scr<script>ipt>",
    "\u202e",
    "\x00",
    "|",
    "~",
    "!!! note\n    <script>x</script>",
]
text = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=6)), min_size=1, max_size=5).map("".join),
)
# Tags and attributes the renderer produces; anything else would be markup from the data.
TAGS = {"h1", "h2", "h3", "p", "div", "dl", "dt", "dd", "ul", "li", "a", "br", "span", "table"}
TAGS |= {"caption", "thead", "tbody", "tr", "th", "td", "aside", "hr", "pre", "code", "blockquote"}
ATTRIBUTES = {"class", "id", "href", "rel", "lang", "dir", "role", "scope", "data-search-exclude"}
SAFE_URL = re.compile(r"^(?:https?://|mailto:[^:\s]+@|tel:\+\d+$)", re.IGNORECASE)
GERMAN = load_languages(ROOT / "i18n" / "languages.yml")[0]


def _extensions() -> list[Any]:
    """The site's markdown_extensions, as mkdocs.yml lists them."""
    text = read(ROOT / "mkdocs.yml")
    block = re.search(r"^markdown_extensions:\n((?:  .*\n|\s*#.*\n)+)", text, re.M)[1]  # type: ignore[index]
    extensions = yaml.safe_load(block)
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions]
    configs = {next(iter(e)): next(iter(e.values())) for e in extensions if isinstance(e, dict)}
    return [markdown.Markdown(extensions=names, extension_configs=configs)]


MD = _extensions()[0]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render_html(kommune: Kommune) -> tuple[dict[str, Any], str]:
    tr = Translator(GERMAN, SourceCatalog("de"))
    meta_and_body = render_kommune(kommune, tr, Formats("de"), "data/kommunen/x.yml")
    body, meta = get_data(meta_and_body)
    MD.reset()
    return meta, MD.convert(body)


def assert_inert(page: str) -> _Collect:
    parsed = _Collect()
    parsed.feed(page)
    parsed.close()
    for tag, attrs in parsed.tags:
        assert tag in TAGS, (tag, page)
        for name, value in attrs:
            assert name in ATTRIBUTES, (tag, name, page)
            if name == "href":
                assert value is not None and (SAFE_URL.match(value) or not re.match(r"^\s*[\w+.-]*:", value))
                assert not re.match(r"^[\s\x00-\x20]*(?:javascript|data|vbscript):", value, re.I), value
    return parsed


def q(value: str) -> Quoted:
    return Quoted(value)  # as the loader gives a quoted YAML string


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=text,
    gemeinde=text,
    office=text,
    street=text,
    city=text,
    label=text,
    hours_note=text,
    accessibility=text,
    note=text,
    source_title=text,
    staffing_title=text,
)
def test_every_text_field_arrives_as_text(
    name: str,
    gemeinde: str,
    office: str,
    street: str,
    city: str,
    label: str,
    hours_note: str,
    accessibility: str,
    note: str,
    source_title: str,
    staffing_title: str,
) -> None:
    figures = {"stand": dt.date(2026, 1, 1), "allocated": 1, "called": 1, "filled": 1, "open": 0}
    data = {
        "slug": "kreis-x",
        "name": q(name),
        "kind": "kreis",
        "regierungsbezirk": "koeln",
        "gemeinden": [{"name": q(gemeinde)}, {"name": q("Selm")}],
        "gemeinden_source": {"title": q(source_title)},
        "staffing": {
            "source": {"title": q(staffing_title)},
            **{f"baustein_{i}": figures for i in (1, 2, 3)},
        },
        "offices": [
            {
                "kind": "ki",
                "name": q(office),
                "gemeinde": q(gemeinde),
                "address": {"street": q(street), "postal_code": q("59425"), "city": q(city)},
                "phones": [{"number": q("02303 27-0"), "label": q(label)}],
                "email": q("ki@example.org"),
                "website": q("https://example.org/?q=<script>&x=\"'"),
                "opening_hours_note": q(hours_note),
                "accessibility": q(accessibility),
                "note": q(note),
                "source_url": q("https://example.org/quelle"),
                "last_verified": dt.date(2026, 11, 1),
            },
            {"kind": "jobcenter", "name": q(office), "source_title": q(source_title)},
        ],
    }
    kommune = Kommune.model_validate(data)
    meta, page = render_html(kommune)
    parsed = assert_inert(page)
    # <title> and the navigation get the title as HTML: it must hold no markup either.
    assert "<" not in meta["title"] and ">" not in meta["title"]
    assert html.unescape(meta["title"]) == kommune.name
    # Single-line names come out as written (Markdown escapes removed again, nothing lost).
    if "\n" not in kommune.name and "\r" not in kommune.name and kommune.name.isprintable():
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        assert heading is not None
        assert html.unescape(heading[1]).strip() == " ".join(kommune.name.split()), page
    assert "".join(parsed.text)  # the page has content


URL_TEXT = st.one_of(
    text,
    st.sampled_from(
        ["javascript", "JavaScript", "data", "vbscript", " javascript", "java\tscript", "\x01data"]
    ).map(lambda s: s + ":alert(1)//https://example.org"),
    st.builds(lambda a, b: a + "https://example.org/" + b, text, text),
)


@settings(max_examples=200, deadline=None)
@given(website=URL_TEXT, email=URL_TEXT)
def test_only_web_addresses_survive_validation(website: str, email: str) -> None:
    base = {"kind": "ki", "name": "KI", "source_url": "https://example.org/", "last_verified": "2026-11-01"}
    try:
        office = Office.model_validate({**base, "website": q(website)})
    except ValidationError:
        pass
    else:
        assert office.website is not None and re.match(r"^https?://\S+$", office.website, re.I)
    try:
        office = Office.model_validate({**base, "email": q(email)})
    except ValidationError:
        pass
    else:
        assert office.email is not None and "@" in office.email and ":" not in office.email.split("@")[0]


HOSTILE_NOTE = (
    "Termine <script>alert('note')</script> [hier](javascript:alert(1)) ![x](data:image/png;base64,AA==)"
)
HOSTILE_TRANSLATION = "<script>alert('ar')</script> [انقر](javascript:alert(2)) {: onclick=alert(3) }"


def test_hostile_translation_and_markdown_in_notes(tmp_path: Path) -> None:
    """A real build: a note with Markdown links to javascript:/data: URLs, and a translation of
    it (i18n/ar.po) that tries the same: both arrive as text in de and ar."""
    project = copy_project(tmp_path / "project")
    unna = project / "data" / "kommunen" / "kreis-unna.yml"
    text = read(unna)
    offices = (
        "offices:\n  - kind: ki\n    name: 'KI <b>x</b>'\n"
        f"    note: {yaml.safe_dump(HOSTILE_NOTE, allow_unicode=True).splitlines()[0]}\n"
    )
    unna.write_text(text[: text.index("offices:")] + offices, encoding="utf-8")
    catalog = project / "i18n" / "ar.po"
    msgid = HOSTILE_NOTE.replace("\\", "\\\\").replace('"', '\\"')
    catalog.write_text(
        read(catalog)
        + f'\n#: data/kommunen/kreis-unna.yml\nmsgid "{msgid}"\nmsgstr "{HOSTILE_TRANSLATION}"\n',
        encoding="utf-8",
    )
    site = tmp_path / "site"
    build_site(project, site, locales=["de", "ar"])
    for prefix, shown in (("", "[hier](javascript:alert(1))"), ("ar/", "[انقر](javascript:alert(2))")):
        page = read(site / prefix / "kommunen" / "kreis-unna" / "index.html")
        main = page[page.index('<article class="md-content__inner') : page.index("</article>")]
        assert html.escape(shown, quote=True).replace("&#x27;", "'") in main.replace("&#x27;", "'")
        assert "<script>alert" not in page and "<b>x</b>" not in page
        assert not re.search(r'(?:href|src)="\s*(?:javascript|data):', page, re.I)
        assert not re.search(r"<[^>]*\son\w+=", main)
        assert "<img" not in main


@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/", "//evil"])
def test_validation_rejects_other_schemes(value: str) -> None:
    with pytest.raises(ValidationError, match="not a web address"):
        Office.model_validate({"kind": "ki", "name": "KI", "website": q(value)})
