"""The FAQ helper widget in headless Chromium: it answers on the device (no request leaves
the site while asking, the question is sent nowhere), works by keyboard, announces its
results, is right-to-left in Arabic, and is a plain link to the FAQ page without JavaScript."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from .browser import watch
from .siteserver import SiteServer


@pytest.fixture(scope="module")
def base_url(site: Path, site_server: SiteServer) -> str:
    """The built site as deployed: under a sub-path, with the CSP of deploy/_headers."""
    return site_server.url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    yield context.new_page()
    context.close()


def _ask(page: Page, question: str) -> None:
    page.fill("#kim-helper-q", question)
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.kim-helper__status').textContent.length > 0")


def test_asking_sends_nothing_anywhere(page: Page, base_url: str) -> None:
    log = watch(page)
    page.goto(base_url + "themen/aufenthalt/")
    page.wait_for_load_state("networkidle")
    requests: list[Any] = []
    page.on("request", lambda request: requests.append(request))
    page.get_by_role("button", name="Frage stellen").click()
    page.wait_for_selector("dialog.kim-helper[open]")
    question = "Mein Aufenthaltstitel laeuft bald ab"
    _ask(page, question)
    assert page.locator(".kim-helper__answers li h3").first.inner_text().startswith("Mein Aufenthaltstitel")
    _ask(page, "wie bekomme ich kindergeld")
    origin = urlsplit(base_url).netloc
    assert requests, "opening the helper loads its index"
    for request in requests:
        assert urlsplit(request.url).netloc == origin, request.url
        assert request.method == "GET" and request.post_data is None
        assert "laeuft" not in request.url and "kindergeld" not in request.url
    loaded = {urlsplit(r.url).path for r in requests}
    assert urlsplit(base_url).path + "assets/faq-index.json" in loaded
    assert log.csp_violations(page) == []


def test_keyboard_only_focus_and_announced_results(page: Page, base_url: str) -> None:
    page.goto(base_url)
    button = page.get_by_role("button", name="Frage stellen")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog.kim-helper[open]")
    assert page.evaluate("document.activeElement.id") == "kim-helper-q"
    _ask(page, "was ist ein wohnberechtigungsschein")
    status = page.locator(".kim-helper__status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == "3 Antworten gefunden." or status.inner_text().endswith("gefunden.")
    assert (
        page.locator(".kim-helper__answers li h3")
        .first.inner_text()
        .startswith("Was ist ein Wohnberechtigungsschein")
    )
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.kim-helper:not([open])", state="attached")
    assert page.evaluate("document.activeElement.getAttribute('aria-haspopup')") == "dialog"


def test_off_topic_question_offers_topics_and_the_local_case_management(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.get_by_role("button", name="Frage stellen").click()
    page.fill("#kim-helper-place", "Bonn")
    page.dispatch_event("#kim-helper-place", "change")
    _ask(page, "wie wird das wetter morgen")
    assert page.locator(".kim-helper__answers").count() == 0
    assert page.locator(".kim-helper__topics li a").count() == 11
    local = page.locator(".kim-helper__local").inner_text()
    assert "Bonn" in local and "kim@bonn.de" in local
    # The choice is remembered on the device and points "your Kommune" links there.
    page.goto(base_url + "themen/aufenthalt/")
    assert page.locator("a.kim-kommune-link").first.get_attribute("href").endswith("kommunen/bonn/")


def test_arabic_helper_is_right_to_left_and_in_arabic(page: Page, base_url: str) -> None:
    page.goto(base_url + "ar/")
    button = page.locator("button.kim-helper-button")
    button.click()
    dialog = page.locator("dialog.kim-helper")
    dialog.wait_for()
    assert dialog.get_attribute("dir") == "rtl" and dialog.get_attribute("lang") == "ar"
    box = button.bounding_box()
    assert box is not None and box["x"] < 180, "the button sits at the inline end: left in RTL"
    _ask(page, "Kindergeld")
    assert page.locator(".kim-helper__answers li").count() >= 1


def test_without_javascript_the_button_is_a_link_to_the_faq(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "themen/aufenthalt/")
    link = page.locator("a.kim-helper-button")
    assert link.get_attribute("href") == "../../faq/"
    link.click()
    assert page.url == base_url + "faq/"
    context.close()


def test_helper_answers_in_the_offline_copy_from_a_file(site: Path, page: Page, tmp_path: Path) -> None:
    with zipfile.ZipFile(site / "downloads" / "kim-site-ar.zip") as zipped:
        zipped.extractall(tmp_path)
    log = watch(page)
    page.goto((tmp_path / "kim-site-ar" / "index.html").as_uri())
    page.locator("button.kim-helper-button").click()
    page.wait_for_selector("dialog.kim-helper[open]")
    _ask(page, "Kindergeld")
    more = page.locator(".kim-helper__answers li a").first.get_attribute("href") or ""
    assert more.endswith("faq/geld/index.html#child-benefit")
    assert all(url.startswith(("file://", "data:", "about:")) for url in log.requests), log.requests
