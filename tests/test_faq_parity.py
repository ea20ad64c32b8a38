"""The browser widget ranks like Python: docs/assets/faq-match.js under Node, on the built
site's index of each language, gives the same top answer for every evaluation question."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

from kim_site.faq import FaqMatcher
from kim_site.faq_index import INDEX_PATH
from kim_site.languages import load_languages

from .conftest import ROOT
from .test_faq import EVAL

RANK_JS = ROOT / "tests" / "js" / "rank.js"


def test_widget_and_python_give_the_same_top_answer(site: Path, tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed for the parity test (the project's machines have Node 20)"
    by_lang: dict[str, list[str]] = defaultdict(list)
    for item in EVAL:
        by_lang[item["lang"]].append(item["q"])
    prefixes = {lang.locale: lang.url_prefix for lang in load_languages(ROOT / "i18n" / "languages.yml")}
    compared = 0
    for locale, questions in sorted(by_lang.items()):
        index_path = site / prefixes[locale] / INDEX_PATH
        questions_path = tmp_path / f"{locale}.json"
        questions_path.write_text(json.dumps(questions), encoding="utf-8")
        result = subprocess.run(
            [node, str(RANK_JS), str(index_path), str(questions_path)],
            capture_output=True,
            text=True,
            check=True,
        )
        in_browser = json.loads(result.stdout)["ranked"]
        matcher = FaqMatcher(json.loads(index_path.read_text(encoding="utf-8")))
        in_python = [[m.id for m in matcher.ask(q)] for q in questions]
        differing = [
            (q, b[:1], p[:1])
            for q, b, p in zip(questions, in_browser, in_python, strict=True)
            if b[:1] != p[:1]
        ]
        assert differing == [], locale
        compared += len(questions)
    assert compared == len(EVAL)
