"""Validation: every problem reported with file, line, column and what to write instead."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from kim_site.load import DataError, load_kommunen, read_yaml, read_yaml_fast

from .conftest import ROOT

GOOD = """\
slug: kreis-test
name: Kreis Test
kind: kreis
regierungsbezirk: arnsberg
gemeinden:
  - {name: Teststadt}
offices:
  - kind: auslaenderbehoerde
    name: Ausländerbehörde Kreis Test
    address:
      street: Hauptstraße 1
      postal_code: "01067"
      city: Teststadt
    phones:
      - number: "02303 27-0"
    email: auslaenderbehoerde@kreis-test.de
    website: https://www.kreis-test.de/auslaenderbehoerde
    opening_hours:
      - {days: [mo, di], opens: "08:30", closes: "12:00"}
    source_url: https://www.kreis-test.de/kontakt
    last_verified: 2026-11-01
"""


def write(data_dir: Path, name: str, text: str) -> Path:
    path = data_dir / "kommunen" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_kommunen(data_dir)
    return [str(p) for p in caught.value.problems]


def test_valid_file_keeps_strings_and_builds_tel_link(tmp_path: Path) -> None:
    write(tmp_path, "kreis-test.yml", GOOD)
    (kommune,) = load_kommunen(tmp_path)
    office = kommune.offices[0]
    assert office.address is not None and office.address.postal_code == "01067"
    assert office.opening_hours[0].opens == "08:30"
    assert office.phones[0].e164 == "+49230327" + "0"


@pytest.mark.parametrize(
    ("replace", "by", "line", "field", "message"),
    [
        ("kind: kreis", "kind: landkreis", 3, "kind", "Input should be 'kreis'"),
        ("name: Kreis Test", "name: Kreis Test\ncolour: blue", 3, "colour", "unknown key 'colour'"),
        (
            "email: auslaenderbehoerde@kreis-test.de",
            "email: auslaenderbehoerde(at)kreis-test.de",
            16,
            "offices.0.email",
            "not an e-mail address",
        ),
        (
            "website: https://www.kreis-test.de/auslaenderbehoerde",
            "website: javascript:alert(1)",
            17,
            "offices.0.website",
            "starting with https://",
        ),
        (
            'postal_code: "01067"',
            "postal_code: 01067",
            12,
            "offices.0.address.postal_code",
            'write 01067 in quotes, like "01067"',
        ),
        ('opens: "08:30"', "opens: 8:30", 19, "offices.0.opening_hours.0.opens", "in quotes"),
        (
            "last_verified: 2026-11-01",
            "last_verified: 1.11.2026",
            21,
            "offices.0.last_verified",
            "valid date",
        ),
        (
            '      - number: "02303 27-0"',
            '      - number: "hello"',
            15,
            "offices.0.phones.0",
            "not a phone number",
        ),
    ],
)
def test_broken_value_is_reported_at_its_line(
    tmp_path: Path, replace: str, by: str, line: int, field: str, message: str
) -> None:
    assert replace in GOOD
    write(tmp_path, "kreis-test.yml", GOOD.replace(replace, by))
    (problem,) = problems(tmp_path)
    assert problem.startswith(f"{tmp_path / 'kommunen' / 'kreis-test.yml'}:{line}:")
    assert f" {field}: " in problem
    assert message in problem


def test_wrong_type_says_what_was_given(tmp_path: Path) -> None:
    text = GOOD.replace("gemeinden:", "gemeinden: Teststadt\nold_gemeinden:")
    write(tmp_path, "kreis-test.yml", text)
    found = problems(tmp_path)
    assert any(
        re.search(r":5:\d+: gemeinden: Input should be a valid list; got 'Teststadt'", p) for p in found
    )


def test_contact_without_source_is_rejected(tmp_path: Path) -> None:
    text = GOOD.replace("    source_url: https://www.kreis-test.de/kontakt\n", "")
    write(tmp_path, "kreis-test.yml", text)
    (problem,) = problems(tmp_path)
    assert ":8:" in problem and "contact data needs its source" in problem


def test_duplicate_slug_names_the_other_file(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", GOOD)
    write(tmp_path, "b.yml", GOOD)
    (problem,) = problems(tmp_path)
    assert problem.startswith(f"{tmp_path / 'kommunen' / 'b.yml'}:1:7: slug:")
    assert "already used by" in problem and "a.yml" in problem


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    write(tmp_path, "kreis-test.yml", GOOD.replace("kind: kreis", "kind: [kreis"))
    (problem,) = problems(tmp_path)
    assert re.match(
        rf"{re.escape(str(tmp_path))}/kommunen/kreis-test.yml:\d+:\d+: YAML syntax error", problem
    )


def test_all_problems_of_all_files_at_once(tmp_path: Path) -> None:
    write(tmp_path, "one.yml", GOOD.replace("kind: kreis", "kind: dorf"))
    write(
        tmp_path,
        "two.yml",
        GOOD.replace("slug: kreis-test", "slug: other")
        .replace("regierungsbezirk: arnsberg", "regierungsbezirk: bayern")
        .replace('"01067"', "1067"),
    )
    found = problems(tmp_path)
    assert len(found) == 3
    assert {Path(p.split(":")[0]).name for p in found} == {"one.yml", "two.yml"}


def test_unknown_office_kind_and_gemeinde(tmp_path: Path) -> None:
    text = GOOD.replace("kind: auslaenderbehoerde", "kind: polizei").replace(
        "    name: Ausländerbehörde Kreis Test\n",
        "    name: Ausländerbehörde Kreis Test\n    gemeinde: Nirgendwo\n",
    )
    write(tmp_path, "kreis-test.yml", text)
    found = problems(tmp_path)
    assert any(":8:" in p and "offices.0.kind" in p for p in found)
    # The kind error stops the model, so the Gemeinde is checked once the kind is fixed:
    write(tmp_path, "kreis-test.yml", text.replace("kind: polizei", "kind: sozialamt"))
    (problem,) = problems(tmp_path)
    assert ":10:" in problem and "'Nirgendwo' is not one of this Kommune's gemeinden" in problem


def _shape(node: object) -> object:
    """The data with each text marked plain (str) or quoted/block (a str subclass)."""
    if isinstance(node, dict):
        return {key: _shape(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_shape(value) for value in node]
    if isinstance(node, str):
        return (str(node), type(node) is str)
    return node


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "data").rglob("*.yml")) + sorted((ROOT / "i18n").glob("*.yml")),
    ids=lambda path: path.name,
)
def test_fast_and_positional_loaders_read_every_shipped_file_alike(path: Path) -> None:
    """Valid files are read by libyaml; errors are re-read by ruamel: both must agree."""
    assert _shape(read_yaml_fast(path)) == _shape(read_yaml(path))


def test_fast_loader_keeps_yaml_1_1_lookalikes_as_text(tmp_path: Path) -> None:
    path = tmp_path / "values.yml"
    path.write_text(
        'a: no\nb: 08:30\nc: "01067"\nd: |\n  line\ne: >-\n  folded\n  text\nf:\ng: ~\nh: 1e3\n',
        encoding="utf-8",
    )
    data = read_yaml_fast(path)
    assert _shape(data) == _shape(read_yaml(path))
    assert data == {
        "a": "no",
        "b": "08:30",
        "c": "01067",
        "d": "line\n",
        "e": "folded text",
        "f": None,
        "g": None,
        "h": "1e3",
    }
    assert type(data["a"]) is str and type(data["c"]) is not str  # plain vs quoted


def test_duplicate_key_is_reported_with_its_position(tmp_path: Path) -> None:
    """libyaml would silently keep the last value; the file is refused instead."""
    write(tmp_path, "kreis-test.yml", GOOD.replace("kind: kreis\n", "kind: kreis\nname: Zweiter Name\n"))
    with pytest.raises(yaml.YAMLError, match="duplicate key"):
        read_yaml_fast(tmp_path / "kommunen" / "kreis-test.yml")
    (problem,) = problems(tmp_path)
    assert "kreis-test.yml:" in problem and "duplicate key" in problem and "name" in problem


def test_a_file_libyaml_refuses_is_not_read_as_empty(tmp_path: Path) -> None:
    """An empty glossary is allowed (no terms); a broken one must not pass as empty."""
    from kim_site.protect import Glossary

    path = tmp_path / "glossary.yml"
    path.write_text("", encoding="utf-8")
    assert Glossary.load(path).terms == ()
    path.write_text("terms:\n  - de: Jobcenter\n    de: Bürgergeld\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"glossary\.yml:3:5: .*duplicate key"):
        Glossary.load(path)
