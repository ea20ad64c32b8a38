"""deploy/_headers and deploy/nginx.conf: the same headers, a CSP that fits the built site.

The browser tests (tests/test_browser.py) load every checked page with these headers and
fail on any CSP violation; here the policy itself and the inline scripts are checked.
"""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.request
from pathlib import Path

from .conftest import ROOT
from .siteserver import SiteServer, csp_directives, parse_nginx_headers, read_headers_file

HEADERS = read_headers_file(ROOT / "deploy" / "_headers")["/*"]
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)


def test_nginx_snippet_sets_the_same_headers() -> None:
    assert parse_nginx_headers(ROOT / "deploy" / "nginx.conf") == HEADERS


def test_headers_are_strict() -> None:
    assert HEADERS["X-Content-Type-Options"] == "nosniff"
    assert HEADERS["Referrer-Policy"] == "no-referrer"
    csp = csp_directives(HEADERS["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    for directive, sources in csp.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, directive
        # Only the site itself: no other host, no wildcard.
        assert all(s in ("'self'", "'none'", "data:") or s.startswith("'sha256-") for s in sources), directive


def test_every_inline_script_is_allowed_by_its_hash_and_every_hash_is_used(site: Path) -> None:
    script_src = csp_directives(HEADERS["Content-Security-Policy"])["script-src"]
    allowed = {s[len("'sha256-") : -1] for s in script_src if s.startswith("'sha256-")}
    used: set[str] = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for attributes, body in _INLINE_SCRIPT.findall(text):
            if 'type="application/json"' in attributes:
                continue  # data, not run (Material's configuration)
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert digest in allowed, (page, body[:80])
            used.add(digest)
        # style-src 'self': no inline styles in the markup.
        assert "<style" not in text and not re.search(r'\sstyle="', text), page
    assert used == allowed


def test_served_pages_carry_the_headers(site: Path, site_server: SiteServer) -> None:
    for path in ("", "ar/kommunen/kreis-unna/", "assets/kim.js", "search/search_index.json"):
        with urllib.request.urlopen(site_server.url + path) as response:
            for name, value in HEADERS.items():
                assert response.headers[name] == value, (path, name)
