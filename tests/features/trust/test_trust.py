"""Report a problem, changes and corrections, the Atom feed and "Evidence checked up to", on the real build.

Expected values are worked out here from the source files (mkdocs.yml, data/changes.yml, front
matter), independently of backpain_site/features/trust/ and backpain_site/features/trust/build.py.
"""

from __future__ import annotations

import datetime as dt
import http.server
import re
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import DOCS, ROOT, front_matter, markdown_pages, page_url

from backpain_site.features.sharing.sections import is_content_page

ATOM = "{http://www.w3.org/2005/Atom}"
EVIDENCE_PAGES = [
    "how-common.md",
    "run-walk-trial.md",
    "mechanisms/index.md",
    "mechanisms/discs.md",
    "mechanisms/beliefs.md",
    "mechanisms/activity.md",
]
CHANGES = yaml.safe_load((ROOT / "data" / "changes.yml").read_text(encoding="utf-8"))


class _Config(yaml.SafeLoader):
    """mkdocs.yml as YAML, with MkDocs' !ENV and Python tags read as plain values."""


_Config.add_multi_constructor("!", lambda loader, suffix, node: None)
_Config.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Config)
SETTING = CONFIG["extra"]["report_problem"]


def rel(md: Path) -> str:
    return md.relative_to(DOCS).as_posix()


def text(element) -> str:
    return " ".join(element.get_text().split())


def written_out(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


# Report a problem ---------------------------------------------------------------------------------


@pytest.mark.parametrize("md", markdown_pages(), ids=rel)
def test_every_page_has_a_report_link_naming_it(site, md):
    page = site.page(page_url(md))
    links = page.select("article .report-problem a.report-problem__email")
    assert len(links) == 1, f"{rel(md)}: expected one report link"
    assert text(links[0]) == "Report a problem with this page"
    href = links[0]["href"]
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == SETTING["email"]
    # RFC 6068: the values are percent-encoded; no raw spaces, no "+" for a space, CRLF line breaks.
    assert " " not in href and "+" not in parts.query and "\n" not in href
    fields = dict(part.split("=", 1) for part in parts.query.split("&"))
    assert set(fields) == {"subject", "body"}
    assert all(re.fullmatch(r"(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*", value) for value in fields.values())
    title = front_matter(md)["title"]
    assert unquote(fields["subject"]) == f"Problem on the page: {title}"
    body = unquote(fields["body"])
    assert f"Page: {title}\r\nAddress: {site.url}{page_url(md)}\r\n" in body
    assert "What is wrong:" in body and "Source that shows it, if you have one:" in body
    if "repo_url" not in CONFIG:  # no GitHub repository, no issue-form link (the fixture site has one)
        assert not page.select(".report-problem__issue")


def test_the_issue_form_has_the_field_the_link_fills_in():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "content-problem.yml").read_text(encoding="utf-8"))
    fields = {item.get("id"): item for item in form["body"] if item.get("id")}
    assert set(fields) == {"page", "problem", "source"}
    assert fields["page"]["validations"]["required"] and not fields["source"]["validations"]["required"]


def test_about_says_where_reports_go_and_promises_no_reply_to_a_placeholder(site):
    section = site.page("about/").select_one("#report-a-problem")
    words = []
    for sibling in section.find_next_siblings():
        if sibling.name == "h2":
            break
        words.append(text(sibling))
    said = " ".join(words)
    # The address in mkdocs.yml is a placeholder (example.org receives no mail): no reply promise, and
    # About says so plainly (a real address brings the promise back: tests/features/trust/test_report_route.py).
    assert SETTING["email"].endswith("@example.org")
    assert "We aim to reply" not in said and "reads every report" not in said
    assert "Reports are not monitored yet." in said and "placeholder" in said
    assert SETTING["email"] in said and "Changes and corrections" in said and "feed" in said
    assert site.page("about/").select_one(f'#report-a-problem ~ p a[href="mailto:{SETTING["email"]}"]') is not None


# Changes and corrections --------------------------------------------------------------------------


def dated(entry) -> dt.date:
    return entry["date"] if isinstance(entry["date"], dt.date) else dt.date.fromisoformat(entry["date"])


