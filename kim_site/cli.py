"""The `kim-site` command (thin: it parses options, calls the library, maps errors to exit codes)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click

from . import i18n_check
from .build import BuildError, build_site
from .load import DataError, load_kommunen
from .model import Kommune
from .pages import Project, load_sources

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
    "--site-url", help="Public address of the site, e.g. https://example.org/kim/ (for canonical links)."
)
def build(
    project: str | None,
    data_dir: str | None,
    site_dir: str,
    locales: tuple[str, ...],
    jobs: int | None,
    strict: bool,
    site_url: str | None,
) -> None:
    """Build the whole site (or some languages) into a static folder.

    \b
    Example:
      kim-site build
      kim-site build --lang de --lang ar --site-dir /tmp/preview
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
        )
    except DataError as error:
        _fail_on_data_error(error)
    except (BuildError, KeyError) as error:
        click.echo(f"error: {error}", err=True)
        click.echo("The previous site was left unchanged.", err=True)
        sys.exit(1)
    click.echo(
        f"Built {report.pages} pages in {len(report.languages)} language(s) into {report.site_dir} "
        f"in {report.seconds:.1f} s."
    )


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
    """Check all Kommune files and print every problem (exit code 1 if there is any).

    \b
    Example:
      kim-site validate
      kim-site validate --data path/to/data
    """
    try:
        kommunen = load_kommunen(Path(data_dir))
    except DataError as error:
        _fail_on_data_error(error)
    offices = sum(len(k.offices) for k in kommunen)
    click.echo(f"OK: {len(kommunen)} Kommunen, {offices} offices, no problems.")


@main.command()
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file instead of printing.")
@click.option(
    "--check",
    "check_file",
    type=click.Path(dir_okay=False),
    help="Fail (exit 1) if this file differs from the current schema.",
)
def schema(output: str | None, check_file: str | None) -> None:
    """Print the JSON Schema of a Kommune file (editors use it for completion).

    \b
    Example:
      kim-site schema --output schema/kommune.schema.json
      kim-site schema --check schema/kommune.schema.json
    """
    text = kommune_schema_text()
    if check_file:
        current = Path(check_file).read_text(encoding="utf-8") if Path(check_file).exists() else ""
        if current != text:
            click.echo(f"{check_file} is out of date; run: kim-site schema --output {check_file}", err=True)
            sys.exit(1)
        click.echo(f"{check_file} is up to date.")
    elif output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text, nl=False)


def kommune_schema_text() -> str:
    schema = Kommune.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kim-site Kommune file"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


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
def bench(project: str | None, runs: int, output: str | None, part: str) -> None:
    """Measure build times and page sizes, and machine translation throughput.

    \b
    Example:
      kim-site bench --runs 3 --output bench.md
      kim-site bench --part translate --runs 3
    """
    from .bench import run_benchmark

    report = run_benchmark(_root(project), runs=runs, part=part)
    click.echo(report)
    if output:
        Path(output).write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
