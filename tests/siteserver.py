"""A tiny HTTP server for the built site, the way a static host serves it.

The site is served under a sub-path (/sub/), with the HTTP headers of deploy/_headers on
every response, and the site's 404 page for unknown paths.
"""

from __future__ import annotations

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SUB_PATH = "/sub/"


def read_headers_file(path: Path) -> dict[str, dict[str, str]]:
    """Parse a Netlify/Cloudflare `_headers` file: {path pattern: {header: value}}."""
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = rules.setdefault(line.strip(), {})
            continue
        name, _, value = line.strip().partition(":")
        if current is None or not value:
            raise ValueError(f"{path}: header line outside a path block: {line!r}")
        current[name.strip()] = value.strip()
    return rules


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, server_state: SiteServer, **kwargs: Any) -> None:
        self.state = server_state
        super().__init__(*args, directory=str(server_state.site_dir), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  # quiet test output
        self.state.requests.append(self.path)

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return str(self.state.site_dir / "does-not-exist")
        return super().translate_path("/" + path[len(SUB_PATH) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (self.state.site_dir / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        for name, value in self.state.headers.items():
            self.send_header(name, value)
        super().end_headers()


class SiteServer:
    """Serves ``site_dir`` at http://127.0.0.1:<port>/sub/ in a background thread."""

    def __init__(self, headers_file: Path):
        rules = read_headers_file(headers_file)
        self.headers = rules["/*"]
        self.site_dir = Path("/nonexistent")
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, server_state=self))
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}{SUB_PATH}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def csp_directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def parse_nginx_headers(path: Path) -> dict[str, str]:
    return {
        m[1]: m[2]
        for m in re.finditer(r'^\s*add_header\s+([\w-]+)\s+"([^"]*)"\s+always;', path.read_text(), re.M)
    }
