"""Benchmark of the FAQ helper (issue 4): accuracy on the evaluation set per language,
latency per question, index size per language, and Material's own search on the same
questions in a real browser (how often its first result is the right FAQ entry).

    python -m kim_site.bench_faq [--site DIR] [--no-browser]
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import platform
import statistics
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from .answers import Answers
from .build import build_site
from .faq_index import INDEX_PATH
from .languages import load_languages
from .pages import Project

EVAL_FILE = Path("tests") / "data" / "faq_eval.yml"
CHROMIUM = "/usr/bin/chromium"


def load_eval(root: Path) -> list[dict[str, str]]:
    questions = YAML(typ="safe").load((root / EVAL_FILE).read_text(encoding="utf-8"))["questions"]
    return [{"lang": str(q["lang"]), "q": str(q["q"]), "expect": str(q["expect"])} for q in questions]


def helper_scores(root: Path, questions: list[dict[str, str]]) -> dict[str, Any]:
    answers = Answers(Project.at(root))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    latencies: list[float] = []
    for item in questions:
        matcher = answers.matcher(item["lang"])
        matcher.ask(item["q"])  # warm (first call per language pays for imports and caches)
    for item in questions:
        matcher = answers.matcher(item["lang"])
        started = time.perf_counter()
        found = [m.id for m in matcher.ask(item["q"], limit=3)]
        latencies.append(time.perf_counter() - started)
        c = counts[item["lang"]]
        if item["expect"] == "none":
            c["offtopic"] += 1
            c["rejected"] += not found
        else:
            c["ontopic"] += 1
            c["top1"] += found[:1] == [item["expect"]]
            c["top3"] += item["expect"] in found
    latencies.sort()
    return {
        "counts": counts,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def material_search_scores(
    site: Path, questions: list[dict[str, str]], prefixes: dict[str, str]
) -> Counter[str]:
    """Types every on-topic question into Material's search box (its own worker and index, in
    Chromium) and counts how often the first result is the expected FAQ entry."""
    from playwright.sync_api import sync_playwright

    counts: Counter[str] = Counter()
    by_lang: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in questions:
        if item["expect"] != "none":
            by_lang[item["lang"]].append(item)
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for lang, items in sorted(by_lang.items()):
            page.goto(base + prefixes[lang])
            page.wait_for_load_state("networkidle")
            page.keyboard.press("/")  # Material's shortcut: opens the search and starts its worker
            for item in items:
                # Material searches on key events (fill() alone does not trigger it).
                page.fill(".md-search__input", "")
                page.keyboard.type(item["q"])
                page.wait_for_timeout(600)  # its worker answers within a few milliseconds
                links = page.eval_on_selector_all(
                    ".md-search-result__item:first-child a", "els => els.slice(0, 2).map(e => e.href)"
                )
                counts["ontopic"] += 1
                counts["top1"] += any(link.endswith("#" + item["expect"]) for link in links)
        browser.close()
    return counts


def run(root: Path, site: Path | None, browser: bool) -> str:
    questions = load_eval(root)
    with tempfile.TemporaryDirectory(prefix="kim-bench-faq-") as temp:
        if site is None:
            site = Path(temp) / "site"
            build_site(root, site)
        project = Project.at(root)
        languages = load_languages(project.i18n_dir / "languages.yml")
        prefixes = {lang.locale: lang.url_prefix for lang in languages}
        scores = helper_scores(root, questions)
        sizes = {
            lang.locale: len(gzip.compress((site / lang.url_prefix / INDEX_PATH).read_bytes(), 9))
            for lang in languages
        }
        material = material_search_scores(site, questions, prefixes) if browser else None
    return _report(scores, sizes, material, len(questions))


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def _report(scores: dict[str, Any], sizes: dict[str, int], material: Counter[str] | None, n: int) -> str:
    counts: dict[str, Counter[str]] = scores["counts"]
    total: Counter[str] = sum(counts.values(), Counter())
    lines = [
        "## FAQ helper (issue 4)",
        "",
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, "
        f"Python {platform.python_version()}, with `python -m kim_site.bench_faq`, over the "
        f"evaluation set `tests/data/faq_eval.yml` ({n} questions, written independently of the "
        "FAQ paraphrases).",
        "",
        "| measure | value | target |",
        "|---|---:|---:|",
        f"| top-1 accuracy (on-topic, {total['ontopic']} questions) "
        f"| {_pct(total['top1'], total['ontopic'])} | ≥ 85 % |",
        f"| top-3 accuracy | {_pct(total['top3'], total['ontopic'])} | ≥ 95 % |",
        f"| off-topic questions rejected ({total['offtopic']}) "
        f"| {_pct(total['rejected'], total['offtopic'])} | ≥ 90 % |",
        f"| latency per question, median / p99 | {scores['p50_ms']:.2f} / {scores['p99_ms']:.2f} ms "
        "| p99 ≤ 5 ms |",
        f"| widget index per language, gzip, largest | {max(sizes.values()) / 1024:.1f} KB | ≤ 60 KB |",
    ]
    if material is not None:
        lines.append(
            f"| Material's search: first result is the right FAQ entry | "
            f"{_pct(material['top1'], material['ontopic'])} | (comparison) |"
        )
    lines += [
        "",
        "Per language:",
        "",
        "| language | on-topic | top-1 | top-3 | off-topic rejected |",
        "|---|---:|---:|---:|---:|",
    ]
    for lang, c in sorted(counts.items(), key=lambda item: -item[1]["ontopic"]):
        lines.append(
            f"| {lang} | {c['ontopic']} | {_pct(c['top1'], c['ontopic'])} | {_pct(c['top3'], c['ontopic'])} "
            f"| {c['rejected']}/{c['offtopic']} |"
        )
    lines += [
        "",
        "Index size per language (gzip, KB): " + ", ".join(f"{k} {v / 1024:.1f}" for k, v in sizes.items()),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, help="An already built site (default: build one).")
    parser.add_argument("--no-browser", action="store_true", help="Skip the Material search comparison.")
    args = parser.parse_args()
    print(run(Path.cwd(), args.site, not args.no_browser), end="")


if __name__ == "__main__":
    main()
