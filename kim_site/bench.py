"""Benchmarks, each run alternately side by side on the same machine.

- build: plain `mkdocs build` vs `kim-site build`; page count and gzip sizes of the pages.
- translate: `kim-site translate`'s batched CTranslate2 decoding vs argostranslate's
  one-string ``translate()``, on the same model and the same segments (the site's German
  texts); and the time of a `kim-site translate` run with nothing to do over all catalogs.
  No published model can be downloaded here, so the model is built: argos-sized (6+6
  layers, 512 wide, 32k vocabulary, int8), random weights (see ``kim_site.testmodel``).

The machines are noisy, so the claim is the ratio of medians of runs taken side by side,
not an absolute time.

    python -m kim_site.bench --runs 3     (or: kim-site bench --runs 3 [--part translate])
"""

from __future__ import annotations

import datetime
import gzip
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .build import build_site


def _plain_mkdocs_build(root: Path, site_dir: Path, generated: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", KIM_SITE_GENERATED=str(generated))
    env.pop("KIM_SITE_LOCALE", None)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def _raw_times(*series: tuple[str, list[float]]) -> str:
    """'Raw times (s): plain 30.2, 29.7; kim-site 10.1, 10.4.' for the alternating runs."""
    return (
        "Raw times (s): "
        + "; ".join(f"{name} " + ", ".join(f"{t:.1f}" for t in times) for name, times in series)
        + "."
    )


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def _machine() -> str:
    python = platform.python_version()
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {python}, {platform.system()}"


def run_benchmark(root: Path, runs: int = 1, part: str = "all", segments: int | None = None) -> str:
    reports = []
    if part in ("all", "build"):
        reports.append(run_build_benchmark(root, runs))
    if part in ("all", "translate"):
        reports.append(run_translate_benchmark(root, runs, segments))
    return "\n".join(reports)


def run_build_benchmark(root: Path, runs: int = 1) -> str:
    plain_times: list[float] = []
    ours_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="kim-bench-") as temp:
        work = Path(temp)
        for run in range(runs):
            # Alternate so that both see the same machine load.
            plain_times.append(_plain_mkdocs_build(root, work / f"plain-{run}", work / f"gen-{run}"))
            started = time.perf_counter()
            build_site(root, work / "ours")
            ours_times.append(time.perf_counter() - started)
        site = work / "ours"
        pages = sorted(site.rglob("*.html"))
        kommune_pages = [p for p in pages if p.parent.parent.name == "kommunen"]
        kommune_gzip = [_gzip_size(p) for p in kommune_pages]
        all_gzip = [_gzip_size(p) for p in pages]
        indexes = sorted(site.rglob("search/search_index.json"))
        index_gzip = [_gzip_size(p) for p in indexes]
        plain_pages = sum(1 for _ in (work / "plain-0").rglob("*.html"))

    plain, ours = statistics.median(plain_times), statistics.median(ours_times)
    today = datetime.date.today().isoformat()
    machine = _machine()
    lines = [
        f"Measured {today} on {machine}; {runs} alternating run(s) each, medians.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| plain `mkdocs build` (all languages, one process) | {plain:.1f} s |",
        f"| `kim-site build` (a process per language, {os.cpu_count()} at a time) | {ours:.1f} s |",
        f"| ratio kim-site / plain (target <= 0.40) | {ours / plain:.2f} |",
        f"| HTML pages (kim-site build / plain build) | {len(pages)} / {plain_pages} |",
        f"| Kommune pages | {len(kommune_pages)} |",
        f"| median gzip size of a Kommune page (target < 20 KB) "
        f"| {statistics.median(kommune_gzip) / 1024:.1f} KB |",
        f"| largest gzip size of a Kommune page | {max(kommune_gzip) / 1024:.1f} KB |",
        f"| median gzip size of any HTML page | {statistics.median(all_gzip) / 1024:.1f} KB |",
        f"| search indexes | {len(indexes)} (one per language) |",
        f"| median / largest gzip size of a search index | {statistics.median(index_gzip) / 1024:.1f}"
        f" / {max(index_gzip) / 1024:.1f} KB |",
        "",
        _raw_times(("plain", plain_times), ("kim-site", ours_times)),
    ]
    return "\n".join(lines) + "\n"


# --- machine translation -----------------------------------------------------------------


class _RuleSentencizer:
    """argostranslate's sentence splitters download models; give it ours (same sentences)."""

    def split_sentences(self, text: str) -> list[str]:
        from .sentences import split_sentences

        return split_sentences(text)


def _segments(root: Path) -> list[str]:
    """The site's German texts, protected as `kim-site translate` sends them to the model."""
    from .autotranslate import GLOSSARY_FILE
    from .catalog import message_order
    from .pages import Project, load_sources, source_messages
    from .protect import Glossary, Protector

    project = Project.at(root)
    protector = Protector(Glossary.load(project.i18n_dir / GLOSSARY_FILE))
    messages = sorted(source_messages(load_sources(project)), key=message_order)
    masked = [protector.mask(msgid) for _, msgid in messages]
    return [m.text for m in masked if m.needs_model]


