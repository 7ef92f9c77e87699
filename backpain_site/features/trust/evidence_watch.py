"""`make evidence-watch`: run each saved PubMed search (data/searches.yml) for records added since its
last run, and write what is new for an editor to screen.

    python -m backpain_site.features.trust.evidence_watch [--out evidence-watch] [--email you@example.net]

For each evidence page, one NCBI E-utilities `esearch` (db=pubmed, the saved term, datetype=edat:
records added to PubMed from the day after the last run's `to`, or from the search's `start`, up to
today), then `esummary` for the titles of what it found. Written to --out: `new-records.json` (every
page, its query, the dates searched, the count and the records) and one `<page>.md` per page with
new records (the body of the weekly workflow's issue for that page, with a `runs:` entry ready to
screen and paste into data/searches.yml). Nothing is recorded in data/searches.yml: a run counts only
once a person has screened it.

NCBI's rules (https://www.ncbi.nlm.nih.gov/books/NBK25497/): at most 3 requests a second without an
API key (10 with one: NCBI_API_KEY), so the client sleeps between requests; every request names the
`tool` and an `email` (NCBI_EMAIL or --email); an HTTP 429 ("API rate limit exceeded") is retried
after a growing pause, a few times. Replies are JSON (retmode=json): esearch's
`esearchresult.count/idlist` (or `esearchresult.ERROR`, `errorlist`), esummary's `result.uids` and a
record per uid (or an `error`). Any error, on any page, is one clear message and exit 1 with nothing
written, so a half-finished watch is never taken for a finished one. The opener is injectable: the
tests replay recorded replies and never touch the network.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from backpain_site.kernel.clock import BadToday, long_date, today

from . import searches as saved

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
TOOL = "running-back-pain-site-evidence-watch"
RETMAX = 500  # more new records than this in one run: narrow the query or run more often
SUMMARY_BATCH = 200  # ids per esummary request
TIMEOUT = 30.0
RETRIES = 3  # after a 429, wait 1 s, 2 s, 4 s, then give up


class WatchError(Exception):
    """Why the watch stopped (str() is the message); nothing has been written."""


@dataclass(frozen=True)
class NewRecord:
    pmid: str
    title: str
    journal: str
    pubdate: str


@dataclass(frozen=True)
class PageResult:
    page: str
    query: str
    start: dt.date
    end: dt.date
    count: int
    records: tuple[NewRecord, ...]


class Client:
    """E-utilities over urllib, polite: a pause between requests, retries on 429."""

    def __init__(self, email: str, api_key: str | None = None, opener=None, sleep=time.sleep, clock=time.monotonic):
        self.email, self.api_key = email, api_key
        self.opener = opener or urllib.request.build_opener()
        self.sleep, self.clock = sleep, clock
        self.gap = 0.1 if api_key else 0.34  # 10 or 3 requests a second
        self.last: float | None = None

    def _wait(self) -> None:
        if self.last is not None:
            pause = self.gap - (self.clock() - self.last)
            if pause > 0:
                self.sleep(pause)
        self.last = self.clock()

    def get(self, utility: str, params: dict) -> dict:
        """The JSON reply of one utility (esearch, esummary), or WatchError saying what went wrong."""
        query = dict(params, retmode="json", tool=TOOL, email=self.email)
        if self.api_key:
            query["api_key"] = self.api_key
        url = f"{EUTILS}{utility}.fcgi?{urlencode(query)}"
        shown = (
            f"{utility} ({params['term']})"
            if "term" in params
            else f"{utility} (ids {str(params.get('id', '')).split(',')[0]}…)"
        )
        for attempt in range(RETRIES + 1):
            self._wait()
            try:
                with self.opener.open(
                    urllib.request.Request(url, headers={"User-Agent": TOOL}), timeout=TIMEOUT
                ) as reply:
                    body = reply.read()
            except urllib.error.HTTPError as error:
                body = error.read() if error.fp else b""
                if error.code == 429 and attempt < RETRIES:
                    self.sleep(2**attempt)
                    continue
                detail = _error_text(body)
                if error.code == 429:
                    raise WatchError(
                        f"{shown}: NCBI's rate limit was still exceeded after {RETRIES} retries "
                        f"(HTTP 429{': ' + detail if detail else ''}); try again later, or set NCBI_API_KEY"
                    ) from None
                raise WatchError(f"{shown}: HTTP {error.code} from NCBI{': ' + detail if detail else ''}") from None
            except (urllib.error.URLError, OSError) as error:
                raise WatchError(f"{shown}: could not reach NCBI ({getattr(error, 'reason', error)})") from None
            try:
                data = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                start = body[:80].decode("utf-8", "replace").strip()
                raise WatchError(
                    f"{shown}: NCBI's reply is not JSON ({error.msg if hasattr(error, 'msg') else error}); "
                    f"it starts: {start!r}"
                ) from None
            if not isinstance(data, dict):
                raise WatchError(f"{shown}: NCBI's reply is not a JSON object")
            if "error" in data:
                raise WatchError(f"{shown}: NCBI says: {data['error']}")
            return data
        raise AssertionError("unreachable")

    def search(self, term: str, start: dt.date, end: dt.date) -> tuple[int, list[str]]:
        """(count, PubMed ids) of records added (Entrez date) from start to end."""
        data = self.get(
            "esearch",
            {
                "db": "pubmed",
                "term": term,
                "datetype": "edat",
                "mindate": start.strftime("%Y/%m/%d"),
                "maxdate": end.strftime("%Y/%m/%d"),
                "retmax": RETMAX,
            },
        )
        result = data.get("esearchresult")
        shown = f"esearch ({term})"
        if not isinstance(result, dict):
            raise WatchError(f"{shown}: NCBI's reply has no esearchresult")
        if "ERROR" in result:
            raise WatchError(f"{shown}: NCBI says: {result['ERROR']}")
        errors = result.get("errorlist") or {}
        missing = [f"{kind}: {', '.join(values)}" for kind, values in errors.items() if values]
        if missing:
            raise WatchError(
                f"{shown}: NCBI could not read part of the query ({'; '.join(missing)}): fix the query in data/searches.yml"
            )
        count, ids = result.get("count"), result.get("idlist")
        if (
            not (isinstance(count, str) and count.isdigit())
            or not isinstance(ids, list)
            or not all(isinstance(i, str) and saved.PMID.match(i) for i in ids)
        ):
            raise WatchError(f"{shown}: NCBI's esearchresult has no usable count and idlist")
        if int(count) > len(ids):
            raise WatchError(
                f"{shown}: {count} new records, more than the {RETMAX} one run may list: "
                "narrow the query or run the watch more often"
            )
        return int(count), ids

    def summaries(self, ids: list[str]) -> list[NewRecord]:
        out = []
        for first in range(0, len(ids), SUMMARY_BATCH):
            batch = ids[first : first + SUMMARY_BATCH]
            data = self.get("esummary", {"db": "pubmed", "id": ",".join(batch)})
            result = data.get("result")
            shown = f"esummary (ids {batch[0]}…)"
            if not isinstance(result, dict) or not isinstance(result.get("uids"), list):
                raise WatchError(f"{shown}: NCBI's reply has no result.uids")
            for pmid in batch:
                record = result.get(pmid)
                if not isinstance(record, dict):
                    raise WatchError(f"{shown}: NCBI's reply has no summary for PubMed id {pmid}")
                if "error" in record:
                    raise WatchError(f"{shown}: PubMed id {pmid}: NCBI says: {record['error']}")
                title = record.get("title")
                if not isinstance(title, str) or not title.strip():
                    raise WatchError(f"{shown}: the summary of PubMed id {pmid} has no title")
                out.append(
                    NewRecord(
                        pmid,
                        " ".join(title.split()),
                        str(record.get("fulljournalname") or record.get("source") or ""),
                        str(record.get("pubdate") or ""),
                    )
                )
        return out


def _error_text(body: bytes) -> str:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return body[:80].decode("utf-8", "replace").strip()
    return str(data.get("error", "")) if isinstance(data, dict) else ""


def watch(searches: list[saved.Search], client: Client, day: dt.date) -> list[PageResult]:
    results = []
    for search in searches:
        start = search.next_from()
        if start > day:
            results.append(PageResult(search.page, search.query, start, day, 0, ()))
            continue
        count, ids = client.search(search.query, start, day)
        records = tuple(client.summaries(ids)) if ids else ()
        results.append(PageResult(search.page, search.query, start, day, count, records))
    return results


def issue_body(result: PageResult, day: dt.date) -> str:
    lines = [
        f"The evidence watch found {result.count} new PubMed record{'s' if result.count != 1 else ''} for "
        f"`{result.page}`, added from {long_date(result.start)} to {long_date(result.end)}.",
        "",
        f"Saved search: `{result.query}`",
        "",
        "Screen each record, then add this run to data/searches.yml "
        "(decision: included, or excluded with a reason). Until then the page keeps saying what it says now.",
        "",
    ]
    lines += [
        f"- [ ] [{r.title}](https://pubmed.ncbi.nlm.nih.gov/{r.pmid}/) ({r.journal}, {r.pubdate})"
        for r in result.records
    ]
    lines += [
        "",
        "```yaml",
        f"    - run: {day.isoformat()}",
        f"      from: {result.start.isoformat()}",
        f"      to: {result.end.isoformat()}",
        f"      count: {result.count}",
        "      records:",
    ]
    for record in result.records:
        lines += [
            f'        - pmid: "{record.pmid}"',
            f"          title: {json.dumps(record.title, ensure_ascii=False)}",
            "          decision:        # included | excluded (then reason:)",
        ]
    lines += ["```", ""]
    return "\n".join(lines)


def write(results: list[PageResult], out: Path, day: dt.date) -> None:
    """Everything at once: written to a temporary folder, then moved into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".evidence-watch-", dir=out.parent))
    try:
        summary: dict[str, Any] = {
            "run": day.isoformat(),
            "pages": [
                {
                    "page": r.page,
                    "query": r.query,
                    "from": r.start.isoformat(),
                    "to": r.end.isoformat(),
                    "count": r.count,
                    "issue_title": f"Evidence watch: new records for {r.page}",
                    "body_file": saved.Search(r.page, r.query).anchor.removeprefix("search-") + ".md"
                    if r.records
                    else None,
                    "records": [vars(record) for record in r.records],
                }
                for r in results
            ],
        }
        (staging / "new-records.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for result, page in zip(results, summary["pages"]):
            if page["body_file"]:
                (staging / page["body_file"]).write_text(issue_body(result, day), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def main(
    argv: list[str] | None = None, opener=None, sleep=time.sleep, environ=os.environ, root: Path | None = None
) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m backpain_site.features.trust.evidence_watch", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", default="evidence-watch", help="folder for what is new (default: evidence-watch)")
    parser.add_argument(
        "--email", default=environ.get("NCBI_EMAIL"), help="contact address NCBI asks for (default: NCBI_EMAIL)"
    )
    args = parser.parse_args(argv)
    root = root or Path.cwd()
    try:
        day = today(environ)
        if not args.email:
            raise WatchError(
                "NCBI asks every E-utilities request to name a contact email: set NCBI_EMAIL or pass --email"
            )
        try:
            text = (root / saved.DATA_FILE).read_text(encoding="utf-8")
        except OSError as error:
            raise WatchError(f"{saved.DATA_FILE}: cannot read the saved searches: {error.strerror}") from None
        pages = {p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md")}
        searches, problems = saved.parse(text, saved.DATA_FILE, pages, day)
        if problems:
            raise WatchError("\n".join(str(p) for p in problems))
        client = Client(args.email, environ.get("NCBI_API_KEY") or None, opener=opener, sleep=sleep)
        results = watch(searches, client, day)
        write(results, root / args.out, day)
    except (WatchError, BadToday) as error:
        print(f"Evidence watch stopped, nothing written: {error}", file=sys.stderr)
        return 1
    new = sum(len(r.records) for r in results)
    print(
        f"Evidence watch of {day.isoformat()}: {new} new record{'s' if new != 1 else ''} on "
        f"{sum(1 for r in results if r.records)} of {len(results)} pages; written to {args.out}/ for screening."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