def test_the_changes_page_lists_every_change_newest_first(site):
    page = site.page("changes/")
    entries = page.select("article .change-entry")
    assert len(entries) == len(CHANGES)
    shown = [
        dt.datetime.strptime(text(e.select_one(".change-meta strong")).split(" · ")[0], "%d %B %Y").date()
        for e in entries
    ]
    assert shown == sorted((dated(c) for c in CHANGES), reverse=True)
    by_text = {c["text"]: c for c in CHANGES}
    for entry in entries:
        sentence = text(entry.select_one("p"))
        change = next(c for t, c in by_text.items() if sentence.startswith(t))
        assert text(entry.select_one("strong")).endswith(change["kind"].capitalize())
        href = entry.select_one(".change-meta a")["href"]
        assert href == "../" + page_url(DOCS / change["page"]) + (
            f"#{change['section']}" if change.get("section") else ""
        )
        if change.get("cite"):
            assert entry.select_one(f'a.footnote-ref[href="#fn:{change["cite"]}"]') is not None, sentence


def test_every_change_names_a_section_that_exists(site):
    for change in CHANGES:
        if change.get("section"):
            built = site.page(page_url(DOCS / change["page"]))
            assert built.select_one(f'article [id="{change["section"]}"]') is not None, change


@pytest.mark.parametrize("md", [md for md in markdown_pages() if is_content_page(rel(md))], ids=rel)
def test_each_content_page_shows_its_latest_changes_by_the_review_stamp(site, md):
    page = site.page(page_url(md))
    box = page.select_one("article .page-changes")
    assert box is not None
    # Beside the review stamp, after the page's text and its reference list.
    assert box.find_previous_sibling(class_="page-stamp") is not None
    assert text(box.select_one(".page-changes__title")) == "What changed on this page"
    mine = sorted((c for c in CHANGES if c["page"] == rel(md)), key=dated, reverse=True)[:3]
    items = [text(entry) for entry in box.select("[role=listitem]")]
    assert len(items) == len(mine)
    for item, change in zip(items, mine):
        assert item.startswith(f"{written_out(dated(change))} · {change['kind'].capitalize()}")
        assert change["text"] in item
    if not mine:
        published = front_matter(md)["published"]
        assert f"No corrections or updates recorded since this page was published on {written_out(published)}." in text(
            box
        )
    assert box.select_one('a[href$="changes/"]') is not None


def test_pages_that_are_not_content_pages_have_no_changes_box(site):
    for md in markdown_pages():
        if not is_content_page(rel(md)):
            assert site.page(page_url(md)).select_one(".page-changes") is None, rel(md)


# The Atom feed ------------------------------------------------------------------------------------


@pytest.mark.parametrize("md", markdown_pages(), ids=rel)
def test_every_page_announces_the_feed(site, md):
    (link,) = site.page(page_url(md)).select('head link[rel="alternate"][type="application/atom+xml"]')
    target = (site.root / page_url(md) / link["href"]).resolve()
    assert target == (site.root / "feed.xml").resolve() and target.is_file()


