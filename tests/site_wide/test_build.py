"""The strict build passes and every page the site promises exists at its URL with a title."""

from conftest import DOCS, ROOT, markdown_pages, page_url

# The pages the site promises (issue #2): URL -> the page's source file.
PROMISED = {
    "": "index.md",
    "how-common/": "how-common.md",
    "run-walk-trial/": "run-walk-trial.md",
    "mechanisms/": "mechanisms/index.md",
    "mechanisms/discs/": "mechanisms/discs.md",
    "mechanisms/beliefs/": "mechanisms/beliefs.md",
    "mechanisms/activity/": "mechanisms/activity.md",
    "take-home/": "take-home.md",
    "when-to-get-help/": "when-to-get-help.md",
    "next-steps/": "next-steps.md",
    "how-we-make/": "how-we-make.md",
    "glossary/": "glossary.md",
    "references/": "references.md",
    "about/": "about.md",
    "share/": "share/index.md",
    "changes/": "changes.md",
}


def test_strict_build_passes_without_warnings(site):
    assert site.returncode == 0, site.log
    assert "WARNING" not in site.log, site.log


def test_every_promised_page_exists_with_a_title(site):
    for url, source in PROMISED.items():
        assert (DOCS / source).is_file(), f"missing source docs/{source}"
        soup = site.page(url)
        h1 = soup.select_one("article h1")
        assert h1 is not None and h1.get_text(strip=True), f"/{url} has no visible title"
        title = soup.title.get_text(strip=True)
        assert title.startswith(h1.get_text(strip=True)), f"/{url}: <title> {title!r} does not name the page"


def test_every_markdown_page_is_promised():
    """A new page must be added to the list above (and to the nav) on purpose."""
    sources = {str(md.relative_to(DOCS)) for md in markdown_pages()}
    assert sources == set(PROMISED.values())


def test_urls_follow_the_source_layout():
    for url, source in PROMISED.items():
        assert page_url(DOCS / source) == url


def test_ci_runs_the_readme_test_command():
    """CI proves the README: .ci/run must run the README's test command, and README gives exactly two."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert len(commands) == 2, commands
    test_command = next(c for c in commands if "test" in c)
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci


def test_pages_load_afresh_with_no_instant_loading_or_following_toc(site):
    """The owner's call (issue 19): readers arrive on one section from a message or a QR code, so a
    fresh load that lands there soon beats page-to-page transitions. Both features made Material's
    start-up restyle and lay out the whole page again on a phone. Instant navigation would also run the
    next page's body scripts under the first page's Content-Security-Policy, which allows only its own
    (backpain_site/features/csp): turning it back on needs a cross-page check of body scripts there."""
    import json

    for url in PROMISED:
        config = json.loads(site.page(url).select_one("script#__config").string)
        assert not {"navigation.instant", "navigation.instant.prefetch", "toc.follow"} & set(config["features"]), url


def test_the_colour_scheme_options_are_ones_the_header_switch_handles():
    """The switch runs from overrides/partials/javascripts/palette.html (issue 19), not Material's
    component. It chooses among options by their `media` query (light or dark) and does not carry
    Material's automatic mode (`media: "(prefers-color-scheme)"`, which follows the system live): an
    option that needs it must be handled there first, or Material's component put back."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    palette = config["theme"]["palette"]
    assert isinstance(palette, list) and len(palette) >= 2
    medias = [option.get("media") for option in palette]
    assert all(m in ("(prefers-color-scheme: light)", "(prefers-color-scheme: dark)") for m in medias), medias
    assert all(option.get("toggle") for option in palette), "each option needs its toggle (icon and name)"
