"""The same pages built two simpler ways, for side-by-side benchmarks (not a test).

  m  MkDocs + Material alone: the real pages, nav, theme settings and Markdown extensions, but no
     plugin except search, no hook, no extra CSS or JavaScript, no template overrides.
  p  MkDocs + Material + mkdocs-bibtex alone: m plus the bibtex plugin reading references.bib as
     the site configures it (its footnotes, Material's footnote tooltips), nothing of the project's.

Markers the hooks would expand (care cards, tables, charts, share cards) stay HTML comments, and
[@key] stays text in m: the pages are the same Markdown, each generator does what it does alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


class _Loader(yaml.SafeLoader):
    pass


# mkdocs.yml uses !ENV [NAME, default]: keep the default (the benchmarks set site_url themselves).
_Loader.add_constructor(
    "!ENV", lambda loader, node: loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None
)


def site_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


def plain_config(with_bibtex: bool) -> dict:
    real = site_config()
    theme = {k: v for k, v in real["theme"].items() if k != "custom_dir"}
    features = [f for f in theme.get("features", []) if f != "content.footnote.tooltips"]
    if with_bibtex:
        features.append("content.footnote.tooltips")  # what a plain mkdocs-bibtex site would turn on
    theme["features"] = features
    plugins: list = ["search"]
    if with_bibtex:
        bibtex = next(p["bibtex"] for p in real["plugins"] if isinstance(p, dict) and "bibtex" in p)
        plugins.append({"bibtex": bibtex})
    return {
        "site_name": real["site_name"],
        "site_url": real.get("site_url") or "http://127.0.0.1:8000/",
        "theme": theme,
        "nav": real["nav"],
        "markdown_extensions": real["markdown_extensions"],
        "plugins": plugins,
    }


def plain_project(dest: Path, with_bibtex: bool = False) -> Path:
    """A folder holding the real docs/ (and references.bib) with a plain Material config."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        ROOT / "docs", dest / "docs", dirs_exist_ok=True, ignore=shutil.ignore_patterns("assets")
    )  # the project's own CSS and JS
    shutil.copy(ROOT / "references.bib", dest / "references.bib")
    text = yaml.safe_dump(plain_config(with_bibtex), sort_keys=False, allow_unicode=True)
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    return dest


REAL_COPY = [
    "data",
    "docs",
    "backpain_site",
    "includes",
    "overrides",
    "mkdocs.yml",
    "references.bib",
    "citations",
    "studies",
    "published_links",
]


def real_project(dest: Path) -> Path:
    """A copy of the project as it is (no .cache: a cold build)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in REAL_COPY:
        src = ROOT / name
        if not src.exists():
            continue
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest / name)
    return dest
