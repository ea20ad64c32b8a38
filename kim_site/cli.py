"""The `kim-site` command (thin: it parses options, calls the library, maps errors to exit codes)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click
from pydantic import BaseModel

from . import i18n_check
from .answers import Answers, UnknownKommune
from .build import BuildError, build_site
from .catalog import write_atomic
from .coverage import DEFAULT_MAX_AGE_DAYS, coverage_markdown
from .load import DataError, Problem, load_faq, load_kommunen
from .model import FaqEntry, FaqFile, Kommune
from .pages import Project, load_sources
from .places import GEMEINDEN_FILE, load_gemeinden, places

ROOT_HELP = "Project folder holding mkdocs.yml (default: the current folder)."


def _root(value: str | None) -> Path:
    root = Path(value or ".").resolve()
    if not (root / "mkdocs.yml").exists():
        raise click.UsageError(f"{root} has no mkdocs.yml; run inside the kim-site project or pass --project")
    return root


def _fail_on_data_error(error: DataError) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(error.problems)} problem(s) found; nothing was built or changed.", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kim-site")
def main() -> None:
    """Build the KIM NRW newcomer site from YAML data, in 20 languages."""


@main.command()
@click.option("--project", help=ROOT_HELP)
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="Data folder (default: data/).")
@click.option(
    "--site-dir", default="site", show_default=True, type=click.Path(file_okay=False), help="Output folder."
)
@click.option(
    "--lang", "locales", multiple=True, metavar="LOCALE", help="Build only this language (repeatable)."
)
@click.option("--jobs", type=int, help="Languages built at the same time (default: number of CPUs).")
@click.option("--strict", is_flag=True, help="Treat MkDocs warnings as errors.")
@click.option(
    "--site-url",
    help="Public address of the site, e.g. https://example.org/kim/ (canonical links, hreflang, sitemap; "
    "a sub-path works). Default: http://127.0.0.1:8000/.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Also build a copy of each language that works without a web server (file://, search "
    "included), zipped into SITE_DIR/downloads/; every page then offers its language's download.",
)
@click.option(
    "--max-contact-age",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_AGE_DAYS,
    show_default=True,
    metavar="DAYS",
    help="Warn about contact data verified longer ago than this (a failure with --strict).",
)
def build(
    project: str | None,
    data_dir: str | None,
    site_dir: str,
    locales: tuple[str, ...],
    jobs: int | None,
    strict: bool,
    site_url: str | None,
    max_contact_age: int,
    offline: bool,
) -> None:
    """Build the whole site (or some languages) into a static folder.

    \b
    Example:
      kim-site build
      kim-site build --lang de --lang ar --site-dir /tmp/preview
      kim-site build --offline --site-url https://example.org/kim/
    """
    root = _root(project)
    try:
        report = build_site(
            root,
            Path(site_dir),
            data_dir=Path(data_dir) if data_dir else None,
            locales=locales or None,
            jobs=jobs,
            strict=strict,
            site_url=site_url,
            max_contact_age_days=max_contact_age,
            offline=offline,
        )
    except DataError as error:
        _fail_on_data_error(error)
    except (BuildError, KeyError) as error:
        click.echo(f"error: {error}", err=True)
        click.echo("The previous site was left unchanged.", err=True)
        sys.exit(1)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"Built {report.pages} pages in {len(report.languages)} language(s) into {report.site_dir} "
        f"in {report.seconds:.1f} s."
    )
    if report.downloads:
        total = sum(report.downloads.values()) / 1_000_000
        click.echo(f"Offline copies: {len(report.downloads)} ZIP files ({total:.1f} MB) in downloads/.")


@main.command()
@click.option("--project", help=ROOT_HELP)
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="Data folder (default: data/).")
@click.option("--lang", "locale", help="Live preview of one language, rebuilt on every change.")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(project: str | None, data_dir: str | None, locale: str | None, dev_addr: str) -> None:
    """Preview the site on localhost.

    Without --lang: builds all 20 languages (in parallel) and serves the result.
    With --lang: live preview of that language; a change to data/, docs/ or i18n/ reloads it.

    \b
    Example:
      kim-site serve
      kim-site serve --lang de
    """
    root = _root(project)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if data_dir:
        env["KIM_SITE_DATA"] = str(Path(data_dir).resolve())
    if locale:
        env["KIM_SITE_LOCALE"] = locale
        command = [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--dev-addr",
            dev_addr,
            "--config-file",
            str(root / "mkdocs.yml"),
        ]
        sys.exit(subprocess.call(command, env=env, cwd=root))
    site_dir = root / ".kim-site" / "serve"
    host, _, port = dev_addr.rpartition(":")
    try:
        report = build_site(
            root, site_dir, data_dir=Path(data_dir) if data_dir else None, site_url=f"http://{dev_addr}/"
        )
    except DataError as error:
        _fail_on_data_error(error)
    except BuildError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    handler = partial(SimpleHTTPRequestHandler, directory=str(report.site_dir))
    server = ThreadingHTTPServer((host or "127.0.0.1", int(port)), handler)
    click.echo(
        f"Built {report.pages} pages in {report.seconds:.1f} s. Serving on http://{dev_addr}/ (Ctrl+C stops)."
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


@main.command()
@click.option(
    "--data",
    "data_dir",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Data folder with kommunen/*.yml.",
)
def validate(data_dir: str) -> None:
    """Check all data files (Kommunen, FAQ, Gemeinden) and print every problem (exit 1 if any).

    \b
    Example:
      kim-site validate
      kim-site validate --data path/to/data
    """
    folder = Path(data_dir)
    problems: list[Problem] = []
    kommunen: list[Kommune] = []
    faq: tuple[FaqEntry, ...] = ()
    try:
        kommunen = load_kommunen(folder)
    except DataError as error:
        problems += error.problems
    try:
        faq = load_faq(folder)
    except DataError as error:
        problems += error.problems
    if kommunen and (folder / GEMEINDEN_FILE).exists():
        try:
            places(kommunen, load_gemeinden(folder), folder / GEMEINDEN_FILE)
        except DataError as error:
            problems += error.problems
    if problems:
        _fail_on_data_error(DataError(problems))
    offices = sum(len(k.offices) for k in kommunen)
    click.echo(f"OK: {len(kommunen)} Kommunen, {offices} offices, {len(faq)} FAQ entries, no problems.")


@main.command()
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file instead of printing.")
@click.option("--faq", is_flag=True, help="The schema of data/faq.yml instead of a Kommune file.")
@click.option(
    "--check",
    "check_file",
    type=click.Path(dir_okay=False),
    help="Fail (exit 1) if this file differs from the current schema.",
)
def schema(output: str | None, check_file: str | None, faq: bool) -> None:
    """Print the JSON Schema of a Kommune file or of the FAQ (editors use it for completion).

    \b
    Example:
      kim-site schema --output schema/kommune.schema.json
      kim-site schema --faq --check schema/faq.schema.json
    """
    text = faq_schema_text() if faq else kommune_schema_text()
    if check_file:
        current = Path(check_file).read_text(encoding="utf-8") if Path(check_file).exists() else ""
        if current != text:
            flag = "--faq " if faq else ""
            click.echo(
                f"{check_file} is out of date; run: kim-site schema {flag}--output {check_file}", err=True
            )
            sys.exit(1)
        click.echo(f"{check_file} is up to date.")
    elif output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text, nl=False)


def kommune_schema_text() -> str:
    return _schema_text(Kommune, "kim-site Kommune file")


def faq_schema_text() -> str:
    return _schema_text(FaqFile, "kim-site FAQ file (data/faq.yml)")


def _schema_text(model: type[BaseModel], title: str) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@main.command()
@click.option("--data", "data_dir", default="data", show_default=True, type=click.Path(file_okay=False))
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file (e.g. data/COVERAGE.md).")
@click.option(
    "--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Report as of this day (default: today)."
)
@click.option(
    "--max-contact-age", type=click.IntRange(min=1), default=DEFAULT_MAX_AGE_DAYS, show_default=True
)
def coverage(data_dir: str, output: str | None, on: dt.datetime | None, max_contact_age: int) -> None:
    """Report which offices have sourced contacts, per Kommune, and how old they are.

    \b
    Example:
      kim-site coverage --output data/COVERAGE.md
    """
    try:
        kommunen = load_kommunen(Path(data_dir))
    except DataError as error:
        _fail_on_data_error(error)
    text = coverage_markdown(kommunen, on.date() if on else dt.date.today(), max_contact_age)
    if output:
        write_atomic(Path(output), text)
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text, nl=False)


# --- the FAQ helper ---------------------------------------------------------------------------------


@main.command()
@click.argument("question")
@click.option("--lang", "locale", default="de", show_default=True, help="Language of the answer (locale).")
@click.option("--kommune", help="Slug of the reader's Kommune: adds its offices for the answer.")
@click.option("--limit", type=click.IntRange(1, 20), default=3, show_default=True, help="Most answers.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (a stable contract).")
@click.option("--project", help=ROOT_HELP)
def ask(
    question: str, locale: str, kommune: str | None, limit: int, as_json: bool, project: str | None
) -> None:
    """Answer a newcomer's question from the FAQ, in their language (nothing leaves this machine).

    \b
    Example:
      kim-site ask "mein aufenthaltstitel läuft ab"
      kim-site ask "أين أجد مكتب الأجانب" --lang ar --kommune kreis-unna --json
    """
    answers = Answers(Project.at(_root(project)))
    try:
        result = answers.ask(question, locale, kommune, limit)
    except DataError as error:
        _fail_on_data_error(error)
    except UnknownKommune:
        slugs = ", ".join(k.slug for k in answers.sources.kommunen)
        raise click.BadParameter(
            f"unknown Kommune {kommune!r}; known: {slugs}", param_hint="--kommune"
        ) from None
    except KeyError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="--lang") from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if not result["matches"]:
        click.echo("No answer fits this question. The KIM case management of your Kommune helps in person.")
    for number, match in enumerate(result["matches"], start=1):
        click.echo(f"{number}. {match['question']}  (score {match['score']})")
        click.echo(f"   {match['answer']}")
        click.echo(f"   More: {match['url']}")
    for contact in result["contacts"]:
        _echo_contact(contact)


def _echo_contact(contact: dict[str, Any]) -> None:
    click.echo(f"- {contact['name']}" + (f" ({contact['gemeinde']})" if contact["gemeinde"] else ""))
    for key in ("address", "email", "website"):
        if contact[key]:
            click.echo(f"  {contact[key]}")
    for phone in contact["phones"]:
        click.echo(f"  {phone['number']}" + (f" ({phone['label']})" if phone["label"] else ""))
    if not (contact["address"] or contact["phones"] or contact["email"] or contact["website"]):
        click.echo("  (no verified contact data yet)")


@main.command()
@click.argument("place")
@click.option("--limit", type=click.IntRange(1, 20), default=5, show_default=True, help="Most places.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (a stable contract).")
@click.option("--project", help=ROOT_HELP)
def where(place: str, limit: int, as_json: bool, project: str | None) -> None:
    """Find the Kommune page for a town or Gemeinde name (typos and missing umlauts are fine).

    \b
    Example:
      kim-site where Moenchengladbach
      kim-site where "Lünen" --json
    """
    answers = Answers(Project.at(_root(project)))
    try:
        result = answers.where(place, limit)
    except DataError as error:
        _fail_on_data_error(error)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if not result["matches"]:
        click.echo(f"No NRW town or Kreis called like {place!r} found.")
    for match in result["matches"]:
        click.echo(f"{match['gemeinde']}: {match['url']}  (score {match['score']})")


@main.command()
@click.option("--project", help=ROOT_HELP)
@click.option(
    "--check", is_flag=True, help="Fail (exit 1) if a catalog is out of sync with the German source."
)
@click.option(
    "--update",
    is_flag=True,
    help="Bring every catalog in sync (new texts added, removed ones made obsolete).",
)
def i18n(project: str | None, check: bool, update: bool) -> None:
    """Show translation coverage per language; check or update the catalogs in i18n/.

    \b
    Example:
      kim-site i18n
      kim-site i18n --update
      kim-site i18n --check
    """
    root = _root(project)
    try:
        sources = load_sources(Project.at(root))
    except DataError as error:
        _fail_on_data_error(error)
    if update:
        changed = i18n_check.update_catalogs(sources)
        click.echo(f"Updated {len(changed)} catalog(s)." if changed else "All catalogs were already in sync.")
    rows, stale = i18n_check.coverage_table(sources)
    click.echo(i18n_check.format_table(rows))
    if check and stale:
        for locale in stale:
            click.echo(
                f"i18n/{locale}.po is out of sync with the German source; run: kim-site i18n --update",
                err=True,
            )
        sys.exit(1)


class _ProgressBars:
    """One click progress bar per language (and one for the shared German→English hop)."""

    def __init__(self) -> None:
        self.bars: dict[str, Any] = {}
        self.shown: dict[str, int] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        if label not in self.bars:
            name = f"{label} (pivot, shared)" if "→" in label else label
            bar = click.progressbar(length=max(total, 1), label=f"{name:<20}", show_pos=True, width=30)
            bar.__enter__()
            self.bars[label], self.shown[label] = bar, 0
        bar = self.bars[label]
        bar.update(done - self.shown[label])
        self.shown[label] = done
        if done >= total:
            bar.__exit__(None, None, None)


@main.command()
@click.option("--project", help=ROOT_HELP)
@click.option(
    "--lang", "locales", multiple=True, metavar="LOCALE", help="Translate only this language (repeatable)."
)
@click.option("--dry-run", is_flag=True, help="Show what would be translated; load no model, write nothing.")
@click.option(
    "--install-model",
    "model_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Install an argos package (.argosmodel) from a local file, then stop.",
)
@click.option(
    "--device",
    type=click.Choice(["auto", "cpu", "cuda"]),
    help="Where the models run (default: ARGOS_DEVICE_TYPE, else the GPU if there is one).",
)
def translate(
    project: str | None, locales: tuple[str, ...], dry_run: bool, model_file: str | None, device: str | None
) -> None:
    """Fill missing catalog entries with offline machine translation (argostranslate).

    Syncs the catalogs with the German texts first (like `kim-site i18n --update`), then
    translates missing entries and stale machine entries. A person's translation is never
    overwritten. Written entries are flagged fuzzy + machine-translated. Needs the extra:
    pip install 'kim-site[translate]'.

    \b
    Example:
      kim-site translate --install-model translate-de_en-1_0.argosmodel
      kim-site translate --lang ar --lang uk --dry-run
      kim-site translate
    """
    from . import autotranslate
    from .translate import ModelError, TranslationUnavailable, install_model

    try:
        if model_file:
            model = install_model(Path(model_file))
            click.echo(f"Installed {model.pair} into {model.path}.")
            return
        sources = load_sources(Project.at(_root(project)))
        report = autotranslate.translate_catalogs(
            sources, locales or None, dry_run=dry_run, device=device, progress=_ProgressBars()
        )
    except DataError as error:
        _fail_on_data_error(error)
    except KeyError as error:
        raise click.UsageError(str(error.args[0])) from None
    except (TranslationUnavailable, ModelError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(autotranslate.format_summary(report))
    _translate_notes(report)


def _translate_notes(report: Any) -> None:
    rows = report.languages
    pivot = [r.locale for r in rows if r.route.count("→") == 2 and r.route.split("→")[1] == "en"]
    if pivot:
        click.echo(
            f"Through English (no German model for them; de→en→X): {', '.join(pivot)}. "
            "Pivoting loses some precision: a person should review these first."
        )
    human = [r.locale for r in rows if r.no_model]
    if human:
        click.echo(f"Left missing for human translators (no model): {', '.join(human)}.")
    if any(r.no_model and r.route == "no model installed" for r in rows):
        click.echo("Install models with: kim-site translate --install-model FILE.argosmodel")
    for rejection in report.rejections:
        excerpt = rejection.msgid if len(rejection.msgid) <= 60 else rejection.msgid[:57] + "..."
        click.echo(f"rejected [{rejection.locale}] {excerpt!r}: {'; '.join(rejection.problems)}", err=True)
    if report.dry_run:
        click.echo("Dry run: nothing was written.")
    else:
        written = [r.locale for r in rows if r.written]
        where = f" on {report.device}" if report.device else ""
        click.echo(
            f"Translated {report.translated} entr{'y' if report.translated == 1 else 'ies'}{where}; "
            + (f"wrote {len(written)} catalog(s)." if written else "no catalog changed.")
        )


@main.command()
@click.option("--project", help=ROOT_HELP)
@click.option("--runs", default=1, show_default=True, help="Runs of each build (the median is reported).")
@click.option("--output", type=click.Path(dir_okay=False), help="Also write the report (Markdown) here.")
@click.option(
    "--part",
    type=click.Choice(["all", "build", "translate"]),
    default="all",
    show_default=True,
    help="Which benchmark: site build, machine translation (needs the translate extra), or both.",
)
@click.option(
    "--segments",
    type=click.IntRange(min=1),
    help="Machine translation: only the first N German texts (catalog order); default all. "
    "argostranslate's one-call-per-text side needs about 1 s per sentence on 2 CPUs.",
)
def bench(project: str | None, runs: int, output: str | None, part: str, segments: int | None) -> None:
    """Measure build times and page sizes, and machine translation throughput.

    \b
    Example:
      kim-site bench --runs 3 --output bench.md
      kim-site bench --part translate --runs 3 --segments 200
    """
    from .bench import run_benchmark

    report = run_benchmark(_root(project), runs=runs, part=part, segments=segments)
    click.echo(report)
    if output:
        Path(output).write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
