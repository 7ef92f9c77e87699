"""The published-link contract: every link in data/published-links.txt still lands on its section.

Links sent to patients (text messages, handouts, QR codes) live for years. These tests read the list
and the built site; fixture sites (tests/fixtures/links) show the contract catching a removed id,
accepting a moved page with a redirect and a renamed id, and the `add` command only adding.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, run_build
from links_fixtures import LINKS_CASES, make_links_project

from backpain_site.features.published_links.contract import (
    ADD_COMMAND,
    LINKS_FILE,
    BuiltSite,
    Entry,
    add_links,
    broken_links,
    parse,
    read_site,
    unlisted_links,
)
from backpain_site.features.published_links.renames import Rename, add_old_anchors, parse_renames


def listed(project=ROOT) -> list[Entry]:
    entries, problems = parse((project / LINKS_FILE).read_text(encoding="utf-8"))
    assert problems == []
    return entries


# The real site ---------------------------------------------------------------------------------------


def test_the_links_file_holds_only_links_each_once():
    entries, problems = parse((ROOT / LINKS_FILE).read_text(encoding="utf-8"))
    assert problems == []
    links = [entry.link for entry in entries]
    assert len(links) == len(set(links)), "a link is listed twice"
    assert "/" in links


def test_every_published_link_still_lands_on_its_section(site):
    assert site.returncode == 0, site.log
    broken = broken_links(listed(), read_site(site.root))
    assert not broken, "Published links that no longer land:\n" + "\n".join(map(str, broken))


def test_every_page_and_section_of_the_site_is_in_the_links_file(site):
    assert site.returncode == 0, site.log
    new = unlisted_links(listed(), read_site(site.root))
    assert not new, (
        f"Pages or sections not yet in {LINKS_FILE}: {', '.join(new)}\n"
        f"Run `{ADD_COMMAND}` (python -m backpain_site.features.published_links add) to add them."
    )


# Pure logic --------------------------------------------------------------------------------------------


def test_parse_skips_comments_and_names_bad_lines():
    entries, problems = parse("# comment\n\n/\n/a/#x\nnot-a-path\n/b/#two words\n", "links.txt")
    assert [(e.path, e.fragment, e.line) for e in entries] == [("/", "", 3), ("/a/", "x", 4)]
    assert [(p.file, p.line) for p in problems] == [("links.txt", 5), ("links.txt", 6)]


def test_add_links_only_adds_new_sections_after_their_page_and_new_pages_at_the_end():
    text = "# kept comment\n/b/\n/b/#gone-from-site\n/b/#two\n\n/a/\n/a/#one\n"
    site_links = ["/", "/a/", "/a/#one", "/a/#new-in-a", "/b/", "/b/#two", "/b/#new-in-b"]
    new_text, added = add_links(text, site_links)
    assert added == ["/", "/a/#new-in-a", "/b/#new-in-b"]
    lines = new_text.splitlines()
    assert [line for line in lines if line.strip() and line not in added] == [
        line for line in text.splitlines() if line.strip()
    ]
    assert lines.index("/a/#new-in-a") == lines.index("/a/#one") + 1
    assert lines.index("/b/#new-in-b") == lines.index("/b/#two") + 1
    assert lines[-1] == "/"
    assert add_links(new_text, site_links) == (new_text, [])


def test_a_redirect_carries_the_links_fragment_to_the_new_page():
    site = BuiltSite(ids={"/new/": {"a"}}, sections={"/new/": ["a"]}, redirects={"/old/": "/new/"})
    assert broken_links([Entry("/old/", "", 1), Entry("/old/", "a", 2)], site) == []
    [problem] = broken_links([Entry("/old/", "b", 3)], site, "links.txt")
    assert str(problem).startswith('links.txt:3: /old/#b: /new/ (redirected to /new/) has no element with id "b"')


def test_a_redirect_to_a_section_loses_the_links_own_fragment():
    # mkdocs-redirects appends the link's #fragment to the target: "/new/#a" + "#b" lands nowhere.
    site = BuiltSite(ids={"/new/": {"a", "b"}}, sections={}, redirects={"/old/": "/new/#a"})
    assert broken_links([Entry("/old/", "", 1)], site) == []
    [problem] = broken_links([Entry("/old/", "b", 2)], site)
    assert "has a #fragment of its own" in problem.message


def test_old_anchor_goes_inside_the_renamed_heading_and_chains_work():
    from xml.etree import ElementTree as ET

    root = ET.fromstring('<div><p id="x">a</p><h2 id="c">Title<a class="headerlink" href="#c">¶</a></h2></div>')
    renames = [Rename("p.md", "a", "b", 2), Rename("p.md", "b", "c", 3)]
    assert add_old_anchors(root, renames, "r.yml") == []
    out = ET.tostring(root, encoding="unicode")
    assert '<h2 id="c"><span id="b" class="renamed-section" /><span id="a" class="renamed-section" />Title<a' in out


def test_old_anchor_problems_name_the_line():
    from xml.etree import ElementTree as ET

    root = ET.fromstring('<div><h2 id="kept">K</h2><h2 id="new">N</h2></div>')
    problems = add_old_anchors(root, [Rename("p.md", "kept", "new", 4), Rename("p.md", "old", "nowhere", 5)], "r.yml")
    assert [(p.file, p.line) for p in problems] == [("r.yml", 4), ("r.yml", 5)]
    assert str(problems[0]) == (
        'r.yml:4: p.md: kept -> new: the page still has an element with id "kept"; '
        "remove this line or give the section its new id"
    )
    assert str(problems[1]) == 'r.yml:5: p.md: old -> nowhere: the page has no heading with id "nowhere"'


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("a.md:\n  old: [new]\n", 2, "old-id: new-id"),
        ("a.md:\n  x: y\n  x: z\n", 3, "already renamed on line 2"),
        ("page.html:\n  x: y\n", 1, "is not a page"),
        ("a.md:\n  x: x\n", 2, "renamed to itself"),
        ("a.md:\n  x: [\n", 3, "not valid YAML"),
        ("- a.md\n", 1, "one page per line"),
    ],
)
def test_renames_file_problems_are_located(text, line, words):
    renames, problems = parse_renames(text, "r.yml")
    assert renames == [] or len(problems) == 1
    assert len(problems) == 1 and str(problems[0]).startswith(f"r.yml:{line}: ") and words in str(problems[0]), problems


def test_the_real_renames_file_is_valid():
    _, problems = parse_renames((ROOT / "data" / "renamed-sections.yml").read_text(encoding="utf-8"), "r.yml")
    assert problems == []


# Fixture sites -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """built(case) -> (project, site folder, mkdocs output), each case built once."""
    cache = {}

    def build(case):
        if case not in cache:
            base = tmp_path_factory.mktemp(case or "base")
            project = make_links_project(base / "project", case)
            result = run_build(project, base / "site")
            cache[case] = (project, base / "site", result)
        return cache[case]

    return build


def check(built, case):
    project, site_dir, result = built(case)
    assert result.returncode == 0, result.stdout + result.stderr
    site = read_site(site_dir)
    return broken_links(listed(project), site), unlisted_links(listed(project), site), site


def test_fixture_base_keeps_every_link(built):
    assert check(built, None)[:2] == ([], [])


def test_fixture_with_an_id_removed_fails_and_names_it(built):
    broken, new, _ = check(built, "removed-id")
    assert list(map(str, broken)) == [
        f'{LINKS_FILE}:4: /#start-slowly: / has no element with id "start-slowly"; keep the id, '
        "or map the old id to the new one in data/renamed-sections.yml"
    ]
    assert new == ["/#begin-slowly"]


def test_fixture_with_a_moved_page_and_a_redirect_passes(built):
    broken, new, site = check(built, "moved-page")
    assert site.redirects == {"/guide/": "/training/guide/"}
    assert "/guide/" not in site.sections and "/training/guide/" in site.sections
    assert broken == []
    assert new == [link for link in site.links() if link.startswith("/training/guide/")]


def test_fixture_with_a_moved_page_and_no_redirect_fails_for_the_page_and_each_section(built):
    broken, _, _ = check(built, "moved-no-redirect")
    guide = [entry for entry in listed(built("moved-no-redirect")[0]) if entry.path == "/guide/"]
    assert len(broken) == len(guide) >= 5
    assert all("no page at /guide/ and no redirect from it" in problem.message for problem in broken)
    assert [str(problem).split(": ")[1] for problem in broken] == [entry.link for entry in guide]


def test_fixture_with_a_renamed_id_keeps_the_old_id_inside_the_heading(built):
    broken, new, _ = check(built, "renamed-id")
    assert broken == []
    assert new == ["/guide/#finding-your-pace"]
    html = (built("renamed-id")[1] / "guide" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="finding-your-pace"><span class="renamed-section" id="pacing"></span>' in html


def test_fixture_new_section_is_reported_and_the_command_only_adds_it(built):
    project, site_dir, _ = built("new-section")
    assert check(built, "new-section")[1] == ["/#shoes"]
    before = (project / LINKS_FILE).read_text(encoding="utf-8").splitlines()
    command = [sys.executable, "-m", "backpain_site.features.published_links", "add", "--project", str(project)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Added 1 links" in run.stdout and "/#shoes" in run.stdout
    after = (project / LINKS_FILE).read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line != "/#shoes"] == before
    assert after.index("/#shoes") == after.index("/#rest-days") + 1
    again = subprocess.run(command + ["--site", str(site_dir)], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "Added 0 links" in again.stdout


def test_the_check_command_exits_1_naming_a_broken_link(built):
    project, site_dir, _ = built("removed-id")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "backpain_site.features.published_links",
            "check",
            "--project",
            str(project),
            "--site",
            str(site_dir),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    assert "/#start-slowly" in run.stdout and "/#begin-slowly" in run.stdout and ADD_COMMAND in run.stdout


@pytest.mark.parametrize("case", ["bad-rename", "no-description"])
def test_fixture_mistakes_stop_the_build_with_every_located_message(built, case):
    _, _, result = built(case)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    for line in (LINKS_CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert line in output, output
