"""The build is one pipeline (issue 13): one hook, every event declared once, features in a written order,
state per build, one shortcode dispatcher that fails loudly, page roles declared once."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, make_project, run_build

from backpain_site.feature_list import FEATURES
from backpain_site.kernel import roles, shortcodes
from backpain_site.kernel.pipeline import Build, Session, chosen_features
from backpain_site.kernel.problems import Problem

STEP_METHODS = {
    "config",
    "files",
    "markdown",
    "cited_markdown",
    "cited_tree",
    "headed_tree",
    "finished_tree",
    "content",
    "context",
    "env",
    "post_build",
}


def load_site_config():
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))


def test_one_hook_file_and_mkdocs_yml_lists_only_it():
    assert not (ROOT / "hooks").exists(), "the hook lives in the package: backpain_site/hook.py"
    from pathlib import Path

    assert [Path(h).resolve() for h in load_site_config()["hooks"]] == [ROOT / "backpain_site" / "hook.py"]


def test_every_event_is_declared_once_and_sits_where_the_order_needs_it():
    """Read from MkDocs' own event table, as a real build registers it."""
    config = load_site_config()
    events = config.plugins.events
    origin = config.plugins._event_origins
    for name, handlers in events.items():
        ours = [h for h in handlers if origin.get(h) == "backpain_site/hook.py"]
        assert len(ours) <= (2 if name == "page_markdown" else 1), f"{name}: declared {len(ours)} times"

    def order(name):
        return ["hook" if origin.get(h) == "backpain_site/hook.py" else origin.get(h, "?") for h in events[name]]

    # The pipeline reads and checks the bibliography, then hands it to mkdocs-bibtex's on_config.
    assert order("config").index("hook") < order("config").index("bibtex")
    # Shortcodes and care cards (which cite) before the plugin numbers citations; the heading after.
    markdown = order("page_markdown")
    assert markdown.count("hook") == 2 and markdown.index("hook") < markdown.index("bibtex") < len(
        markdown
    ) - 1 - markdown[::-1].index("hook")
    # The staged site is swapped in after every plugin has written its files (search index, redirects).
    assert order("post_build")[-1] == "hook"


def test_features_run_in_the_written_order_and_answer_only_known_steps():
    names = [cls.name for cls in FEATURES]
    assert len(set(names)) == len(names)
    assert names[0] == "citations", "every later feature may use the bibliography the citations feature reads"
    assert names.index("care-cards") < names.index("trust"), "the page ends with the cards, then its changes"
    assert names.index("citations") < names.index("studies") < names.index("share-kit")
    for cls in FEATURES:
        methods = {n for n, _ in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}
        steps = {n for n in methods if n in STEP_METHODS}
        assert not {n for n in methods if n.startswith("on_")}, (
            f"{cls.__name__}: MkDocs event names belong in backpain_site/hook.py"
        )
        assert steps, f"{cls.__name__} runs at no step"


def test_feature_logic_imports_without_mkdocs():
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import backpain_site.features.care_cards, backpain_site.features.glossary, backpain_site.features.plain_language, backpain_site.features.sharing.sections, backpain_site.features.sharing.kit, backpain_site.features.sharing.links, backpain_site.features.studies.render
        import backpain_site.features.citations.labels, backpain_site.features.citations.listing, backpain_site.features.citations.marks, backpain_site.features.citations.cite_page, backpain_site.features.trust.changes
        import backpain_site.kernel.roles, backpain_site.kernel.shortcodes, backpain_site.features.claims.ledger, backpain_site.features.published_links.renames, backpain_site.features.stacked_tables
        loaded = sorted(m for m in sys.modules if m == "mkdocs" or m.startswith("mkdocs."))
        print(",".join(loaded))
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "", f"feature logic pulled in MkDocs: {run.stdout.strip()}"