def run_translate_benchmark(root: Path, runs: int = 1, limit: int | None = None) -> str:
    from argostranslate import package as argos_package
    from argostranslate import settings as argos_settings
    from argostranslate import translate as argos_translate

    from .sentences import split_sentences
    from .testmodel import ARGOS_SIZED, build_argos_package
    from .translate import BatchTranslator, install_model

    every = _segments(root)
    segments = every[:limit] if limit else every
    sentences = [s for segment in segments for s in split_sentences(segment)]
    batched_times: list[float] = []
    argos_times: list[float] = []
    tuned_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="kim-bench-mt-") as temp:
        work = Path(temp)
        started = time.perf_counter()
        model = install_model(build_argos_package(work, "de", "en", ARGOS_SIZED), work / "packages")
        build_seconds = time.perf_counter() - started
        ours = BatchTranslator(model, device="cpu")
        pkg = argos_package.Package(model.path)

        def argos_translation(intra_threads: int) -> Any:
            # argostranslate reads its thread setting when a translation first loads the model.
            default, argos_settings.intra_threads = argos_settings.intra_threads, intra_threads
            translation = argos_translate.PackageTranslation(
                argos_translate.Language("de", "German"), argos_translate.Language("en", "English"), pkg
            )
            translation.sentencizer = _RuleSentencizer()
            translation.translate(segments[0])  # loads the model
            argos_settings.intra_threads = default
            return translation

        # argostranslate's default (ARGOS_INTRA_THREADS unset: CTranslate2 picks the threads)
        # and its best setting for one string at a time on a small CPU, one thread (4x faster
        # here): the speed-up is reported against the faster of the two.
        theirs = argos_translation(argos_settings.intra_threads)
        tuned = argos_translation(1)
        ours.translate(sentences[:8])  # warm up: the first call loads the model
        for _ in range(runs):
            for translation, times in ((theirs, argos_times), (tuned, tuned_times)):
                started = time.perf_counter()
                for segment in segments:
                    translation.translate(segment)
                times.append(time.perf_counter() - started)
            started = time.perf_counter()
            ours.translate(sentences)
            batched_times.append(time.perf_counter() - started)
        rerun_library, rerun_command, rerun_cold = _no_change_rerun(root, work / "project", runs)

    argos, batched = statistics.median(argos_times), statistics.median(batched_times)
    argos_tuned = statistics.median(tuned_times)
    unique = len(set(sentences))
    which = "" if len(segments) == len(every) else ", the first in catalog order"
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {_machine()}; {runs} alternating run(s) each, "
        "medians; CPU, beam 4, int8.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| segments (German texts of the site{which}) / sentences / distinct sentences "
        f"| {len(segments)} of {len(every)} / {len(sentences)} / {unique} |",
        f"| model: argos-sized random weights, built and installed in | {build_seconds:.1f} s |",
        f"| argostranslate `translate()`, one call per segment, its default threads | {argos:.1f} s "
        f"({len(sentences) / argos:.1f} sentences/s) |",
        f"| argostranslate `translate()`, one call per segment, `ARGOS_INTRA_THREADS=1` | "
        f"{argos_tuned:.1f} s ({len(sentences) / argos_tuned:.1f} sentences/s) |",
        f"| `kim-site translate` batched CTranslate2 | {batched:.1f} s "
        f"({len(sentences) / batched:.1f} sentences/s) |",
        f"| speed-up batched / one string, against the faster one-string setting (target >= 5) "
        f"| {min(argos, argos_tuned) / batched:.1f}x |",
        f"| speed-up against argostranslate's default threads | {argos / batched:.1f}x |",
        f"| re-run with nothing to do, all 19 catalogs: library call | {rerun_library:.2f} s |",
        "| re-run with nothing to do, whole `kim-site translate` command (target < 1 s) "
        f"| {rerun_command:.2f} s |",
        "| the same command without its sync cache (first run after a clone, or after every "
        f"catalog changed) | {rerun_cold:.2f} s |",
        "",
        _raw_times(
            ("argostranslate default", argos_times),
            ("argostranslate one thread", tuned_times),
            ("batched", batched_times),
        ),
    ]
    return "\n".join(lines) + "\n"


def _no_change_rerun(root: Path, project: Path, runs: int) -> tuple[float, float, float]:
    """Median times of `kim-site translate` over complete, in-sync catalogs (a copy of them).

    Library call and command with the sync cache a previous run left, and the command
    without it (what the first run after a clone costs).
    """
    import shutil

    from .autotranslate import translate_catalogs
    from .pages import Project, load_sources
    from .sync_cache import CACHE_FILE

    project.mkdir(parents=True)
    for part in ("mkdocs.yml", "docs", "i18n", "overrides", "data", "schema"):
        source = root / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        elif source.exists():
            shutil.copy2(source, project / part)
    library: list[float] = []
    command: list[float] = []
    cold: list[float] = []

    def run_command() -> float:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kim_site.cli", "translate", "--project", str(project)],
            check=True,
            capture_output=True,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        )
        return time.perf_counter() - started

    for _ in range(max(runs, 3)):
        (project / CACHE_FILE).unlink(missing_ok=True)
        cold.append(run_command())
        started = time.perf_counter()
        report = translate_catalogs(load_sources(Project.at(project)))
        library.append(time.perf_counter() - started)
        if report.translated:
            raise RuntimeError("the no-change benchmark needs complete catalogs")
        command.append(run_command())
    return statistics.median(library), statistics.median(command), statistics.median(cold)


if __name__ == "__main__":
    from .cli import bench

    bench(prog_name="python -m kim_site.bench")
