"""The deploy examples in deploy/: workflow files that use the real command line.

What they run is what the session build does (tests/conftest.py: offline copies, a site_url
with a sub-path) and what the gates check; here the files are held to the CLI, so renaming an
option or an output folder breaks this test instead of the next deployment.
"""

from __future__ import annotations

import shlex
from typing import Any

import yaml

from kim_site.cli import main

from .conftest import ROOT


def kim_site_command(lines: list[str], **variables: str) -> dict[str, Any]:
    """The parameters of the `kim-site build` line, parsed by the real CLI."""
    [line] = [line for line in lines if line.strip().startswith("kim-site ")]
    for name, value in variables.items():
        line = line.replace(name, value)
    args = shlex.split(line)
    assert args[:2] == ["kim-site", "build"]
    command = main.get_command(None, "build")  # type: ignore[arg-type]
    assert command is not None
    context = command.make_context("build", args[2:])
    return dict(context.params)


def test_github_pages_workflow() -> None:
    workflow = yaml.safe_load((ROOT / "deploy" / "github-pages.yml").read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert "actions/configure-pages@v5" in uses and "actions/upload-pages-artifact@v3" in uses
    run = next(step["run"] for step in steps if "run" in step).splitlines()
    assert run[0].strip() == "python -m pip install ."
    params = kim_site_command(run, **{"${{ steps.pages.outputs.base_url }}": "https://owner.github.io/kim"})
    assert params["offline"] and params["site_url"] == "https://owner.github.io/kim/"
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == params["site_dir"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["steps"][0]["uses"] == "actions/deploy-pages@v4"


def test_gitlab_pages_job() -> None:
    config = yaml.safe_load((ROOT / "deploy" / "gitlab-pages.yml").read_text(encoding="utf-8"))
    job = config["pages"]  # GitLab publishes the artifacts of the job named `pages`
    assert job["script"][0] == "python -m pip install ."
    params = kim_site_command(job["script"], **{"$CI_PAGES_URL": "https://group.gitlab.io/kim"})
    assert params["offline"] and params["site_url"] == "https://group.gitlab.io/kim/"
    assert job["artifacts"]["paths"] == [params["site_dir"]] == ["public"]


def test_package_ships_the_offline_worker_shim() -> None:
    """`pip install .` (not editable, as in the workflows) must carry the vendored shim."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"vendor/*"' in pyproject
    assert (ROOT / "kim_site" / "vendor" / "iframe-worker-shim.js").is_file()
