"""The shipped data: all 54 KIM areas, figures that add up to the official totals."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kim_site.cli import kommune_schema_text
from kim_site.load import load_kommunen
from kim_site.model import Kommune

from .conftest import ROOT


@pytest.fixture(scope="module")
def kommunen() -> list[Kommune]:
    return load_kommunen(ROOT / "data")


def test_all_54_areas_of_the_staffing_table(kommunen: list[Kommune]) -> None:
    assert len(kommunen) == 54
    kinds = Counter(k.kind.value for k in kommunen)
    assert kinds == {"kreis": 30, "kreisfreie_stadt": 22, "staedteregion": 1, "regionsangehoerige_stadt": 1}
    assert {k.slug for k in kommunen} >= {"aachen", "staedteregion-aachen", "kreis-unna"}


@pytest.mark.parametrize(
    ("baustein", "totals"),
    [  # "Insgesamt" rows of the seed table (allocated, called/planned, filled, open)
        ("baustein_1", (194.00, 180.00, 136.57, 43.43)),
        ("baustein_2", (713.00, 619.72, 367.16, 252.56)),
        ("baustein_3", (200.00, 168.00, 108.50, 59.50)),
    ],
)
def test_staffing_adds_up_to_the_official_totals(
    kommunen: list[Kommune], baustein: str, totals: tuple[float, ...]
) -> None:
    figures = [getattr(k.staffing, baustein) for k in kommunen if k.staffing]
    assert len(figures) == 54
    sums = tuple(
        round(sum(getattr(f, name) for f in figures), 2) for name in ("allocated", "called", "filled", "open")
    )
    assert sums == totals


def test_stand_dates_follow_the_table_stars(kommunen: list[Kommune]) -> None:
    by_slug = {k.slug: k for k in kommunen}
    assert str(by_slug["bonn"].staffing.baustein_1.stand) == "2022-06-30"  # "Bonn *"
    assert str(by_slug["kreis-unna"].staffing.baustein_2.stand) == "2022-09-30"
    assert Counter(str(k.staffing.baustein_1.stand) for k in kommunen) == {"2022-09-30": 32, "2022-06-30": 22}


def test_every_nrw_gemeinde_belongs_to_exactly_one_area(kommunen: list[Kommune]) -> None:
    listed = YAML(typ="safe").load((ROOT / "data" / "gemeinden.yml").read_text(encoding="utf-8"))
    official = {g["ags"]: g["kommune"] for g in listed["gemeinden"]}
    assert len(official) == 396
    in_files = Counter(g.ags for k in kommunen for g in k.gemeinden)
    assert max(in_files.values()) == 1
    for kommune in kommunen:
        expected = {ags for ags, slug in official.items() if slug == kommune.slug}
        if kommune.kind.value in ("kreis", "staedteregion"):
            assert {g.ags for g in kommune.gemeinden} == expected, kommune.slug
            # The AGS encodes the Regierungsbezirk:
            # 051 Düsseldorf, 053 Köln, 055 Münster, 057 Detmold, 059 Arnsberg.
            region = {"1": "duesseldorf", "3": "koeln", "5": "muenster", "7": "detmold", "9": "arnsberg"}
            assert {region[ags[2]] for ags in expected} == {kommune.regierungsbezirk.value}
        else:
            assert len(expected) == 1 and not kommune.gemeinden


def test_kreis_unna_cities_with_their_own_offices(kommunen: list[Kommune]) -> None:
    unna = next(k for k in kommunen if k.slug == "kreis-unna")
    own = {(o.gemeinde, o.kind.value) for o in unna.offices if o.gemeinde}
    # kreis-unna.de: the Kreis Ausländerbehörde serves all towns but Lünen; Lünen and the
    # Kreisstadt Unna naturalise themselves (serviceportal.unna.de, luenen.de).
    assert own == {
        ("Lünen", "auslaenderbehoerde"),
        ("Lünen", "einbuergerungsbehoerde"),
        ("Unna", "einbuergerungsbehoerde"),
    }


def test_no_contact_value_without_source(kommunen: list[Kommune]) -> None:
    for kommune in kommunen:
        for office in kommune.offices:
            if office.has_contacts:
                assert office.source_url and office.last_verified


def test_every_data_file_points_editors_to_the_schema() -> None:
    for path in sorted((ROOT / "data" / "kommunen").glob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/kommune.schema.json", path.name


def test_published_schema_is_current() -> None:
    published = (ROOT / "schema" / "kommune.schema.json").read_text(encoding="utf-8")
    assert published == kommune_schema_text(), "run: kim-site schema --output schema/kommune.schema.json"


def test_file_name_is_the_slug() -> None:
    for path in (ROOT / "data" / "kommunen").glob("*.yml"):
        assert f"\nslug: {path.stem}\n" in path.read_text(encoding="utf-8")


def test_languages_in_mkdocs_yml_match_i18n_languages() -> None:
    from kim_site.languages import load_languages

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for language in load_languages(Path(ROOT / "i18n" / "languages.yml")):
        assert f"locale: {language.locale}, name: {language.name}," in config
