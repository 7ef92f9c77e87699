"""The contract with mkdocs-bibtex (issue 20 item 3): every place the project touches the plugin, as
backpain_site/features/citations/bibtex_plugin.py lists them, checked against the installed plugin.

Each check_* below names its contact point in its failure message, so an upgraded or patched plugin
that moves under the adapter stops the suite with "mkdocs-bibtex changed under the adapter: ...".
test_each_check_fails_when_the_plugin_changes shows each check failing on a monkeypatched plugin.
"""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path
from types import SimpleNamespace

import mkdocs_bibtex.citation
import pytest
from mkdocs.plugins import event_priority
from mkdocs_bibtex.citation import Citation, CitationBlock
from mkdocs_bibtex.config import BibTexConfig
from mkdocs_bibtex.plugin import BibTexPlugin
from mkdocs_bibtex.registry import SimpleRegistry

from backpain_site import hook
from backpain_site.features.citations import bibtex_plugin as adapter
from backpain_site.features.citations.markdown import canonical, find_citations, protect

CHANGED = "mkdocs-bibtex changed under the adapter (backpain_site/features/citations/bibtex_plugin.py): "

BIB = r"""@article{smith2020,
  author = {Smith, Ann and Jones, Bo},
  title = {Running (and walking) with back pain: a trial},
  journal = {Spine J.},
  year = {2020},
}
@book{lee-2019_b,
  author = {Lee, Cy},
  title = {Backs},
  publisher = {Press},
  year = {2019},
}
"""

# Markdown the plugin meets after the hand-over: citations, links, footnotes, brackets with "@" in them.
SAMPLES = [
    "Running helps [@smith2020]. See [the trial](https://x.org/@a) and [^1].",
    "Two at once [@smith2020; @lee-2019_b], then [mail me: a@b.org] and [x [@smith2020] y].",
    "Code `[@smith2020]` and [a; @b, p. 5] and [not @cited] and [@unknown-key].",
]


def _report(bib_path: Path):
    """What the citations feature hands install_registry: bib_data and formatted references."""
    from pybtex.database import parse_file

    data = parse_file(str(bib_path))
    return SimpleNamespace(bib_data=data, formatted={key: f"Formatted {key}." for key in data.entries})


