"""The FAQ helper in Python: normalisation, ranking quality on the evaluation set, the
`kim-site ask` / `kim-site where` contract, and the index files of the built site."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from kim_site.answers import Answers
from kim_site.bench_faq import helper_scores, load_eval
from kim_site.cli import main
from kim_site.faq import FaqMatcher, fold, normalise
from kim_site.faq_index import INDEX_PATH
from kim_site.languages import load_languages
from kim_site.pages import Project
from kim_site.places import load_gemeinden
from kim_site.stopwords import stopwords_for

from .conftest import ROOT

EVAL = YAML(typ="safe").load((ROOT / "tests" / "data" / "faq_eval.yml").read_text(encoding="utf-8"))[
    "questions"
]
LANGUAGES = load_languages(ROOT / "i18n" / "languages.yml")
INDEX_BUDGET_GZIP = 60 * 1024  # issue 4: the widget's index per language


@pytest.fixture(scope="module")
def answers() -> Answers:
    return Answers(Project.at(ROOT))


# --- normalisation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Mönchengladbach", "moenchengladbach"),
        ("MOENCHENGLADBACH", "moenchengladbach"),
        ("Straße", "strasse"),
        ("Einbürgerung?!", "einbuergerung"),
        ("aufenthalts-titel", "aufenthalts titel"),
        ("مَكْتَبُ الأَجَانِب", "مكتب الاجانب"),  # harakat and hamza forms go
        ("مكـــتب", "مكتب"),  # tatweel
        ("کار یک", "كار يك"),  # Persian kaf and yeh = Arabic ones
        ("مدرسة", "مدرسه"),  # teh marbuta typed as heh
        ("٢٠٢٧ ۲۰۲۷", "2027 2027"),  # Arabic-Indic and Persian digits
        ("ትግርኛ።", "ትግርኛ"),  # Ethiopic full stop is punctuation
        ("Прошу допомоги", "прошу допомоги"),
    ],
)
def test_fold(typed: str, expected: str) -> None:
    assert " ".join(fold(typed).split()) == expected


def test_question_words_and_stop_words_are_dropped_per_language() -> None:
    assert normalise("Wo ist die Ausländerbehörde?", stopwords_for("de")) == "auslaenderbehoerde"
    assert normalise("How can I get a Termin?", stopwords_for("en")) == "termin"
    # An Arabic reader's index also drops German and English stop words (mixed questions).
    assert normalise("أين أجد jobcenter in Köln", stopwords_for("ar")) == "اجد jobcenter koeln"
    assert "arbeit" not in stopwords_for("de")


# --- ranking quality on the evaluation set -----------------------------------------------------------


@pytest.fixture(scope="module")
def evaluation() -> dict[str, Any]:
    """The benchmark's own measurement (python -m kim_site.bench_faq) over the evaluation set."""
    return helper_scores(ROOT, load_eval(ROOT))


def test_evaluation_set_is_large_and_labelled_with_catalogue_ids() -> None:
    catalogue = YAML(typ="safe").load(
        (ROOT / "tests" / "data" / "faq-catalogue.yml").read_text(encoding="utf-8")
    )
    ids = {entry["id"] for entry in catalogue["faq"]}
    labels = Counter(item["expect"] for item in EVAL)
    assert set(labels) - {"none"} <= ids
    assert sum(n for label, n in labels.items() if label != "none") >= 250
    assert labels["none"] >= 40
    languages = Counter(item["lang"] for item in EVAL)
    assert len([lang for lang, n in languages.items() if n >= 25]) >= 8


def test_top1_and_top3_accuracy_and_off_topic_rejection(evaluation: dict[str, Any]) -> None:
    total: Counter[str] = sum(evaluation["counts"].values(), Counter())
    top1 = total["top1"] / total["ontopic"]
    top3 = total["top3"] / total["ontopic"]
    rejected = total["rejected"] / total["offtopic"]
    # Issue 4 targets: top-1 >= 85 %, top-3 >= 95 %, off-topic rejected >= 90 %.
    assert top1 >= 0.85 and top3 >= 0.95 and rejected >= 0.90, (
        f"top-1 {top1:.1%}, top-3 {top3:.1%}, off-topic rejected {rejected:.1%}; "
        + ", ".join(
            f"{lang} {c['top1']}/{c['ontopic']}" for lang, c in sorted(evaluation["per_lang"].items())
        )
    )


def test_inflected_and_compound_words_match_by_their_start(answers: Answers) -> None:
    matcher = answers.matcher("de")
    weight, matches = matcher._word_matches("aufenthaltstitels")
    assert "aufenthaltstitel" in {matcher.vocab[v] for v in matches}
    # A shared start that is a small part of a long word is no match: "Steuer" is not
    # "Steuererklärung" (an off-topic question must not reach the Kindergeld entry by it).
    _, matches = matcher._word_matches("steuererklaerung")
    assert "steuer" not in {matcher.vocab[v] for v in matches}


def test_unknown_places_and_numbers_weigh_nothing(answers: Answers) -> None:
    matcher = answers.matcher("de")
    assert matcher._word_matches("dortmund") == (0, {})
    assert matcher._word_matches("moenchengladbch") == (0, {})  # typo in a place name
    assert matcher._word_matches("14") == (0, {})
    assert matcher._word_matches("regenschirm") == (matcher.unknown_weight, {})
    # Context alone is no question; with a topic word, the context does not drown it.
    assert matcher.ask("Dortmund 2024") == []
    plain = matcher.ask("Einbürgerung dauert lange", limit=1)
    with_context = matcher.ask("Einbürgerung dauert lange, seit 14 Monaten in Dortmund", limit=1)
    assert [m.id for m in plain] == [m.id for m in with_context] == ["naturalisation-duration"]


