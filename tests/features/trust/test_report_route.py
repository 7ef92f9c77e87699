"""No promise without a route (issue 18 item 5): a build for a public address refuses a report address
at a reserved domain, naming its mkdocs.yml line; About promises a reply only when reports reach a
real address, says plainly when they do not, and offers the GitHub issue form when repo_url is set.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, make_trust_project, run_build

from backpain_site.features.trust.report import is_loopback, reserved_domain

PUBLIC = "https://running-back-pain.github.io/"
REAL = "reports@fixture-site.org.uk"  # a made-up address at a domain that is not reserved


@pytest.mark.parametrize(
    "email, domain",
    [
        ("corrections@example.org", "example.org"),
        ("a@mail.example.com", "mail.example.com"),
        ("a@EXAMPLE.NET", "example.net"),
        ("a@site.test", "site.test"),
        ("a@x.invalid", "x.invalid"),
        ("a@team.example", "team.example"),
        ("a@localhost", "localhost"),
        ("a@box.localhost", "box.localhost"),
        ("a@nhs.net", None),
        ("a@example.org.uk", None),
        ("a@myexample.org", None),
    ],
)
def test_reserved_domains(email, domain):
    assert reserved_domain(email) == domain


@pytest.mark.parametrize(
    "url, loopback",
    [
        ("http://127.0.0.1:8000/", True),
        ("http://localhost:8000/", True),
        ("http://[::1]:8000/", True),
        ("http://127.3.2.1/", True),
        ("", True),
        (PUBLIC, False),
        ("https://example.org/site/", False),
    ],
)
def test_loopback_addresses(url, loopback):
    assert is_loopback(url) is loopback


def email_line() -> int:
    lines = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip().startswith("email: "))


def test_a_public_build_refuses_the_placeholder_address_naming_its_line(tmp_path):
    result = run_build(ROOT, tmp_path / "out", site_url=PUBLIC)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert (
        f"mkdocs.yml:{email_line()}: extra.report_problem.email: corrections@example.org is at example.org, "
        "a reserved domain that receives no mail"
    ) in log, log
    assert PUBLIC in log and "Traceback" not in log


def about(out) -> str:
    page = BeautifulSoup((out / "about" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return " ".join(page.select_one("article").get_text().split()), page


def test_a_placeholder_address_gets_no_promise_and_about_says_so(tmp_path):
    project = make_trust_project(tmp_path / "project")
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    words, page = about(tmp_path / "out")
    assert "We aim to reply" not in words and "reads every report" not in words
    assert "Reports are not monitored yet." in words and "reports@example.org is a placeholder" in words
    # repo_url is set: the issue form is offered as the route that does exist.
    link = page.select_one('article a[href^="https://github.com/example-org/example-site/issues/new"]')
    assert link is not None and "template=content-problem.yml" in link["href"]


def test_a_real_address_brings_the_promise_and_a_public_build_passes(tmp_path):
    project = make_trust_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("reports@example.org", REAL))
    result = run_build(project, tmp_path / "out", site_url="https://fixture.github.io/site/")
    assert result.returncode == 0, result.stdout + result.stderr
    words, page = about(tmp_path / "out")
    assert "Our editorial team reads every report. We aim to reply within 3 days." in words
    assert "not monitored" not in words and "placeholder" not in words
    assert page.select_one(f'article a[href="mailto:{REAL}"]') is not None
    assert page.select_one('article a[href^="https://github.com/example-org/example-site/issues/new"]') is not None


def test_the_reply_time_marker_refuses_a_placeholder(tmp_path):
    project = make_trust_project(tmp_path / "project")
    (project / "docs" / "about.md").write_text(
        "---\ntitle: About\n---\n\nWe aim to reply within <!-- report-problem: reply-time -->.\n"
    )
    result = run_build(project, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "docs/about.md:5:" in log and "reply-time" in log and "placeholder" in log, log
    assert "Traceback" not in log
