"""The command line: help with examples, validate, schema, i18n."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kim_site.cli import main

from .conftest import ROOT, copy_project, read

COMMANDS = ["build", "serve", "validate", "schema", "i18n", "translate", "bench", "coverage", "ask", "where"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_summary_and_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"kim-site {command}" in result.output
    top = CliRunner().invoke(main, ["--help"]).output
    line = next(line for line in top.splitlines() if line.strip().startswith(command + " "))
    assert len(line.split(None, 1)[1]) > 10  # the one-line summary


def test_validate_ok_and_with_problems(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--data", str(ROOT / "data")])
    assert result.exit_code == 0
    assert "OK: 54 Kommunen" in result.output
    project = copy_project(tmp_path)
    bad = project / "data" / "kommunen" / "kreis-unna.yml"
    text = read(bad).replace("regierungsbezirk: arnsberg", "regierungsbezirk: ruhr")
    bad.write_text(text.replace("filled: 4.50", "filled: viel"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--data", str(project / "data")])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "kreis-unna.yml:" in line]
    assert len(lines) == 2
    assert ":6:19: regierungsbezirk: Input should be" in lines[0]
    assert ":11:" in lines[1] and "staffing.baustein_1.filled" in lines[1] and "got 'viel'" in lines[1]


def test_schema_is_json_schema_with_descriptions() -> None:
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    office = schema["$defs"]["Office"]
    assert office["additionalProperties"] is False and "description" in office["properties"]["source_url"]
    check = CliRunner().invoke(main, ["schema", "--check", str(ROOT / "schema" / "kommune.schema.json")])
    assert check.exit_code == 0


def test_i18n_check_passes_and_fails_on_drift(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["i18n", "--check", "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "| ar | " in result.output
    project = copy_project(tmp_path)
    page = project / "docs" / "themen" / "kim.md"
    page.write_text(read(page) + "\nEin neuer Absatz.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["i18n", "--check", "--project", str(project)])
    assert result.exit_code == 1
    assert "i18n/ar.po is out of sync" in result.output
    result = CliRunner().invoke(main, ["i18n", "--update", "--project", str(project)])
    assert result.exit_code == 0 and "Updated 19 catalog(s)" in result.output
    assert 'msgid "Ein neuer Absatz."\nmsgstr ""' in read(project / "i18n" / "ar.po")
    assert CliRunner().invoke(main, ["i18n", "--check", "--project", str(project)]).exit_code == 0
