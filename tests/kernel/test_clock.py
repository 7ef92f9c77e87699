"""One clock and one date formatter (backpain_site/kernel/clock.py), read by every date the site
checks or prints: review dates, evidence dates and the changes (data/changes.yml) alike.

Built through the small trust fixture (tests/fixtures/trust/), whose newest change is dated
2026-11-30: with SITE_TODAY set before it, the build refuses it as a change from the future; with the
machine's clock set before it (faketime) and SITE_TODAY after it, the build passes.
"""

from __future__ import annotations

import ast
import shutil

import pytest
from helpers import ROOT, make_trust_project, run_build

from backpain_site.kernel.clock import BadToday, long_date, month_text, today

FAKETIME = shutil.which("faketime")
FUTURE = (
    'data/changes.yml:1: change #1, field "date": 2026-11-30 is in the future: date a change on the day it is published'
)


def test_site_today_is_the_day_the_changes_are_checked_against(tmp_path):
    project = make_trust_project(tmp_path / "project")
    result = run_build(project, tmp_path / "out", env={"SITE_TODAY": "2026-11-29"})
    log = result.stdout + result.stderr
    assert result.returncode != 0 and FUTURE in log, log
    assert "Traceback" not in log


def test_a_malformed_site_today_stops_the_trust_features_too(tmp_path):
    project = make_trust_project(tmp_path / "project")
    result = run_build(project, tmp_path / "out", env={"SITE_TODAY": "2026-11-31"})
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "SITE_TODAY='2026-11-31': 2026-11-31 is not a real date" in log, log
    assert "Traceback" not in log


@pytest.mark.skipif(FAKETIME is None, reason="Debian's faketime is not installed (`make test` installs it)")
def test_with_the_machines_clock_behind_site_today_still_decides(tmp_path):
    project = make_trust_project(tmp_path / "project")
    behind = (FAKETIME, "2026-11-15 12:00:00")
    fixed = run_build(project, tmp_path / "fixed", env={"SITE_TODAY": "2026-12-02"}, prefix=behind)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    real = run_build(project, tmp_path / "real", env={"SITE_TODAY": ""}, prefix=behind)
    assert real.returncode != 0 and "2026-11-30 is in the future" in real.stdout + real.stderr


def test_the_one_formatter():
    import datetime as dt

    assert long_date("2026-12-02") == long_date(dt.date(2026, 12, 2)) == "2 December 2026"
    assert month_text((2026, 11)) == month_text(dt.date(2026, 11, 30)) == "November 2026"
    with pytest.raises(BadToday):
        today({"SITE_TODAY": "2026-02-30"})


def test_no_other_clock_or_month_names_in_the_package():
    """Only kernel/clock.py reads the machine's date or spells out month names."""
    offenders = []
    for path in sorted((ROOT / "backpain_site").rglob("*.py")):
        if path.name == "clock.py" and path.parent.name == "kernel":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("today", "now", "utcnow")
                and isinstance(node.value, (ast.Name, ast.Attribute))
                and getattr(node.value, "attr", getattr(node.value, "id", "")) in ("date", "datetime")
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: reads the machine's clock")
            if isinstance(node, ast.Constant) and node.value == "September":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: spells out month names")
    assert offenders == [], "\n".join(offenders)
