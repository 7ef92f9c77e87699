"""The sections clinicians share: which pages are content pages, their H2 sections, each section's
public URL and one-line summary. Pure functions (no MkDocs), shared by backpain_site/features/sharing/links.py,
backpain_site/features/sharing/kit.py and the tests.

Summaries are written by hand in data/share-summaries.yml, not taken from the section's first
sentence: a first sentence is often not a summary ("Discs change as we age.", a list, a warning
box) and, cut out of its section, a finding loses the citation and the caveats around it. A summary
says what the section covers, so it needs no citation. A section without one, or a summary for a
section that no longer exists, stops the build with the file and line to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import yaml

from backpain_site.kernel.headings import Heading
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.yaml_nodes import line_of
from backpain_site.kernel.yaml_nodes import read as read_yaml

SUMMARIES = "data/share-summaries.yml"
SUMMARY_MAX_CHARS = 100  # one line on a phone-width card and in a handout's list

# Which pages are content pages (a page a clinician may send) is declared in backpain_site/kernel/roles.py.
from backpain_site.kernel.roles import SHARE_FOLDER, is_content_page  # noqa: E402,F401


@dataclass(frozen=True)
class Section:
    page: str  # the page's source path, e.g. "mechanisms/discs.md"
    id: str  # the heading's explicit id
    heading: str  # the heading as plain text
    line: int  # 1-based line of the heading in the page's source


def h2_sections(page: str, headings: list[Heading]) -> tuple[list[Section], list[Problem]]:
    """The page's H2 sections in order, and a Problem for each H2 the share kit cannot link to.

    `headings`: the page's headings as the project index has them (backpain_site/kernel/headings.py:
    lines count from the top of the file, code is never a heading), care cards placed included.
    """
    sections: list[Section] = []
    problems: list[Problem] = []
    for heading in headings:
        if heading.level != 2:
            continue
        if not heading.explicit:
            problems.append(
                Problem(
                    f"docs/{page}",
                    heading.line,
                    f'heading "{heading.markdown}" has no explicit id such as {{ #short-name }}, '
                    "so a link to it would break when its wording changes",
                )
            )
            continue
        sections.append(Section(page, heading.id, heading.text, heading.line))
    return sections, problems


def page_url(site_url: str, page_path: str) -> str:
    """The public URL of a page: site_url + the page's path ('' for the home page)."""
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", page_path)


def section_url(site_url: str, page_path: str, section_id: str) -> str:
    return f"{page_url(site_url, page_path)}#{section_id}"


# ---- data/share-summaries.yml --------------------------------------------------------------------


def parse_summaries(text: str) -> tuple[dict[str, dict[str, tuple[str, int]]], list[Problem]]:
    """{page: {id: (summary, line)}} from the YAML text, and a Problem for what is wrong in it.

    Shape: one key per page (its path under docs/), then one `id: summary` per section.
    """
    root, bad = read_yaml(text, SUMMARIES)
    if bad:
        return {}, [Problem(SUMMARIES, bad.line or 1, bad.message)]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [Problem(SUMMARIES, line_of(root), "must map each page (e.g. how-common.md) to its sections")]
    summaries: dict[str, dict[str, tuple[str, int]]] = {}
    problems: list[Problem] = []
    for page_node, sections_node in root.value:
        page, page_line = page_node.value, page_node.start_mark.line + 1
        if page in summaries:
            problems.append(Problem(SUMMARIES, page_line, f'page "{page}" is listed twice'))
            continue
        if not isinstance(sections_node, yaml.MappingNode):
            problems.append(
                Problem(SUMMARIES, page_line, f'page "{page}": give one `section-id: summary` line per section')
            )
            continue
        summaries[page] = {}
        for id_node, summary_node in sections_node.value:
            section_id, line = str(id_node.value), id_node.start_mark.line + 1
            if section_id in summaries[page]:
                problems.append(Problem(SUMMARIES, line, f"{page}#{section_id} has two summaries"))
                continue
            problem = summary_problem(summary_node)
            if problem:
                problems.append(Problem(SUMMARIES, line, f"{page}#{section_id}: {problem}"))
                continue
            summaries[page][section_id] = (summary_node.value.strip(), line)
    return summaries, problems


def summary_problem(node) -> str | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value.strip():
        return "the summary must be one line of text"
    value = node.value.strip()
    if "\n" in value:
        return "the summary must be one line"
    if len(value) > SUMMARY_MAX_CHARS:
        return f"the summary is {len(value)} characters; keep it to {SUMMARY_MAX_CHARS} (one line on a phone)"
    if "[@" in value:
        return (
            "no citations in a summary: say what the section covers; the section itself gives "
            "the findings and their sources"
        )
    return None


def match_summaries(
    sections: list[Section], summaries: dict[str, dict[str, tuple[str, int]]], content_pages: list[str]
) -> tuple[dict[tuple[str, str], str], list[Problem]]:
    """{(page, id): summary} for every section, and every problem (file and line).

    A section without a summary names the page's line (docs/...); a summary for a page or section
    that does not exist names the summaries file's line.
    """
    found: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for section in sections:
        entry = summaries.get(section.page, {}).get(section.id)
        if entry is None:
            problems.append(
                Problem(
                    f"docs/{section.page}",
                    section.line,
                    f'section "{section.heading}" (#{section.id}) '
                    f"has no one-line summary for the Share page: add it to {SUMMARIES} under "
                    f'"{section.page}:" as "  {section.id}: <what the section covers>"',
                )
            )
        else:
            found[(section.page, section.id)] = entry[0]
    written = {(s.page, s.id) for s in sections}
    for page, entries in summaries.items():
        for section_id, (_, line) in entries.items():
            if page not in content_pages:
                problems.append(
                    Problem(SUMMARIES, line, f'"{page}" is not a content page under docs/ (moved or renamed?)')
                )
                break
            if (page, section_id) not in written:
                problems.append(
                    Problem(
                        SUMMARIES,
                        line,
                        f"docs/{page} has no section with id #{section_id} "
                        "(renamed or removed? update or delete this summary)",
                    )
                )
    return found, problems
