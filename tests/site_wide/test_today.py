"""Time-proof: the suite fixes "today" (SITE_TODAY), so it passes on any date; the real clock
still guards publishing, so a page whose review is overdue is never published unnoticed.

The faketime tests run the check and a strict build of the real site with the machine's clock set
years ahead (Debian's faketime; `make test` installs it): without SITE_TODAY the check refuses, as
`make check` would on that day; with the suite's SITE_TODAY the check and the build pass.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys

import pytest
from helpers import ROOT, TODAY, front_matter, markdown_pages, run_build, run_check

from backpain_site.kernel.clock import BadToday, today

YEARS_AHEAD = "2031-06-01 12:00:00"  # past every page's next_review
FAKETIME = shutil.which("faketime")
# Under faketime already (the whole suite run with the clock ahead, as README shows), a nested
# faketime does not move the clock: that run is itself the test.
NESTED = "FAKETIME" in os.environ or "faketime" in os.environ.get("LD_PRELOAD", "")
needs_faketime = pytest.mark.skipif(
    FAKETIME is None or NESTED,
    reason=(
        "already running under faketime" if NESTED else "Debian's faketime is not installed (`make test` installs it)"
    ),
)
OVERDUE = re.compile(r"^docs/\S+\.md:\d+: front matter field \"next_review\": review overdue since ", re.M)


def next_reviews() -> list[dt.date]:
    return [front_matter(md)["next_review"] for md in markdown_pages()]


# The day itself -----------------------------------------------------------------------------------


def test_site_today_fixes_the_day_and_unset_or_empty_means_the_clock():
    assert today({"SITE_TODAY": "2031-06-01"}) == dt.date(2031, 6, 1)
    assert today({}) == dt.date.today() == today({"SITE_TODAY": ""})


@pytest.mark.parametrize(
    "value, words",
    [
        ("2031-6-1", "is not a date written YYYY-MM-DD"),
        ("tomorrow", "is not a date written YYYY-MM-DD"),
        ("2031-02-30", "is not a real date"),
    ],
)
def test_a_malformed_site_today_is_named_with_the_fix(value, words):
    with pytest.raises(BadToday) as raised:
        today({"SITE_TODAY": value})
    message = str(raised.value)
    assert message.startswith(f"SITE_TODAY='{value}': ") and words in message
    assert "set SITE_TODAY=YYYY-MM-DD" in message and "unset it" in message


def test_a_malformed_site_today_stops_the_check_and_the_build_with_one_message(tmp_path):
    check = run_check(ROOT, env={"SITE_TODAY": "2031-13-01"})
    assert check.returncode == 2 and check.stderr == ""
    assert check.stdout.strip().startswith("SITE_TODAY='2031-13-01': 2031-13-01 is not a real date")
    build = run_build(ROOT, tmp_path / "out", env={"SITE_TODAY": "2031-13-01"})
    log = build.stdout + build.stderr
    assert build.returncode != 0 and "SITE_TODAY='2031-13-01': 2031-13-01 is not a real date" in log
    assert "Traceback" not in log


def test_the_suite_builds_as_of_its_fixed_day(site):
    assert os.environ["SITE_TODAY"] == TODAY
    assert all(dt.date.fromisoformat(TODAY) <= due for due in next_reviews())
    assert f"review dates checked as of {TODAY} (SITE_TODAY)" in site.log


def test_past_every_next_review_the_review_check_fails_for_every_page():
    late = max(next_reviews()) + dt.timedelta(days=1)
    result = run_check(ROOT, env={"SITE_TODAY": late.isoformat()})
    assert result.returncode == 1
    assert len(OVERDUE.findall(result.stdout)) == len(markdown_pages()), result.stdout
    assert f"{len(markdown_pages())} errors." in result.stdout


def test_the_publish_workflow_uses_the_real_clock():
    """publish.yml may only clear SITE_TODAY (empty means the machine's date), never fix it."""
    workflow = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert "make build" in workflow
    settings = re.findall(r"SITE_TODAY\s*[:=]\s*(\S*)", workflow)
    assert settings and all(value in ('""', "''", "") for value in settings), settings


# The machine's clock years ahead (faketime) --------------------------------------------------------


@needs_faketime
def test_faketime_moves_the_clock_years_ahead():
    result = subprocess.run(
        [FAKETIME, YEARS_AHEAD, sys.executable, "-c", "import datetime; print(datetime.date.today())"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == YEARS_AHEAD.split()[0], result.stdout + result.stderr


@needs_faketime
def test_years_ahead_the_suites_check_and_build_pass_and_the_real_check_refuses(tmp_path):
    ahead = (FAKETIME, YEARS_AHEAD)
    # What `make check` does on that day: refuse, naming every page. (The build reads the same
    # today(); that a strict build stops on an overdue review is tested in test_review_dates.py.)
    real_check = run_check(ROOT, env={"SITE_TODAY": ""}, prefix=ahead)
    assert real_check.returncode == 1 and len(OVERDUE.findall(real_check.stdout)) == len(markdown_pages())
    # What the suite does on that day (SITE_TODAY fixed by conftest.py): pass.
    fixed_check = run_check(ROOT, prefix=ahead)
    assert fixed_check.returncode == 0, fixed_check.stdout
    fixed_build = run_build(ROOT, tmp_path / "fixed", prefix=ahead)
    assert fixed_build.returncode == 0, fixed_build.stdout + fixed_build.stderr
    assert (tmp_path / "fixed" / "index.html").is_file()