def test_no_module_is_loaded_twice_in_a_build(tmp_path):
    """The old hooks imported each other as sibling modules, so some ran twice with separate state."""
    project = make_project(tmp_path / "p")
    script = textwrap.dedent(f"""
        import collections, os, sys
        os.chdir({str(project)!r})
        os.environ["NO_MKDOCS_2_WARNING"] = "1"
        from mkdocs.commands import build
        from mkdocs.config import load_config
        config = load_config("mkdocs.yml", site_dir={str(tmp_path / "out")!r})
        config.plugins.on_startup(command="build", dirty=False)
        build.build(config)
        files = collections.defaultdict(list)
        for name, module in list(sys.modules.items()):
            path = os.path.realpath(getattr(module, "__file__", None) or "")
            if path.startswith({str(ROOT)!r} + os.sep) and "/.venv/" not in path:
                files[path].append(name)
        print([names for names in files.values() if len(names) > 1])
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_each_build_gets_fresh_feature_state_and_the_session_keeps_only_caches():
    config = load_site_config()
    session = Session()
    first, second = Build(config, session, FEATURES), Build(config, session, FEATURES)
    assert all(a is not b for a, b in zip(first.features, second.features))
    assert first.session is second.session
    first.features[0].aliases["x"] = "y"
    assert "x" not in second.features[0].aliases


def test_a_small_site_chooses_features_by_name_and_a_wrong_name_is_one_message():
    from types import SimpleNamespace

    from backpain_site.kernel import BuildError

    assert chosen_features(SimpleNamespace(extra={}), FEATURES) == FEATURES
    assert [c.name for c in chosen_features(SimpleNamespace(extra={"features": ["trust", "citations"]}), FEATURES)] == [
        "citations",
        "trust",
    ]
    with pytest.raises(BuildError, match=r"extra.features: unknown feature 'citation'"):
        chosen_features(SimpleNamespace(extra={"features": ["citation"]}), FEATURES)


# --- the shortcode dispatcher --------------------------------------------------------------------


def echo(call):
    return f"[{call.name}|{call.arg}]"


def test_shortcodes_are_replaced_in_one_pass_with_their_argument():
    text, problems, present = shortcodes.expand(
        "a\n<!-- glossary -->\nb <!-- report-problem: email --> c\n<!-- chart prevalence -->\n"
        "<!-- share:sections how-common.md -->\n",
        {"glossary": echo, "report-problem": echo, "chart": echo, "share:sections": echo},
    )
    assert problems == []
    assert text == ("a\n[glossary|]\nb [report-problem|email] c\n[chart|prevalence]\n[share:sections|how-common.md]\n")
    assert present == {"glossary", "report-problem", "chart", "share:sections"}


def test_an_unknown_or_misspelt_shortcode_stops_with_its_line():
    _, problems, _ = shortcodes.expand(
        "# Page\n\ntext\n<!-- studies-tabel -->\n", {"studies-table": echo}, "p.md", "docs/p.md", 5
    )
    assert list(map(str, problems)) == [
        "docs/p.md:9: unknown shortcode <!-- studies-tabel -->; the shortcodes are studies-table"
    ]
    _, problems, _ = shortcodes.expand("\n<!-- care-card: urgent now -->\n", {"care-card": echo})
    assert len(problems) == 1 and problems[0].line == 2 and "is not a shortcode" in problems[0].message


def test_notes_to_editors_and_code_are_left_alone():
    page = (
        "<!-- Check this paragraph against the 2025 results paper -->\n\n"
        "```html\n<!-- tabel -->\n```\n\nInline `<!-- tabel -->` code.\n"
    )
    text, problems, present = shortcodes.expand(page, {"glossary": echo})
    assert (text, problems, present) == (page, [], set())


def test_a_handler_problem_is_reported_at_the_shortcode_line():
    def refuse(call):
        raise shortcodes.ShortcodeProblem(f'unknown trial "{call.arg}"')

    _, problems, _ = shortcodes.expand("x\n\n<!-- trial-card nope -->\n", {"trial-card": refuse})
    assert problems == [Problem("", 3, 'unknown trial "nope"')]


def test_a_misspelt_shortcode_stops_a_real_build_with_file_and_line(tmp_path):
    project = make_project(tmp_path / "p")
    page = project / "docs" / "other.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(lines[:3] + ["", "<!-- bibliografy -->", ""] + lines[3:]) + "\n", encoding="utf-8")
    result = run_build(project, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert "docs/other.md:5: unknown shortcode <!-- bibliografy -->; the shortcodes are bibliography" in log


# --- page roles -----------------------------------------------------------------------------------


def test_page_roles_are_declared_once_and_name_pages_that_exist():
    for src in roles.ROLES:
        assert (ROOT / "docs" / src).exists(), f"backpain_site/kernel/roles.py names docs/{src}, which does not exist"
    source = "\n".join(
        p.read_text(encoding="utf-8")
        for pkg in ("care_cards", "sharing", "plain_language", "glossary", "trust", "studies", "citations")
        for p in (ROOT / pkg).glob("*.py")
    )
    lines = [line for line in source.splitlines() if "includes" not in line]  # includes/glossary.md is data
    for literal in ('"when-to-get-help.md"', '"glossary.md"', '"changes.md"', '"references.md"', '"about.md"'):
        assert not [line for line in lines if literal in line], (
            f"{literal} is written in a feature; name it in backpain_site/kernel/roles.py"
        )
    assert not roles.is_content_page("share/how-common.md") and roles.is_content_page("mechanisms/discs.md")
    assert roles.role_of("when-to-get-help.md").full_cards and not roles.role_of("when-to-get-help.md").short_cards


def test_the_tree_steps_run_inside_python_markdown_after_footnotes_and_toc_and_before_mkdocs_reads_anchors():
    """Each page is edited once, as a tree: the features' tree steps are Python-Markdown tree processors."""
    import markdown
    from mkdocs.structure.pages import _ExtractAnchorsTreeprocessor, _RelativePathTreeprocessor

    from backpain_site.kernel.tree import PageTree

    config = load_site_config()
    md = markdown.Markdown(
        extensions=[*config.markdown_extensions, PageTree(build=None)], extension_configs=config.mdx_configs
    )
    _ExtractAnchorsTreeprocessor(None, None, config)._register(md)  # as MkDocs adds them when rendering a page
    _RelativePathTreeprocessor(None, None, config)._register(md)
    processors = list(md.treeprocessors)  # in the order they run (by priority, then registration)
    names = [
        next(
            name
            for name in (
                "footnote-duplicate",
                "site_cited",
                "attr_list",
                "abbr",
                "stacked_tables",
                "toc",
                "site_headed",
                "mkdocs_extract_anchors",
                "relpath",
                "site_finished",
            )
            if name in md.treeprocessors and md.treeprocessors[name] is p
        )
        if any(
            name in md.treeprocessors and md.treeprocessors[name] is p
            for name in (
                "footnote-duplicate",
                "site_cited",
                "attr_list",
                "abbr",
                "stacked_tables",
                "toc",
                "site_headed",
                "mkdocs_extract_anchors",
                "relpath",
                "site_finished",
            )
        )
        else "-"
        for p in processors
    ]
    assert (
        names.index("footnote-duplicate")
        < names.index("site_cited")
        < names.index("attr_list")
        < names.index("abbr")
        < names.index("stacked_tables")
        < names.index("toc")
        < names.index("site_headed")
        < names.index("mkdocs_extract_anchors")
        < names.index("relpath")
        < names.index("site_finished")
    ), names


def test_no_feature_rewrites_the_finished_html():
    """Every page step works on the page's tree inside Python-Markdown; after it, only the frame's
    hand-back from mkdocs-bibtex (an "@" hidden in code put back) touches the HTML string."""
    assert [cls.name for cls in FEATURES if "content" in vars(cls)] == []
