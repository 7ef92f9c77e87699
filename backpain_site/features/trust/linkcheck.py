"""`python -m backpain_site.features.trust.linkcheck [site]` (= `make linkcheck`): do the built site's external links still work?

Reads every page of the built site, collects the distinct http(s) links that leave the site (in
<a href>), and asks each one once: a HEAD request, then a GET when a server refuses HEAD, with a
short timeout and a bound on how many addresses are asked. Prints what is broken and exits 1 when
something is; exits 0 with "no network: skipped" when the machine has no network (so an offline
machine never fails the check by accident), and says how many links went unchecked.

The weekly workflow (.github/workflows/links.yml) checks the same links with lychee.
"""

from __future__ import annotations

import argparse
import socket
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

TIMEOUT = 8.0  # seconds per request
MAX_URLS = 300  # at most this many distinct addresses are asked
WORKERS = 4
USER_AGENT = "running-back-pain-site link check (+https://github.com/)"
# Addresses that are not pages to fetch: the site's own loopback address, placeholders.
SKIP_HOSTS = {"127.0.0.1", "localhost", "example.org", "example.com", "example.net"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def external_links(site: Path, site_host: str | None = None) -> dict[str, list[str]]:
    """{url without #fragment: [pages linking to it]} for every http(s) link that leaves the site."""
    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                continue
            if parts.hostname in SKIP_HOSTS or parts.hostname == site_host:
                continue
            url = urldefrag(href).url
            pages = found.setdefault(url, [])
            shown = page.relative_to(site).as_posix()
            if shown not in pages:
                pages.append(shown)
    return found


def online(hosts: list[str], timeout: float = 3.0) -> bool:
    """True when at least one of the first few hosts resolves and accepts a connection."""
    for host in hosts[:3]:
        try:
            with socket.create_connection((host, 443), timeout=timeout):
                return True
        except OSError:
            continue
    return False


@dataclass
class Result:
    url: str
    status: int | None
    error: str | None = None

    @property
    def broken(self) -> bool:
        # 401/403/429: the server is there but will not answer a script; not called broken.
        return self.error is not None or (
            self.status is not None and self.status >= 400 and self.status not in (401, 403, 429)
        )


def ask(url: str, timeout: float = TIMEOUT) -> Result:
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Result(url, response.status)
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (400, 403, 404, 405, 429, 501):
                continue  # some servers refuse HEAD: ask again with GET
            return Result(url, error.code)
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return Result(url, None, str(reason))
    return Result(url, None, "no answer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m backpain_site.features.trust.linkcheck", description=__doc__.splitlines()[0]
    )
    parser.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    parser.add_argument(
        "--max", type=int, default=MAX_URLS, help=f"ask at most this many addresses (default {MAX_URLS})"
    )
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help=f"seconds per request (default {TIMEOUT:g})")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"{site}: no built site here (run `make build` first)")
        return 2
    links = external_links(site)
    urls = sorted(links)
    if not urls:
        print("No external links in the built site.")
        return 0
    hosts = sorted({host for u in urls if (host := urlsplit(u).hostname)})
    if not online(hosts):
        print(f"No network: external link check skipped ({len(urls)} external links not checked).")
        return 0
    asked, left = urls[: args.max], urls[args.max :]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(lambda u: ask(u, args.timeout), asked))
    broken = [r for r in results if r.broken]
    for result in broken:
        why = f"HTTP {result.status}" if result.status is not None else result.error
        print(f"broken: {result.url} ({why}) linked from {', '.join(links[result.url][:3])}")
    refused = [r for r in results if not r.broken and r.status in (401, 403, 429)]
    print(
        f"Checked {len(asked)} external links: {len(broken)} broken"
        + (f", {len(refused)} refused to answer a script (not counted as broken)" if refused else "")
        + (f"; {len(left)} not checked (more than --max {args.max})" if left else "")
        + "."
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
