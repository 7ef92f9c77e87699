"""Tables from the study data: `<!-- studies-table -->` and `<!-- trial-card ID -->` in a page.

`<!-- studies-table -->` becomes a table of the works the page cites (in order of first citation:
design and size, who took part, length, main finding, known limits), with their key numbers in a
"For clinicians" block. `<!-- trial-card asteroid -->` becomes the trial's card, and
`<!-- certainty asteroid-pain -->` the box saying how sure the site team is about that finding. All are built
from data/studies.yml (studies/render.py) as Markdown with `[@key]` citations, so this runs before
the help box (50) adds its citations and before mkdocs-bibtex (0) numbers them.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from citations.markdown import find_citations
from studies.markers import find_markers, front_matter_lines, replace_markers
from studies.project import current
from studies.render import certainty_note, studies_table, trial_card

try:  # imported by MkDocs from hooks/ or by the tests as a package
    from citation_labels import citation_name
except ImportError:  # pragma: no cover
    from hooks.citation_labels import citation_name

_names: dict = {"entries": None, "names": {}}


def work_names(config) -> dict[str, str]:
    """'Maselli 2020' for each cited work, named as citation_labels names it (the number beside it
    tells apart two works with the same name)."""
    plugin = config.plugins.get("bibtex")
    entries = plugin.registry.bib_data.entries if plugin is not None and plugin.registry else {}
    if _names["entries"] is not entries:
        _names.update(entries=entries, names={key: citation_name(key, entry) for key, entry in entries.items()})
    return _names["names"]


def where(page, line: int) -> str:
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    return f"docs/{page.file.src_uri}:{line + front_matter_lines(source)}"


HOW_WE_MAKE = "how-we-make.md"  # where the site explains how it words certainty


def how_link(page, files) -> str | None:
    """A link to the certainty section of "How we make this site", when the site has that page."""
    if files.get_file_from_path(HOW_WE_MAKE) is None:
        return None
    return f"/{HOW_WE_MAKE}#certainty"


@event_priority(60)
def on_page_markdown(markdown, page, config, files):
    markers = find_markers(markdown, ("studies-table", "trial-card", "certainty"))
    if not markers:
        return markdown
    data = current()
    names = work_names(config)
    problems = []

    def render(marker):
        if marker.name == "studies-table":
            if marker.arg:
                problems.append(f'{where(page, marker.line)}: <!-- studies-table --> takes no id, not "{marker.arg}"')
                return ""
            keys = list(dict.fromkeys(c.key for c in find_citations(markdown, page.file.src_uri)[0]))
            if not keys:
                problems.append(f"{where(page, marker.line)}: <!-- studies-table --> on a page that cites nothing")
                return ""
            return studies_table(keys, data, names)
        if marker.name == "certainty":
            finding = data.findings.get(marker.arg)
            if finding is None:
                known = ", ".join(f'"{f}"' for f in data.findings) or "none"
                problems.append(f'{where(page, marker.line)}: unknown finding "{marker.arg}" in <!-- certainty -->'
                                f" (findings in {data.file}: {known})")
                return ""
            return certainty_note(finding, how_link(page, files))
        trial = data.trials.get(marker.arg)
        if trial is None:
            known = ", ".join(f'"{t}"' for t in data.trials) or "none"
            problems.append(f'{where(page, marker.line)}: unknown trial "{marker.arg}" in <!-- trial-card -->'
                            f" (trials in {data.file}: {known})")
            return ""
        return trial_card(trial, names)

    markdown = replace_markers(markdown, markers, render)
    if problems:
        raise PluginError("\n".join(problems))
    return markdown
