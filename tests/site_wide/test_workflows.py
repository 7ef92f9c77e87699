"""The GitHub workflows (.github/workflows/) as a reviewer signs them: zizmor (offline, installed from
the lock) finds nothing; every `uses:` is pinned to a full commit SHA with its tag in a comment;
each job has only the permissions it needs (only the deploy job writes Pages); publishing runs only
from CI, after every blocking job passed on the same commit. actionlint runs in CI's `workflows` job
(its installer downloads from GitHub, which the project's machines cannot reach).

zizmor missing fails these tests (it is in the test extras): they never pass by skipping."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def zizmor(*paths: Path) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("zizmor")
    if not executable.exists():
        executable = shutil.which("zizmor")
    assert executable, "zizmor is not installed: it is in pyproject.toml's test extras (make .venv/.installed)"
    return subprocess.run(
        [str(executable), "--offline", "--no-progress", *map(str, paths)], capture_output=True, text=True, timeout=120
    )


def workflows() -> dict[str, dict]:
    found = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(WORKFLOWS.glob("*.yml"))}
    assert {"ci.yml", "publish.yml", "links.yml"} <= set(found)
    return found


def test_zizmor_finds_nothing():
    result = zizmor(WORKFLOWS, DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_zizmor_does_find_an_unpinned_action(tmp_path):
    """The check can fail: the same publish workflow with a moving tag, as it was before."""
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    bad = re.sub(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", "actions/checkout@v4", text)
    assert bad != text
    (tmp_path / "publish.yml").write_text(bad, encoding="utf-8")
    result = zizmor(tmp_path / "publish.yml")
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout, result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_tag_in_a_comment():
    lines = [
        (path.name, n, line.strip())
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*(- )?uses:", line)
    ]
    assert len(lines) >= 11
    bad = [
        f"{name}:{n}: {line}"
        for name, n, line in lines
        if not line.split("uses:", 1)[1].strip().startswith("./")
        and not PINNED.match(line.split("uses:", 1)[1].strip())
    ]
    assert bad == []


def test_each_job_gets_only_the_permissions_it_needs():
    writes = {}
    for name, flow in workflows().items():
        assert flow.get("permissions") == {}, f"{name}: the workflow grants permissions to every job"
        for job_name, job in flow["jobs"].items():
            permissions = job.get("permissions")
            assert isinstance(permissions, dict), f"{name}: job {job_name} does not say its permissions"
            writes.update(
                {f"{name}:{job_name}:{scope}": level for scope, level in permissions.items() if level == "write"}
            )
    assert writes == {
        "ci.yml:publish:pages": "write",
        "ci.yml:publish:id-token": "write",  # handed on to publish.yml
        "publish.yml:deploy:pages": "write",
        "publish.yml:deploy:id-token": "write",
        "links.yml:check:issues": "write",
        "links.yml:evidence-watch:issues": "write",  # one issue per page with new records
    }


def test_publishing_runs_only_from_ci_after_every_blocking_job_passed_on_the_same_commit():
    flows = workflows()
    triggers = flows["publish.yml"].get("on", flows["publish.yml"].get(True))
    assert set(triggers) == {"workflow_call"}, "publish.yml must run only when ci.yml calls it"
    ci = flows["ci.yml"]["jobs"]
    callers = [
        name
        for name, flow in flows.items()
        for job in flow["jobs"].values()
        if job.get("uses", "").endswith("workflows/publish.yml")
    ]
    assert callers == ["ci.yml"]
    publish = ci["publish"]
    blocking = {name for name, job in ci.items() if name != "publish" and not job.get("continue-on-error")}
    assert set(publish["needs"]) == blocking
    assert "refs/heads/main" in publish["if"]
    assert ci["zensical"]["continue-on-error"] is True


def test_the_weekly_check_reports_links_even_when_a_review_is_overdue_and_makes_its_label():
    text = (WORKFLOWS / "links.yml").read_text(encoding="utf-8")
    steps = {step.get("id"): step for step in workflows()["links.yml"]["jobs"]["check"]["steps"] if step.get("id")}
    assert "--no-strict" in steps["linkbuild"]["run"]
    assert "steps.linkbuild.outcome == 'success'" in steps["lychee"]["if"]
    assert "createLabel" in text and "getLabel" in text


def test_dependabot_bumps_the_pinned_actions():
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert "github-actions" in ecosystems


@pytest.mark.parametrize("name", ["ci.yml", "publish.yml", "links.yml"])
def test_no_checkout_keeps_the_token_on_disk(name):
    steps = [
        step
        for job in workflows()[name]["jobs"].values()
        for step in job.get("steps", [])
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]
    assert steps and all(step.get("with", {}).get("persist-credentials") is False for step in steps)
