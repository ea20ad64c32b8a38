"""`kim-site translate` end to end with real (tiny, random-weight) argos models, offline.

The models are built here (kim_site.testmodel), installed with `--install-model` into a
temporary ARGOS_PACKAGES_DIR, and run through CTranslate2 exactly like published ones. Their
output is garbage, so tests that need a faithful translation (protected parts restored) use
a fake translator behind the same protocol.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from kim_site import autotranslate
from kim_site.catalog import Catalog, Status, entry_status, po_text, write_atomic
from kim_site.cli import main
from kim_site.pages import Project, load_sources
from kim_site.protect import Glossary, GlossaryTerm, LostTokens, Protector
from kim_site.sentences import split_sentences
from kim_site.testmodel import build_argos_package
from kim_site.translate import Model, ModelError, TranslationUnavailable, install_model, resolve_device

from .conftest import copy_project, read

SECTION_3 = (
    "Baustein 3, mehr Personal in der Ausländerbehörde und in der Einbürgerungsbehörde: Es kümmert "
    "sich um das Bleiberecht für gut integrierte Menschen nach § 25a und § 25b Aufenthaltsgesetz "
    "(AufenthG) und um die Einbürgerung."
)
OLD_FIRST = "KIM hat drei Teile. Man nennt sie Bausteine."
NEW_FIRST = "KIM hat drei Teile. Man nennt sie die drei Bausteine."


@pytest.fixture(scope="module")
def model_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("models")
    return [build_argos_package(folder, "de", "en"), build_argos_package(folder, "en", "ar", seed=1)]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_files: list[Path]) -> Path:
    directory = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(directory))
    monkeypatch.setenv("ARGOS_DEVICE_TYPE", "cpu")
    for file in model_files:
        result = CliRunner().invoke(main, ["translate", "--install-model", str(file)])
        assert result.exit_code == 0, result.output
        assert "Installed " in result.output
    return directory


def edit_catalog(path: Path, change: Callable[[polib.POEntry], None]) -> None:
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        change(entry)
    path.write_text(po_text(po), encoding="utf-8")


def entries(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}


def prepare(project: Path) -> None:
    """ar: two missing texts, one reviewed, one whose German changes; ps: one missing text."""

    def ar(entry: polib.POEntry) -> None:
        if entry.msgid in ("Willkommen", "Kontakt", SECTION_3):
            entry.msgstr, entry.flags = "", []
        if entry.msgid in ("Impressum", OLD_FIRST):
            entry.flags = []  # reviewed by a person

    edit_catalog(project / "i18n" / "ar.po", ar)
    edit_catalog(
        project / "i18n" / "ps.po", lambda e: setattr(e, "msgstr", "") if e.msgid == "Kontakt" else None
    )
    page = project / "docs" / "themen" / "kim.md"
    page.write_text(read(page).replace(OLD_FIRST, NEW_FIRST), encoding="utf-8")


def test_translate_end_to_end_with_a_real_model(tmp_path: Path, packages: Path, no_network: None) -> None:
    project = copy_project(tmp_path / "project")
    prepare(project)
    ar_path, ps_path = project / "i18n" / "ar.po", project / "i18n" / "ps.po"
    before = entries(ar_path)
    args = ["translate", "--project", str(project), "--lang", "ar", "--lang", "ps"]

    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "| ar | " in out and "de→en→ar" in out and "Through English" in out
    assert "| ps | 0 | " in out and "no model exists: human translation" in out
    assert "Left missing for human translators (no model): ps." in out

    after = entries(ar_path)
    # Filled and marked as machine work (random weights: garbage, but not empty).
    welcome = after["Willkommen"]
    assert welcome.msgstr and welcome.flags == ["fuzzy", "machine-translated"]
    assert Catalog.load(ar_path, "ar").lookup("Willkommen").status is Status.machine
    # The paragraph full of protected parts: either all of them survived, or it was
    # rejected, reported and left missing. Never written without them.
    section = after[SECTION_3]
    if section.msgstr:
        for part in ("§ 25a", "§ 25b", "Ausländerbehörde", "Aufenthaltsgesetz", "(AufenthG)", "3"):
            assert part in section.msgstr
    else:
        assert "rejected [ar] 'Baustein 3, mehr Personal" in out and "lost: § 25a" in out
    # A person's work is untouched; a reviewed text whose German changed became stale.
    assert after["Impressum"].msgstr == before["Impressum"].msgstr and after["Impressum"].flags == []
    stale = after[NEW_FIRST]
    assert stale.msgstr == before[OLD_FIRST].msgstr and stale.previous_msgid == OLD_FIRST
    assert entry_status(stale) is Status.stale
    assert after["Anbieter"].msgstr == before["Anbieter"].msgstr and after["Anbieter"].flags == ["fuzzy"]
    # No model for Pashto: reported, left missing.
    assert entries(ps_path)["Kontakt"].msgstr == ""

    # A second run has nothing to do and changes no byte.
    snapshot = {path: path.read_bytes() for path in (ar_path, ps_path)}
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "Translated 0 entries" in again.output and "no catalog changed" in again.output
    assert {path: path.read_bytes() for path in snapshot} == snapshot


def test_machine_entry_is_retranslated_when_german_changes(
    tmp_path: Path, packages: Path, no_network: None
) -> None:
    project = copy_project(tmp_path / "project")

    def mark(entry: polib.POEntry) -> None:
        if entry.msgid == "Anbieter":
            entry.msgstr, entry.flags = "آلة", ["fuzzy", "machine-translated"]

    edit_catalog(project / "i18n" / "ar.po", mark)
    page = project / "docs" / "impressum.md"
    page.write_text(read(page).replace("## Anbieter", "## Anbieterin"), encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", "--project", str(project), "--lang", "ar"])
    assert result.exit_code == 0, result.output
    assert "| ar | 1 | " in result.output
    entry = entries(project / "i18n" / "ar.po")["Anbieterin"]
    assert entry.msgstr not in ("", "آلة") and entry.previous_msgid is None
    assert entry_status(entry) is Status.machine


def test_dry_run_loads_no_model_and_writes_nothing(tmp_path: Path, packages: Path) -> None:
    project = copy_project(tmp_path / "project")
    prepare(project)
    snapshot = {p: p.read_bytes() for p in (project / "i18n").glob("*.po")}
    result = CliRunner().invoke(main, ["translate", "--project", str(project), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would translate" in result.output and "| ar | 3 | " in result.output
    assert "Dry run: nothing was written." in result.output
    assert {p: p.read_bytes() for p in snapshot} == snapshot


class Identity:
    """A translator that returns its input (what a perfect copy would do)."""

    def __init__(self, model: Model, device: str):
        self.calls: list[int] = []

    def translate(self, sentences: Sequence[str], progress: Callable[[int], None] | None = None) -> list[str]:
        if progress:
            progress(len(set(sentences)))
        return list(sentences)


class DropsMarkers(Identity):
    def translate(self, sentences: Sequence[str], progress: Callable[[int], None] | None = None) -> list[str]:
        return [s.replace("⟦0⟧", "") for s in sentences]


def run_with(
    translator: type[Identity], project: Path, packages: Path, **kw: object
) -> autotranslate.TranslateReport:
    return autotranslate.translate_catalogs(
        load_sources(Project.at(project)),
        ["ar"],
        translator_factory=translator,
        models_dir=packages,
        **kw,  # type: ignore[arg-type]
    )


def test_protected_parts_are_restored(
    tmp_path: Path, packages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path / "project")
    prepare(project)
    # An FAQ-like list entry: translated line by line.
    messages = autotranslate.source_messages

    def with_list(sources: object) -> dict[tuple[str | None, str], set[str]]:
        found = messages(sources)  # type: ignore[arg-type]
        found[("faq:residence-extend:paraphrases", "Titel verlängern\n§ 25a AufenthG")] = {"data/faq.yml"}
        return found

    monkeypatch.setattr(autotranslate, "source_messages", with_list)
    seen: list[tuple[str, int, int]] = []
    report = run_with(Identity, project, packages, progress=lambda *a: seen.append(a))
    after = entries(project / "i18n" / "ar.po")
    assert after[SECTION_3].msgstr == SECTION_3  # every protected part back in place
    assert after["Titel verlängern\n§ 25a AufenthG"].msgstr == "Titel verlängern\n§ 25a AufenthG"
    assert report.rejections == [] and report.languages[0].translated == 4
    assert ("de→en", 0, 4) in seen and seen[-1][0] == "ar"  # a bar for the shared hop, one per language


def test_a_translation_that_loses_a_protected_part_is_rejected(tmp_path: Path, packages: Path) -> None:
    project = copy_project(tmp_path / "project")
    prepare(project)
    report = run_with(DropsMarkers, project, packages)
    [rejection] = report.rejections
    assert rejection.msgid == SECTION_3 and "lost: 3" in rejection.problems
    assert entries(project / "i18n" / "ar.po")[SECTION_3].msgstr == ""
    assert report.languages[0].rejected == 1 and report.languages[0].translated == 2


def test_protector_masks_and_restores_everything_that_must_not_change() -> None:
    text = (
        "Rufen Sie **02303 27-0** an, schreiben Sie an info@kreis-unna.de oder lesen Sie "
        "[die Seite](https://www.kreis-unna.de/kim) vom 9. Februar 2021, z. B. `kim-site` um 8:30 Uhr. "
        'Nach § 25a AufenthG hilft die Ausländerbehörde. Stand: {date} <!-- kim:topics --> {: lang="de" }'
    )
    protector = Protector(
        Glossary((GlossaryTerm(term="Ausländerbehörde", explain={"en": "immigration office"}),))
    )
    masked = protector.mask(text)
    kinds = {token.kind for token in masked.tokens}
    assert kinds >= {
        "format",
        "phone",
        "email",
        "link-open",
        "link-close",
        "date",
        "code",
        "paragraph",
        "term",
    }
    assert kinds >= {"placeholder", "comment", "attribute"}
    for kept in ("02303", "@", "https", "25a", "Ausländerbehörde", "{date}", "kim:", "Februar"):
        assert kept not in masked.text
    assert "Rufen Sie" in masked.text and "lesen Sie" in masked.text and "die Seite" in masked.text
    assert protector.unmask(masked.text, masked, "ar") == text
    assert "immigration office (Ausländerbehörde)" in protector.unmask(masked.text, masked, "en")
    with pytest.raises(LostTokens, match="lost: 02303 27-0"):
        protector.unmask(masked.text.replace("⟦1⟧", ""), masked, "ar")
    with pytest.raises(LostTokens, match="doubled"):
        protector.unmask(masked.text + " ⟦0⟧", masked, "ar")
    swapped = masked.text.replace("⟦4⟧", "#").replace("⟦5⟧", "⟦4⟧").replace("#", "⟦5⟧")
    with pytest.raises(LostTokens, match="swapped"):
        protector.unmask(swapped, masked, "ar")
    # Markers mangled a little by a model (spaces inside) still count.
    assert protector.unmask(masked.text.replace("⟦0⟧", "⟦ 0 ⟧"), masked, "ar") == text


def test_sentences_split_without_any_model() -> None:
    assert split_sentences("Das ist gut. Zum Beispiel z. B. hier. Wer hilft? ⟦0⟧ ist neu!") == [
        "Das ist gut.",
        "Zum Beispiel z. B. hier.",
        "Wer hilft?",
        "⟦0⟧ ist neu!",
    ]


def test_missing_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib

    real = importlib.import_module

    def without_ctranslate2(name: str, package: str | None = None) -> object:
        if name.startswith("ctranslate2"):
            raise ImportError("No module named 'ctranslate2'", name="ctranslate2")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_ctranslate2)
    with pytest.raises(TranslationUnavailable, match=r"pip install 'kim-site\[translate\]'"):
        resolve_device("auto")


def test_device_and_model_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_DEVICE_TYPE", "cpu")
    assert resolve_device() == "cpu"
    assert resolve_device("auto") in {"cpu", "cuda"}
    bad = tmp_path / "bad.argosmodel"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(ModelError, match="not an argos model"):
        install_model(bad, tmp_path / "packages")
    result = CliRunner().invoke(main, ["translate", "--install-model", str(bad)])
    assert result.exit_code == 1 and "not an argos model" in result.output


@pytest.fixture(autouse=True)
def _quiet_argos(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    # argostranslate.settings creates folders under $HOME on import: keep them in tmp.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    yield


class Interrupted(Identity):
    """Ctrl-C in the middle of decoding."""

    def translate(self, sentences: Sequence[str], progress: Callable[[int], None] | None = None) -> list[str]:
        raise KeyboardInterrupt


def test_an_interrupted_run_leaves_every_catalog_as_it_was(tmp_path: Path, packages: Path) -> None:
    project = copy_project(tmp_path / "project")
    prepare(project)
    # A finished run would write ar.po (missing and stale entries); Ctrl-C must leave all as is.
    before = {p.name: p.read_bytes() for p in (project / "i18n").iterdir()}
    with pytest.raises(KeyboardInterrupt):
        run_with(Interrupted, project, packages)
    assert {p.name: p.read_bytes() for p in (project / "i18n").iterdir()} == before


def test_an_interrupted_write_leaves_the_old_catalog_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = tmp_path / "ar.po"
    catalog.write_text('msgid "Kontakt"\nmsgstr "اتصال"\n', encoding="utf-8")
    before = catalog.read_bytes()

    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # the process dies between writing the new text and renaming it

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(catalog, 'msgid "Kontakt"\nmsgstr "تواصل"\n')
    assert catalog.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ar.po"]
    assert polib.pofile(str(catalog))[0].msgstr == "اتصال"


def test_a_rerun_skips_catalogs_in_sync_but_sees_every_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second no-change run reads no catalog with polib; any edit takes the full way."""
    project = copy_project(tmp_path / "project")
    syncs: list[Path] = []
    real_sync = autotranslate.sync_catalog

    def counting_sync(path: Path, *args: object) -> polib.POFile:
        syncs.append(path)
        return real_sync(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(autotranslate, "sync_catalog", counting_sync)

    def run() -> autotranslate.TranslateReport:
        return autotranslate.translate_catalogs(
            load_sources(Project.at(project)), models_dir=tmp_path / "none"
        )

    first = run()
    assert len(syncs) == 19 and first.translated == 0
    syncs.clear()
    second = run()
    assert syncs == []
    assert [(r.locale, r.kept, r.stale, r.no_model, r.route) for r in second.languages] == [
        (r.locale, r.kept, r.stale, r.no_model, r.route) for r in first.languages
    ]

    # A person empties a Pashto text: the cache must not hide the gap.
    edit_catalog(
        project / "i18n" / "ps.po", lambda e: setattr(e, "msgstr", "") if e.msgid == "Kontakt" else None
    )
    third = run()
    assert syncs == [project / "i18n" / "ps.po"]
    ps_before, ps = (next(r for r in report.languages if r.locale == "ps") for report in (first, third))
    assert ps.no_model == 1 and ps.kept == ps_before.kept - 1

    # German text changes: every catalog is synced again and the text becomes stale.
    syncs.clear()
    page = project / "docs" / "themen" / "kim.md"
    old_arabic = entries(project / "i18n" / "ar.po")[OLD_FIRST].msgstr
    page.write_text(read(page).replace(OLD_FIRST, NEW_FIRST), encoding="utf-8")
    fourth = run()
    assert len(syncs) == 19
    assert entries(project / "i18n" / "ar.po")[NEW_FIRST].msgstr == old_arabic
    assert fourth.synced  # the catalogs were rewritten with the changed text

    # A damaged cache file is ignored, not trusted.
    cache = project / ".kim-site" / "cache" / "catalog-sync.json"
    cache.write_text("{not json", encoding="utf-8")
    syncs.clear()
    run()
    assert len(syncs) == 19
