"""`kim-site serve --lang de`: a live preview that shows a YAML change without a restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import copy_project, read


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch_until(url: str, expected: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                last = response.read().decode("utf-8")
            if expected in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{expected!r} did not appear at {url} within {seconds} s")


def test_live_preview_reloads_a_data_change(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kim_site.cli",
            "serve",
            "--project",
            str(project),
            "--lang",
            "de",
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/kommunen/kreis-unna/"
        fetch_until(url, '<h1 id="kreis-unna">Kreis Unna</h1>', 60)
        data = project / "data" / "kommunen" / "kreis-unna.yml"
        data.write_text(
            read(data).replace("name: Kreis Unna", "name: Kreis Unna (Vorschau)"), encoding="utf-8"
        )
        fetch_until(url, "Kreis Unna (Vorschau)</h1>", 60)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
