"""'Report a problem with this page': the mailto: link, the GitHub issue-form link, and their setting.

One setting in mkdocs.yml holds the address and the reply promise:

    extra:
      report_problem:
        email: corrections@example.org   # placeholder: the owner sets the real address
        response_days: 14                 # the promise shown on About: "within 14 days"

A placeholder at a reserved domain (example.org/.com/.net, .test, .invalid, .example, localhost)
receives no mail: About then promises no reply and says reports are not monitored yet, and a build
for a public site_url (not loopback) refuses it, naming the mkdocs.yml line.

The mailto: link names the page in its subject and body (RFC 6068: every value percent-encoded,
spaces as %20, line breaks as %0D%0A). docs/assets/report.js adds the #section a reader arrived
at; without JavaScript the link still names the page. When mkdocs.yml has a GitHub `repo_url`,
a second link opens the issue form .github/ISSUE_TEMPLATE/content-problem.yml with its "page"
field filled in (GitHub fills issue-form fields from query parameters named by the field's id).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

SETTING = "report_problem"
ISSUE_TEMPLATE = "content-problem.yml"
EMAIL = re.compile(r"[^@\s<>\"()]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\Z")


# Domains that never receive mail (RFC 2606, RFC 6761): a report sent there reaches no one.
RESERVED_DOMAINS = ("example.org", "example.com", "example.net")
RESERVED_TOP_LEVEL = ("test", "invalid", "example", "localhost")


def reserved_domain(email: str) -> str | None:
    """The address's domain when it is reserved (example.org, x.test, localhost …), else None."""
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    if domain.rsplit(".", 1)[-1] in RESERVED_TOP_LEVEL or any(
        domain == d or domain.endswith("." + d) for d in RESERVED_DOMAINS
    ):
        return domain
    return None


def is_loopback(site_url: str | None) -> bool:
    """True for a build meant for this machine only (no site_url, localhost, 127.x.x.x, ::1)."""
    host = urlsplit(site_url or "").hostname
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ReportSetting:
    email: str
    response_days: int

    @property
    def placeholder(self) -> str | None:
        """The reserved domain when the address is a placeholder that receives no mail."""
        return reserved_domain(self.email)


def public_problem(setting: ReportSetting, site_url: str | None, where: str) -> str | None:
    """A build for a public address must not publish a placeholder report address (where: 'mkdocs.yml:12')."""
    domain = setting.placeholder
    if domain is None or is_loopback(site_url):
        return None
    return (
        f"{where}: extra.{SETTING}.email: {setting.email} is at {domain}, a reserved domain that receives no mail; "
        f"a build for the public address {site_url} needs a real, monitored address (set it here), "
        "or build for a loopback address to preview"
    )


def read_setting(extra: dict, where: str = "mkdocs.yml") -> tuple[ReportSetting | None, list[str]]:
    """The setting from mkdocs.yml's `extra`, or the problems with it (one message each)."""
    value = (extra or {}).get(SETTING)
    name = f"extra.{SETTING}"
    if not isinstance(value, dict):
        return None, [
            f"{where}: {name}: missing; add it with the address reports go to and the reply promise, e.g.\n"
            f"  extra:\n    {SETTING}:\n      email: corrections@example.org\n      response_days: 14"
        ]
    problems = []
    email, days = value.get("email"), value.get("response_days")
    if not (isinstance(email, str) and EMAIL.match(email.strip())):
        problems.append(f"{where}: {name}.email: {email!r} is not an email address (e.g. corrections@example.org)")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        problems.append(f"{where}: {name}.response_days: {days!r} must be a whole number of days above 0")
    unknown = sorted(set(value) - {"email", "response_days"})
    if unknown:
        problems.append(f"{where}: {name}: unknown setting {', '.join(unknown)} (known: email, response_days)")
    if problems or not isinstance(email, str) or not isinstance(days, int):  # (problems says why)
        return None, problems
    return ReportSetting(email.strip(), days), []


def subject(page_title: str) -> str:
    return f"Problem on the page: {page_title}"


def body(page_title: str, page_url: str) -> str:
    return "\r\n".join(
        [
            f"Page: {page_title}",
            f"Address: {page_url}",
            "",
            "What is wrong:",
            "",
            "",
            "Source that shows it, if you have one:",
            "",
        ]
    )


def mailto(email: str, page_title: str, page_url: str) -> str:
    """mailto:address?subject=…&body=… with every value percent-encoded (RFC 6068)."""
    return (
        f"mailto:{quote(email, safe='@')}?subject={quote(subject(page_title), safe='')}"
        f"&body={quote(body(page_title, page_url), safe='')}"
    )


def github_repo(repo_url: str | None) -> str | None:
    """'https://github.com/owner/name' from a repo_url, or None when it is not a GitHub repository."""
    match = re.match(r"https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?\Z", repo_url or "")
    return f"https://github.com/{match.group(1)}/{match.group(2)}" if match else None


def issue_url(repo_url: str | None, page_title: str, page_url: str) -> str | None:
    """The issue form with its title and "page" field filled in; None without a GitHub repo_url."""
    repo = github_repo(repo_url)
    if repo is None:
        return None
    return (
        f"{repo}/issues/new?template={quote(ISSUE_TEMPLATE, safe='')}"
        f"&title={quote(subject(page_title), safe='')}&page={quote(page_url, safe='')}"
    )


def links(setting: ReportSetting, repo_url: str | None, page_title: str, page_url: str) -> dict:
    """What the template needs (overrides/partials/report-problem.html)."""
    return {
        "email": setting.email,
        "mailto": mailto(setting.email, page_title, page_url),
        "issue": issue_url(repo_url, page_title, page_url),
        "subject": subject(page_title),
        "body": body(page_title, page_url),
        "page_url": page_url,
        "page_title": page_title,
    }
