"""Chromium (Debian's /usr/bin/chromium) driven by Playwright, and axe-core from npm.

`.ci/run` installs both (apt-get install chromium; npm ci). Playwright's own browser
download does not work on these machines, so the system Chromium is launched by path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT  # noqa: F401 (re-exported)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Collects Content-Security-Policy violations the page itself reports.
RECORD_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


@dataclass
class PageLog:
    """What a page did: console errors (CSP reports among them) and every request."""

    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def csp_violations(self, page: Any) -> list[str]:
        reported = [m for m in self.console if "Content Security Policy" in m]
        return reported + list(page.evaluate("window.__csp || []"))


def watch(page: Any) -> PageLog:
    log = PageLog()
    page.on("console", lambda m: log.console.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: log.console.append(f"page error: {e}"))
    page.on("request", lambda r: log.requests.append(r.url))
    page.add_init_script(RECORD_CSP)
    return log


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core's violations of the given impacts on the current page (WCAG 2.1 A/AA rules and
    axe's best practices). Injected through the DevTools protocol, so the site's CSP allows it."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary)}))"""
    )
    return [v for v in result if v["impact"] in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)
