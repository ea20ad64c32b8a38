"""A link and anchor checker over a built static site (no network, no server).

Every `href`/`src` of every HTML page is resolved the way a browser resolves it against the
page's URL on the deployed site (``site_url``, a sub-path included). Links inside the site
must name an existing file, and a `#fragment` an existing `id` (or `<a name>`) in the target
page. `mailto:` and `tel:` must be well formed; any other scheme than http(s), mailto and tel
is an error. With ``file_mode`` (an offline copy opened from disk) a link to a folder is an
error too, since file:// shows no index.html for it.

Faster than linkchecker on this site (about 3 s for 1,220 pages instead of about a minute)
and it checks anchors, which linkchecker only does with a plugin. MkDocs writes attributes
in double quotes; vnu (tests/test_html_valid.py) makes sure the HTML is well formed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_TAG = re.compile(r"<(a|link|script|img|source|iframe|area|form|video|audio|embed)\b([^>]*)>", re.I)
_ATTR = re.compile(r'\s(href|src|action)="([^"]*)"', re.I)
_IDS = re.compile(r'\s(?:id|name)="([^"]*)"')
MAILTO = re.compile(r"^mailto:[A-Za-z0-9.!#$%&'*+/=?^_`{|}~%-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
TEL = re.compile(r"^tel:\+[1-9][0-9]{5,14}$")  # E.164


@dataclass
class LinkReport:
    pages: int = 0
    internal: int = 0
    anchors: int = 0
    external: set[str] = field(default_factory=set)
    mailto: int = 0
    tel: int = 0
    problems: list[str] = field(default_factory=list)


def check_site(site: Path, site_url: str, *, file_mode: bool = False) -> LinkReport:
    base = urlsplit(site_url)
    prefix = base.path if base.path.endswith("/") else base.path + "/"
    report = LinkReport()

    @cache
    def ids(target: Path) -> frozenset[str]:
        return frozenset(html.unescape(i) for i in _IDS.findall(target.read_text(encoding="utf-8")))

    def to_file(path: str) -> Path | None:
        if not path.startswith(prefix):
            return None
        target = site / unquote(path[len(prefix) :])
        if path.endswith("/"):
            target = target / "index.html"
        return target

    for page in sorted(site.rglob("*.html")):
        report.pages += 1
        relative = page.relative_to(site).as_posix()
        if not file_mode and relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        page_url = f"{base.scheme}://{base.netloc}{prefix}{relative}"
        text = page.read_text(encoding="utf-8")
        for tag in _TAG.finditer(text):
            for _, raw in _ATTR.findall(tag[2]):
                url = html.unescape(raw)
                where = f"{page.relative_to(site)}: {url!r}"
                scheme = urlsplit(url).scheme.lower()
                if scheme == "mailto":
                    report.mailto += 1
                    if not MAILTO.match(url):
                        report.problems.append(f"{where}: malformed mailto: link")
                    continue
                if scheme == "tel":
                    report.tel += 1
                    if not TEL.match(url):
                        report.problems.append(f"{where}: malformed tel: link (want tel:+<E.164>)")
                    continue
                if scheme not in ("", "http", "https"):
                    report.problems.append(f"{where}: scheme {scheme}: is not allowed")
                    continue
                absolute = urlsplit(urljoin(page_url, url))
                if (absolute.scheme, absolute.netloc) != (base.scheme, base.netloc):
                    report.external.add(url)
                    continue
                target = to_file(absolute.path)
                if target is None:
                    report.problems.append(f"{where}: leaves the site's path {prefix}")
                    continue
                report.internal += 1
                if target.is_dir():
                    if file_mode or not (target / "index.html").is_file():
                        report.problems.append(f"{where}: is a folder, not a file")
                        continue
                    report.problems.append(f"{where}: folder link without a trailing slash")
                    continue
                if not target.is_file():
                    report.problems.append(f"{where}: no such file {target.relative_to(site)}")
                    continue
                if file_mode and absolute.path.endswith("/"):
                    report.problems.append(f"{where}: folder link (file:// shows no index.html)")
                if absolute.fragment and target.suffix == ".html":
                    report.anchors += 1
                    if unquote(absolute.fragment) not in ids(target):
                        report.problems.append(f"{where}: no id {absolute.fragment!r} in {target.name}")
    return report