def test_p99_latency_per_question(evaluation: dict[str, Any]) -> None:
    # Target 5 ms (measured by `kim-site bench`); the test allows twice that for noisy machines.
    assert evaluation["p99_ms"] < 10


def test_questions_are_matched_in_german_and_english_from_every_language(answers: Answers) -> None:
    for locale in ("ar", "ti", "uk"):
        assert [m.id for m in answers.matcher(locale).ask("Kindergeld beantragen", limit=1)] == [
            "child-benefit"
        ]
        assert [m.id for m in answers.matcher(locale).ask("naturalisation test", limit=1)] == [
            "naturalisation-test"
        ]


# --- `kim-site ask` and `kim-site where` -----------------------------------------------------------------


def _json(args: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(main, [*args, "--project", str(ROOT), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


def test_ask_json_contract() -> None:
    data = _json(["ask", "mein aufenthaltstitel läuft bald ab", "--lang", "ar", "--limit", "2"])
    assert set(data) == {"query", "lang", "matches", "contacts"}
    assert data["lang"] == "ar" and data["query"] == "mein aufenthaltstitel läuft bald ab"
    assert 1 <= len(data["matches"]) <= 2
    best = data["matches"][0]
    assert set(best) == {"id", "score", "question", "answer", "url"}
    assert best["id"] == "residence-extend"
    assert isinstance(best["score"], float) and 0 < best["score"] <= 100
    assert best["url"] == "ar/faq/aufenthalt/#residence-extend"
    scores = [m["score"] for m in data["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert data["contacts"] == []


def test_ask_returns_the_offices_of_the_kommune_for_the_best_match() -> None:
    data = _json(["ask", "Ausländerbehörde Termin", "--kommune", "muenster"])
    assert data["matches"][0]["id"] == "residence-appointment"
    kinds = {contact["kind"] for contact in data["contacts"]}
    assert kinds == {"auslaenderbehoerde"}
    contact = data["contacts"][0]
    assert contact["source_url"].startswith("https://") and contact["last_verified"]


def test_off_topic_question_gets_no_match_but_the_kim_contact() -> None:
    data = _json(["ask", "what is the weather tomorrow", "--lang", "en", "--kommune", "bonn"])
    assert data["matches"] == []
    assert [c["kind"] for c in data["contacts"]] == ["kim_case_management"]


def test_ask_without_json_prints_a_readable_answer() -> None:
    result = CliRunner().invoke(main, ["ask", "kindergeld", "--project", str(ROOT)])
    assert result.exit_code == 0
    assert "1. Bekomme ich Kindergeld?" in result.output and "faq/geld/#child-benefit" in result.output


def test_ask_rejects_an_unknown_kommune_with_the_known_ones() -> None:
    result = CliRunner().invoke(main, ["ask", "kindergeld", "--kommune", "atlantis", "--project", str(ROOT)])
    assert result.exit_code == 2 and "kreis-unna" in result.output


@pytest.mark.parametrize(
    ("typed", "kommune", "gemeinde"),
    [
        ("Moenchengladbach", "moenchengladbach", "Mönchengladbach"),
        ("Selm", "kreis-unna", "Selm"),
        ("Lünen", "kreis-unna", "Lünen"),
        ("luenen", "kreis-unna", "Lünen"),
        ("Bergisch Gladbch", "rheinisch-bergischer-kreis", "Bergisch Gladbach"),
        ("Aachen", "aachen", "Stadt Aachen"),
        ("Stolberg", "staedteregion-aachen", "Stolberg (Rhld.)"),
    ],
)
def test_where_finds_the_kommune_of_a_town(typed: str, kommune: str, gemeinde: str) -> None:
    data = _json(["where", typed])
    assert data["query"] == typed
    best = data["matches"][0]
    assert (best["kommune"], best["gemeinde"], best["url"]) == (kommune, gemeinde, f"kommunen/{kommune}/")


def test_where_finds_nothing_for_an_unknown_place() -> None:
    assert _json(["where", "Xqzvbnm"])["matches"] == []


def test_every_nrw_gemeinde_resolves_to_its_kommune(answers: Answers) -> None:
    rows = load_gemeinden(ROOT / "data")
    assert len(rows) == 396
    wrong = [
        (row.name, row.kommune, found[0].kommune if found else None)
        for row in rows
        if not (found := answers.places.find(row.name, limit=1)) or found[0].kommune != row.kommune
    ]
    assert wrong == []


# --- the index files of the built site ------------------------------------------------------------------


def test_every_language_has_an_index_within_budget(site: Path) -> None:
    for language in LANGUAGES:
        path = site / language.url_prefix / INDEX_PATH
        index = json.loads(path.read_text(encoding="utf-8"))
        assert index["lang"] == language.locale and index["dir"] == language.dir
        assert len(index["entries"]) == 44 and len(index["choices"]) == len(index["owner"])
        assert len(gzip.compress(path.read_bytes())) <= INDEX_BUDGET_GZIP, language.locale


def test_index_urls_point_to_existing_anchors(site: Path) -> None:
    for language in LANGUAGES:
        index = json.loads((site / language.url_prefix / INDEX_PATH).read_text(encoding="utf-8"))
        for entry in index["entries"]:
            page, anchor = entry["url"].split("#")
            html = (site / language.url_prefix / page / "index.html").read_text(encoding="utf-8")
            assert f'id="{anchor}"' in html, (language.locale, entry["url"])


def test_built_index_ranks_like_the_command_line(site: Path, answers: Answers) -> None:
    index = json.loads((site / "ar" / INDEX_PATH).read_text(encoding="utf-8"))
    built = FaqMatcher(index)
    for item in EVAL[:60]:
        assert [m.id for m in built.ask(item["q"])] == [m.id for m in answers.matcher("ar").ask(item["q"])]