def _configured_plugin(tmp_path: Path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    plugin = BibTexPlugin()
    errors, _ = plugin.load_config(
        {"bib_file": "refs.bib", "footnote_format": "{key}", "enable_inline_citations": False}
    )
    assert not errors, CHANGED + f"config keys bib_file, footnote_format, enable_inline_citations: {errors}"
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    return plugin, config, bib


def check_name_and_config_keys():
    found = {ep.name: ep.value for ep in entry_points(group="mkdocs.plugins")}
    assert found.get(adapter.NAME) == "mkdocs_bibtex.plugin:BibTexPlugin", (
        CHANGED + f"the plugin is no longer mkdocs.yml's {adapter.NAME!r} (entry point: {found.get(adapter.NAME)})"
    )
    keys = {name for name, _ in BibTexConfig._schema}
    missing = {"bib_file", "bib_dir", "footnote_format", "enable_inline_citations"} - keys
    assert not missing, CHANGED + f"config keys {sorted(missing)} are gone (bib_paths_from, install_registry read them)"


def check_registry_and_last_configured(tmp_path: Path):
    plugin, config, bib = _configured_plugin(tmp_path)
    for name in ("registry", "last_configured"):
        assert hasattr(plugin, name), CHANGED + f"BibTexPlugin has no attribute {name!r} (install_registry sets it)"
    registry = adapter.make_registry(_report(bib))
    adapter.install_registry(plugin, registry)
    plugin.on_config(config)
    assert plugin.registry is registry, (
        CHANGED
        + "on_config replaced the installed registry: `last_configured = math.inf` no longer stops it reading .bib files"
    )
    for name in ("validate_citation_blocks", "inline_text", "reference_text", "bib_data", "footnote_format"):
        assert hasattr(registry, name), (
            CHANGED + f"the registry has no {name!r} (ParsedRegistry subclasses SimpleRegistry)"
        )


def check_footnotes_written(tmp_path: Path):
    plugin, config, bib = _configured_plugin(tmp_path)
    adapter.install_registry(plugin, adapter.make_registry(_report(bib)))
    plugin.on_config(config)
    out = plugin.on_page_markdown("Backs [@smith2020; @lee-2019_b].\n", None, config, None)
    assert out.startswith("Backs [^smith2020][^lee-2019_b].\n"), (
        CHANGED + f"the footnote marks it writes are no longer [^KEY] side by side: {out!r}"
    )
    definitions = [line for line in out.splitlines() if line.startswith("[^")]
    assert definitions == ["[^smith2020]: Formatted smith2020.", "[^lee-2019_b]: Formatted lee-2019_b."], (
        CHANGED + f"the footnote definitions it writes are no longer `[^KEY]: reference_text`: {definitions}"
    )


def check_block_regex_and_keys():
    for sample in SAMPLES:
        ours = [m.group(1) for m in adapter.PLUGIN_BLOCK.finditer(sample)]
        theirs = [m.group(1) for m in mkdocs_bibtex.citation.CITATION_BLOCK_REGEX.finditer(sample)]
        assert ours == theirs, CHANGED + f"PLUGIN_BLOCK finds {ours}, the plugin's citation groups are {theirs}"
        # What the hand-over leaves for the plugin: exactly the citations found here, nothing else.
        cites, _ = find_citations(sample, "x.md")
        handed = canonical(protect(sample), cites, {})
        read = [c.key for block in CitationBlock.from_markdown(handed) for c in block.citations]
        assert read == [c.key for c in cites], (
            CHANGED + f"after the hand-over the plugin reads {read} in {handed!r}, expected {[c.key for c in cites]}"
        )
    for key in ("smith2020", "lee-2019_b", "A_1-b", "2020"):
        assert adapter.PLUGIN_KEY.fullmatch(key)
        read = [c.key for c in Citation.from_markdown("@" + key)]
        assert read == [key], CHANGED + f"PLUGIN_KEY takes {key!r} whole but the plugin reads it as {read}"


def check_event_priorities():
    for event in ("on_config", "on_page_markdown"):
        priority = getattr(getattr(BibTexPlugin, event), "mkdocs_priority", 0)
        assert priority == adapter.PLUGIN_PRIORITY, (
            CHANGED + f"its {event} now runs at priority {priority}, not {adapter.PLUGIN_PRIORITY}"
        )
    assert hook.on_config.mkdocs_priority == adapter.CONFIG_BEFORE_PLUGIN > adapter.PLUGIN_PRIORITY
    before, after = hook._markdown_before_bibtex, hook._markdown_after_bibtex
    assert before.mkdocs_priority == adapter.MARKDOWN_BEFORE_PLUGIN > adapter.PLUGIN_PRIORITY
    assert after.mkdocs_priority == adapter.MARKDOWN_AFTER_PLUGIN < adapter.PLUGIN_PRIORITY


def check_reference_text_last_steps(tmp_path: Path):
    from pybtex.backends.markdown import Backend
    from pybtex.style.formatting.plain import Style

    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    registry = SimpleRegistry(bib_files=[str(bib)])
    for key, entry in registry.bib_data.entries.items():
        theirs = registry.reference_text(Citation(key))
        ours = adapter.finish_reference(Style().format_entry("", entry).text.render(Backend()))
        assert ours == theirs, (
            CHANGED + f"SimpleRegistry.reference_text's last steps differ from finish_reference: {theirs!r} vs {ours!r}"
        )


def test_name_and_config_keys():
    check_name_and_config_keys()


def test_registry_and_last_configured(tmp_path):
    check_registry_and_last_configured(tmp_path)


def test_footnotes_written(tmp_path):
    check_footnotes_written(tmp_path)


def test_block_regex_and_keys():
    check_block_regex_and_keys()


def test_event_priorities():
    check_event_priorities()


def test_reference_text_last_steps(tmp_path):
    check_reference_text_last_steps(tmp_path)


def test_the_site_reaches_the_plugin_only_through_the_adapter():
    """No module but the adapter imports mkdocs_bibtex or sets the plugin's attributes."""
    package = Path(adapter.__file__).resolve().parents[2]
    pattern = re.compile(r"mkdocs_bibtex|\.last_configured\b|\.registry\s*=|plugins\.get\(")
    offenders = [
        f"{path.relative_to(package.parent)}:{n}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        if path != Path(adapter.__file__).resolve()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not offenders, "touches mkdocs-bibtex outside its adapter:\n" + "\n".join(offenders)


# Each change a plugin release (or a patch) could make, and the check that must then fail.
def _later_on_config(original):
    def on_config(self, config):
        self.last_configured = None  # a release that ignores last_configured
        return original(self, config)

    return on_config


CHANGES = {
    "config key renamed": (
        lambda mp: mp.setattr(
            BibTexConfig, "_schema", tuple((n, o) for n, o in BibTexConfig._schema if n != "footnote_format")
        ),
        check_name_and_config_keys,
        "config keys",
    ),
    "last_configured ignored": (
        lambda mp: mp.setattr(BibTexPlugin, "on_config", _later_on_config(BibTexPlugin.on_config)),
        check_registry_and_last_configured,
        "last_configured",
    ),
    "footnote marks spaced": (
        lambda mp: mp.setattr(
            SimpleRegistry, "inline_text", lambda self, block: " ".join(f"[^{c.key}]" for c in block.citations)
        ),
        check_footnotes_written,
        "footnote marks",
    ),
    "greedy block regex": (
        lambda mp: mp.setattr(mkdocs_bibtex.citation, "CITATION_BLOCK_REGEX", re.compile(r"\[([^\[\]]*)\]")),
        check_block_regex_and_keys,
        "PLUGIN_BLOCK",
    ),
    "keys end at hyphen": (
        lambda mp: mp.setattr(
            mkdocs_bibtex.citation,
            "CITATION_REGEX",
            re.compile(r"(?:(?P<prefix>[^@;]*?)\s*)?@(?P<key>\w+)(?:,\s*(?P<suffix>[^;]+))?"),
        ),
        check_block_regex_and_keys,
        "the plugin reads",
    ),
    "markdown event moved": (
        lambda mp: mp.setattr(
            BibTexPlugin,
            "on_page_markdown",
            event_priority(60)(
                (lambda original: lambda self, *args: original(self, *args))(BibTexPlugin.on_page_markdown)
            ),
        ),  # a new function
        check_event_priorities,
        "on_page_markdown now runs at priority 60",
    ),
    "reference text cleaned differently": (
        lambda mp: mp.setattr(
            SimpleRegistry,
            "reference_text",
            (lambda original: lambda self, c: original(self, c).replace("(", "\\("))(SimpleRegistry.reference_text),
        ),
        check_reference_text_last_steps,
        "last steps",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_check_fails_when_the_plugin_changes(change, monkeypatch, tmp_path):
    patch, check, words = CHANGES[change]
    patch(monkeypatch)
    args = (tmp_path,) if "tmp_path" in check.__code__.co_varnames[: check.__code__.co_argcount] else ()
    with pytest.raises(AssertionError) as failed:
        check(*args)
    assert str(failed.value).startswith(CHANGED) and words in str(failed.value), str(failed.value)