def test_the_feed_is_valid_atom_with_every_change(site):
    feed = ET.parse(site.root / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == f"{site.url}feed.xml"
    assert feed.findtext(f"{ATOM}title") == f"{CONFIG['site_name']}: changes and corrections"
    newest = max(dated(c) for c in CHANGES)
    assert feed.findtext(f"{ATOM}updated") == f"{newest.isoformat()}T00:00:00Z"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": f"{site.url}feed.xml", "alternate": f"{site.url}changes/"}
    assert feed.findtext(f"{ATOM}author/{ATOM}name")  # RFC 4287: a feed without entry authors needs one
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(CHANGES)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    changes_page = site.page("changes/")
    stamps = []
    for entry in entries:
        entry_id = entry.findtext(f"{ATOM}id")
        assert entry_id.startswith(f"{site.url}changes/#change-")
        anchor = changes_page.select_one(f'[id="{entry_id.split("#", 1)[1]}"]')
        assert anchor is not None, f"{entry_id} is not an entry on the Changes page"
        updated = entry.findtext(f"{ATOM}updated")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", updated)
        stamps.append(updated)
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "text"
        change = next(c for c in CHANGES if c["text"] == content.text)
        assert updated.startswith(dated(change).isoformat())
        assert entry.find(f"{ATOM}category").get("term") == change["kind"]
        assert entry.findtext(f"{ATOM}title").startswith(change["kind"].capitalize() + ": ")
        (link,) = entry.findall(f"{ATOM}link")
        expected = (
            site.url + page_url(DOCS / change["page"]) + (f"#{change['section']}" if change.get("section") else "")
        )
        assert link.get("href") == expected and link.get("rel") == "alternate"
        # The id names the date it was made and the place, so it never changes when entries are added.
        assert dated(change).isoformat() in entry_id
    assert stamps == sorted(stamps, reverse=True)


# Evidence checked up to ---------------------------------------------------------------------------


@pytest.mark.parametrize("md", markdown_pages(), ids=rel)
def test_evidence_pages_say_when_their_sources_were_checked_and_that_no_search_has_run(site, md):
    """No search for newer studies has been run (data/searches.yml records none), so no page may say
    "Evidence checked up to": each says when its sources were checked, linked to its saved search."""
    shown = site.page(page_url(md)).select("article .evidence-checked")
    if rel(md) not in EVIDENCE_PAGES:
        assert shown == [], f"{rel(md)} is not an evidence page"
        return
    value = front_matter(md).get("evidence_checked")
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value), f"{rel(md)}: evidence_checked {value!r}"
    month = dt.date.fromisoformat(value + "-01")
    assert len(shown) == 1
    assert (
        text(shown[0]) == f"Sources last checked: {month.strftime('%B')} {month.year}; no search for newer studies yet"
    )
    assert shown[0].select_one("time")["datetime"] == value
    slug = re.sub(r"[^a-z0-9]+", "-", rel(md).removesuffix(".md"))
    href = shown[0].select_one("a")["href"]
    assert href.endswith(f"how-we-make/#search-{slug}"), href
    record = site.page("how-we-make/").select_one(f'[id="search-{slug}"]')
    assert record is not None and "Not run yet." in record.get_text()
    reviewed = front_matter(md)["last_reviewed"]
    assert (month.year, month.month) <= (reviewed.year, reviewed.month)


def test_no_page_claims_a_search_that_was_never_run(site):
    for page in site.html_files():
        assert "Evidence checked up to:" not in page.read_text(encoding="utf-8"), page


def test_the_evidence_pages_are_the_configured_ones():
    patterns = CONFIG["extra"]["evidence_pages"]
    matched = sorted(
        rel(md)
        for md in markdown_pages()
        if any(Path(rel(md)).match(p) and len(Path(rel(md)).parts) == len(Path(p).parts) for p in patterns)
    )
    assert matched == sorted(EVIDENCE_PAGES)


# make linkcheck -----------------------------------------------------------------------------------


def test_linkcheck_says_plainly_when_there_is_no_network(tmp_path, monkeypatch, capsys):
    from backpain_site.features.trust import linkcheck

    (tmp_path / "index.html").write_text(
        '<a href="https://doi.org/10.1/x#y">a</a><a href="mailto:a@b.org">m</a>'
        '<a href="../x/">in</a><a href="http://127.0.0.1:8000/">self</a>'
    )
    monkeypatch.setattr(linkcheck, "online", lambda hosts, timeout=3.0: False)
    assert linkcheck.main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == "No network: external link check skipped (1 external links not checked)."


class _Server(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(200 if self.path in ("/ok", "/ok2") else 404)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path in ("/ok", "/no-head") else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_linkcheck_reports_broken_links_and_where_they_are(tmp_path, monkeypatch, capsys):
    from backpain_site.features.trust import linkcheck

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        (tmp_path / "index.html").write_text(
            f'<a href="{base}/ok">a</a><a href="{base}/ok#part">same</a><a href="{base}/no-head">b</a>'
        )
        (tmp_path / "page").mkdir()
        (tmp_path / "page" / "index.html").write_text(f'<a href="{base}/gone">c</a>')
        monkeypatch.setattr(linkcheck, "SKIP_HOSTS", set())
        monkeypatch.setattr(linkcheck, "online", lambda hosts, timeout=3.0: True)
        assert linkcheck.main([str(tmp_path), "--timeout", "5"]) == 1
        out = capsys.readouterr().out
        assert f"broken: {base}/gone (HTTP 404) linked from page/index.html" in out
        assert "Checked 3 external links: 1 broken." in out
    finally:
        server.shutdown()
        server.server_close()


def test_make_linkcheck_runs_the_check_after_a_strict_build():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(
        r"^linkcheck: build\n\t\$\(BIN\)/python -m backpain_site.features.trust\.linkcheck site$", makefile, re.M
    )
