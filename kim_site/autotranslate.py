"""`kim-site translate`: fill missing and outdated machine entries of the catalogs.

One orchestrator, in three steps, nothing written before all translation is done:
1. plan: bring every catalog in sync with the German texts (as `kim-site i18n --update`,
   which marks changed texts stale) and pick the entries to translate: missing ones, and
   stale ones that a machine wrote. A person's text (reviewed, or a draft, stale or not) is
   never overwritten.
2. translate: protect each text (``protect``), split it into sentences, send the sentences
   of all languages through the models in batches: German→English once for every language
   that pivots through English, then English→X per language.
3. check and write: put the protected parts back or reject the entry; write each changed
   catalog atomically and byte-stable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .catalog import (
    FUZZY,
    MACHINE_FLAG,
    Status,
    entry_status,
    is_list_context,
    po_text,
    sync_catalog,
    write_atomic,
)
from .languages import SOURCE_LOCALE, Language
from .pages import Sources, source_messages
from .protect import Glossary, LostTokens, Masked, Protector
from .sentences import split_sentences
from .sync_cache import InSync, SyncCache, file_digest, messages_digest
from .translate import (
    BatchTranslator,
    Model,
    SentenceTranslator,
    installed_models,
    resolve_device,
    route,
)

GLOSSARY_FILE = "glossary.yml"

# (label, done, total): one progress bar per label ("de→en", "ar" ...).
ProgressCallback = Callable[[str, int, int], None]
TranslatorFactory = Callable[[Model, str], SentenceTranslator]


@dataclass(frozen=True)
class Rejection:
    locale: str
    msgid: str
    problems: tuple[str, ...]


@dataclass
class LanguageResult:
    locale: str
    route: str = ""  # "de→en→ar", "de→en", or why there is none
    has_model: bool = False
    translated: int = 0  # written (or to write, in a dry run)
    kept: int = 0  # reviewed, drafts and earlier machine translations left as they are
    stale: int = 0  # a person's translation whose German changed: left for review
    no_model: int = 0  # missing entries without a model: left for human translators
    rejected: int = 0
    written: bool = False


@dataclass
class TranslateReport:
    languages: list[LanguageResult]
    rejections: list[Rejection] = field(default_factory=list)
    dry_run: bool = False
    device: str = ""
    synced: list[str] = field(default_factory=list)  # catalogs that sync_catalog changed

    @property
    def translated(self) -> int:
        return sum(row.translated for row in self.languages)


@dataclass
class _Unit:
    """One line of one entry, protected and split into sentences."""

    masked: Masked
    sentences: list[str]


@dataclass
class _Job:
    entry: polib.POEntry
    units: list[_Unit]


@dataclass
class _Plan:
    language: Language
    path: Path
    po: polib.POFile
    before: str  # the catalog file as it is on disk ('' if none)
    synced: str  # the catalog's text after sync_catalog, before any translation
    jobs: list[_Job]
    result: LanguageResult
    models: list[Model] | None = None


def needs_translation(entry: polib.POEntry) -> bool:
    """Missing, or stale and written by a machine (nothing a person wrote)."""
    status = entry_status(entry)
    return status is Status.missing or (status is Status.stale and MACHINE_FLAG in entry.flags)


def translate_catalogs(
    sources: Sources,
    locales: Iterable[str] | None = None,
    *,
    dry_run: bool = False,
    device: str | None = None,
    progress: ProgressCallback | None = None,
    translator_factory: TranslatorFactory | None = None,
    models_dir: Path | None = None,
) -> TranslateReport:
    """Fill the catalogs of ``locales`` (default: all but German) with machine translation."""
    wanted = set(locales) if locales else None
    languages = [
        lang
        for lang in sources.languages
        if lang.locale != SOURCE_LOCALE and (wanted is None or lang.locale in wanted)
    ]
    if wanted:
        unknown = wanted - {lang.locale for lang in sources.languages}
        if unknown:
            known = ", ".join(lang.locale for lang in sources.languages)
            raise KeyError(f"unknown language(s) {', '.join(sorted(unknown))}; known: {known}")
    protector = Protector(Glossary.load(sources.project.i18n_dir / GLOSSARY_FILE))
    messages = source_messages(sources)
    cache = SyncCache(sources.project.root)
    digest = messages_digest(messages)
    plans: list[_Plan] = []
    results: list[LanguageResult] = []
    for language in languages:
        path = sources.project.catalog_path(language.locale)
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        record = cache.lookup(language.locale, before, digest)
        # In sync and nothing a model could do: the counts of the run that found it so.
        if record and (record.missing == 0 or not language.argos):
            result = LanguageResult(language.locale, kept=record.kept, stale=record.stale)
            _choose_route(language, result, record.missing, {})
            results.append(result)
            continue
        plan = _plan(language, messages, protector, path, before)
        plans.append(plan)
        results.append(plan.result)
    report = TranslateReport(results, dry_run=dry_run)
    report.synced = [p.language.locale for p in plans if p.synced != p.before]

    # Model lookup only when there is something to translate: a run with nothing to do
    # stays fast and works without the optional dependencies.
    models = installed_models(models_dir) if any(p.jobs for p in plans) else {}
    for plan in plans:
        plan.models = _choose_route(plan.language, plan.result, len(plan.jobs), models)
    if not dry_run:
        runnable = [p for p in plans if p.jobs and p.models]
        if runnable:
            report.device = resolve_device(device)
            factory = translator_factory or BatchTranslator
            _run(runnable, factory, report.device, protector, report, progress)
        for plan in plans:
            translated = bool(plan.jobs and plan.models)
            # Only a plan that went through a model changed since it was synced.
            text = po_text(plan.po) if translated else plan.synced
            if text != plan.before:
                write_atomic(plan.path, text)
                plan.result.written = True
            if translated:
                cache.forget(plan.language.locale)
            else:
                result = plan.result
                record = InSync(file_digest(text), digest, result.kept, result.stale, len(plan.jobs))
                cache.remember(plan.language.locale, record)
        cache.save()
    else:
        for plan in plans:
            plan.result.translated = len(plan.jobs) if plan.models else 0
    return report


def _plan(
    language: Language,
    messages: dict[tuple[str | None, str], set[str]],
    protector: Protector,
    path: Path,
    before: str,
) -> _Plan:
    po = sync_catalog(path, language.locale, messages)
    result = LanguageResult(language.locale)
    jobs = []
    for entry in po:
        if entry.obsolete:
            continue
        if needs_translation(entry):
            lines = entry.msgid.split("\n") if is_list_context(entry.msgctxt) else [entry.msgid]
            units = []
            for line in lines:
                masked = protector.mask(line)
                units.append(_Unit(masked, split_sentences(masked.text) if masked.needs_model else []))
            jobs.append(_Job(entry, units))
        elif entry_status(entry) is Status.stale:
            result.stale += 1
        else:
            result.kept += 1
    return _Plan(language, path, po, before, po_text(po), jobs, result)


def _choose_route(
    language: Language, result: LanguageResult, missing: int, models: dict[tuple[str, str], Model]
) -> list[Model] | None:
    """The models for ``missing`` entries of ``language`` (None: none); fills the route columns."""
    chosen = None
    if not language.argos:
        result.route = "no model exists: human translation"
    elif missing:
        chosen = route(language.locale, models)
        if chosen is None:
            result.route = "no model installed"
        else:
            result.route = "→".join([SOURCE_LOCALE, *(m.to_code for m in chosen)])
            result.has_model = True
    if chosen is None:
        result.no_model = missing
    return chosen


def _run(
    plans: list[_Plan],
    factory: TranslatorFactory,
    device: str,
    protector: Protector,
    report: TranslateReport,
    progress: ProgressCallback | None,
) -> None:
    # First hop of every route. Routes through English share it: German→English runs once
    # over the sentences of all those languages.
    first: dict[str, list[_Plan]] = {}
    for plan in plans:
        assert plan.models is not None
        first.setdefault(plan.models[0].pair, []).append(plan)
    hop1: dict[str, dict[str, str]] = {}  # pair -> German sentence -> translation
    for pair, group in sorted(first.items()):
        model = group[0].models[0]  # type: ignore[index]
        sentences = sorted({s for plan in group for s in _sentences(plan)})
        hop1[pair] = _translate(factory(model, device), sentences, pair, progress)

    for plan in sorted(plans, key=lambda p: p.language.locale):
        models = plan.models
        assert models is not None
        first_hop = hop1[models[0].pair]
        if len(models) == 1:
            final = first_hop
        else:
            english = sorted({first_hop[s] for s in _sentences(plan)})
            second = _translate(factory(models[1], device), english, plan.language.locale, progress)
            final = {s: second[first_hop[s]] for s in _sentences(plan)}
        for job in plan.jobs:
            _finish(job, final, protector, plan, report)


def _sentences(plan: _Plan) -> Iterable[str]:
    for job in plan.jobs:
        for unit in job.units:
            yield from unit.sentences


def _translate(
    translator: SentenceTranslator, sentences: Sequence[str], label: str, progress: ProgressCallback | None
) -> dict[str, str]:
    total, done = len(sentences), 0
    if progress:
        progress(label, 0, total)

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(label, done, total)

    return dict(zip(sentences, translator.translate(sentences, advance), strict=True))


def _finish(
    job: _Job, final: dict[str, str], protector: Protector, plan: _Plan, report: TranslateReport
) -> None:
    locale = plan.language.locale
    lines: list[str] = []
    problems: list[str] = []
    for unit in job.units:
        translated = (
            " ".join(final[s] for s in unit.sentences) if unit.masked.needs_model else unit.masked.text
        )
        try:
            line = protector.unmask(translated, unit.masked, locale)
        except LostTokens as error:
            problems += error.problems
            continue
        if unit.masked.needs_model and not line.strip():
            problems.append("empty translation")
        lines.append(line)
    if problems:
        plan.result.rejected += 1
        report.rejections.append(Rejection(locale, job.entry.msgid, tuple(problems)))
        return
    job.entry.msgstr = "\n".join(lines)
    job.entry.flags = [FUZZY, MACHINE_FLAG]
    job.entry.previous_msgid = None
    job.entry.previous_msgctxt = None
    plan.result.translated += 1


def format_summary(report: TranslateReport) -> str:
    """The summary table (Markdown, readable in a terminal)."""
    head = "would translate" if report.dry_run else "translated"
    lines = [
        f"| language | {head} | kept | stale | no model | rejected | route |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in report.languages:
        lines.append(
            f"| {row.locale} | {row.translated} | {row.kept} | {row.stale} | {row.no_model} "
            f"| {row.rejected} | {row.route or '-'} |"
        )
    return "\n".join(lines)
