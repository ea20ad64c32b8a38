"""Benchmark: plain `mkdocs build` vs `kim-site build`, run alternately on the same machine.

The machines are noisy, so the claim is the ratio of medians of runs taken side by side,
not an absolute time. Also reports page count and gzip sizes of the built pages.

    python -m kim_site.bench --runs 3     (or: kim-site bench --runs 3)
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


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def run_benchmark(root: Path, runs: int = 1) -> str:
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
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()}"
    )
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
        "Raw times (s): plain "
        + ", ".join(f"{t:.1f}" for t in plain_times)
        + "; kim-site "
        + ", ".join(f"{t:.1f}" for t in ours_times)
        + ".",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from .cli import bench

    bench(prog_name="python -m kim_site.bench")
