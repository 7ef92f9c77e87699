"""How long the editor waits: build time with small and huge libraries, and serve rebuilds.

    .venv/bin/python bench/references.py [--runs 5]

Each build is a fresh `mkdocs build` process on a fresh copy of the project (cold: no .cache, no
state from an earlier run). Variants, all building the same pages:
  a  the site as it is (references.bib, 27 entries)
  b  the site's entries plus a real group library (tests/fixtures/real-world/iridia-group.bib: 3,305
     entries, 1,716 @string macros, crossref parents), and plus 10,000 realistic synthetic entries
     (key shapes of DBLP, Google Scholar, biblatex and exports; BibLaTeX fields and types; LaTeX
     accents; crossref children and parents; DOIs written as links)
  c  citation processing switched off (no mkdocs-bibtex, no citations feature; [@key] stays text)
  d  10,000 simple entries through mkdocs-bibtex alone (the pipeline's citations feature removed), once
Then `make check` (`python -m backpain_site.features.citations check`) on a and on the 10,000-entry library, and
`mkdocs serve`: the time from saving references.bib to the served page showing the change.
Prints medians and the ratios b/a and a/c. Not a test: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The serve timing is the build benchmark's: one way to time it, so the two scripts' figures compare.
from build import serve_rebuilds

ROOT = Path(__file__).resolve().parent.parent
COPY = ["data", "docs", "backpain_site", "includes", "overrides", "mkdocs.yml", "references.bib"]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/")

WORDS = (
    "running pain spine disc lumbar trial cohort review adults load exercise walking "
    "imaging outcome disability recovery training injury athletes prevalence"
).split()


def synthetic_entry(i: int, rng: random.Random) -> str:
    """A journal article as a reference manager exports it: 6 authors, keywords, a short abstract."""
    authors = " and ".join(f"Author{i}x{j}, {chr(65 + j)}. {chr(66 + j)}." for j in range(6))
    title = " ".join(rng.choice(WORDS) for _ in range(12)).capitalize()
    abstract = " ".join(rng.choice(WORDS) for _ in range(60))
    return (
        f"@article{{synthetic{i:05d}entry,\n  author = {{{authors}}},\n  title = {{{title}}},\n"
        f"  journal = {{Journal of {rng.choice(WORDS).capitalize()} Research}},\n  year = {{{1990 + i % 35}}},\n"
        f"  volume = {{{i % 60}}},\n  pages = {{{i % 900}--{i % 900 + 12}}},\n"
        f"  doi = {{10.9999/synthetic.{i}}},\n  keywords = {{{', '.join(rng.sample(WORDS, 4))}}},\n"
        f"  abstract = {{{abstract}}},\n}}\n"
    )


SURNAMES = [
    r"M{\"u}ller",
    r"Aks{\i}n",
    r"Fran\c{c}ois",
    r"Garc{\'\i}a",
    "O'Hara",
    r"Stra{\ss}e",
    r"N{\o}rgaard",
    "Smith",
    "van der Berg",
    r"Dvo{\v{r}}{\'a}k",
    "Nguyen",
    "{World Health Organization}",
]


def realistic_entry(i: int, rng: random.Random) -> str:
    """One entry as real exports write them: varied key shapes, types and BibLaTeX fields."""
    surname = SURNAMES[i % len(SURNAMES)]
    plain = re.sub(r"[^A-Za-z]", "", surname.split()[-1])[:8] or "anon"
    key = [
        f"{plain}{1990 + i % 35}{rng.choice(WORDS)}{i}",
        f"{plain.lower()}:{1990 + i % 35}:{i}",
        f"DBLP:journals/corr/abs-{2000 + i % 25}-{i:05d}",
        f"{plain.lower()}.{rng.choice(WORDS)}_{i}",
        f"{plain}_{i}+{i % 7}",
        f"{plain}{i}",
    ][i % 6]
    authors = " and ".join(
        [f"{surname}, {chr(65 + j)}. {chr(75 + j)}." for j in range(1 + i % 5)] + (["others"] if i % 11 == 0 else [])
    )
    title = " ".join(rng.choice(WORDS) for _ in range(10)).capitalize()
    kind = i % 10
    if kind == 9:  # a parent after its children, as BibTeX wants it
        return (
            f"@collection{{parent{i // 10},\n  editor = {{{authors}}},\n  title = {{Collected {title}}},\n"
            f"  date = {{{1990 + i % 35}}},\n  publisher = {{Springer}},\n  location = {{Berlin}},\n}}\n"
        )
    if kind in (7, 8):
        return (
            f"@incollection{{{key},\n  author = {{{authors}}},\n  title = {{{title}}},\n"
            f"  pages = {{{i % 300}--{i % 300 + 9}}},\n  crossref = {{parent{i // 10}}},\n}}\n"
        )
    fields = {
        0: (
            "article",
            f"  journaltitle = {{Journal of {rng.choice(WORDS).capitalize()} Research}},\n"
            f"  volume = {{{i % 60}}},\n  number = {{{i % 12}}},\n  pages = {{{i % 900}--{i % 900 + 12}}},\n"
            f"  doi = {{https://doi.org/10.9999/real.{i}}},\n",
        ),
        1: (
            "article",
            f"  journal = {{Spine}},\n  volume = {{{i % 60}}},\n  pages = {{e{i}}},\n"
            f"  doi = {{10.9999/real.{i}.}},\n  pmid = {{{30000000 + i}}},\n",
        ),
        2: (
            "online",
            f"  url = {{https://example.org/page/{i}?a=1&b=2}},\n  urldate = {{2024-0{1 + i % 9}-1{i % 9}}},\n"
            f"  organization = {{NHS}},\n",
        ),
        3: (
            "report",
            f"  institution = {{World Health Organization}},\n  type = {{techreport}},\n  number = {{WHO-{i}}},\n",
        ),
        4: ("thesis", "  institution = {Universit{\\'e} Libre de Bruxelles},\n  type = {phdthesis},\n"),
        5: ("misc", f"  eprint = {{{2000 + i % 25}.{i:05d}}},\n  eprinttype = {{arxiv}},\n"),
        6: (
            "book",
            f"  publisher = {{Addison-Wesley}},\n  location = {{Reading, Mass.}},\n  edition = {{{1 + i % 4}}},\n",
        ),
    }[kind]
    abstract = " ".join(rng.choice(WORDS) for _ in range(60))
    return (
        f"@{fields[0]}{{{key},\n  author = {{{authors}}},\n  title = {{{title} -- the {{MRI}} \\emph{{view}}}},\n"
        f"  subtitle = {{A study}},\n  date = {{{1990 + i % 35}-{1 + i % 12:02d}}},\n{fields[1]}"
        f"  keywords = {{{', '.join(rng.sample(WORDS, 4))}}},\n  abstract = {{{abstract}}},\n"
        f"  file = {{:C\\:/Users/editor/Zotero/storage/{i}.pdf:PDF}},\n}}\n"
    )


def realistic_library(size: int) -> str:
    """`size` entries: the site's own references plus realistic synthetic ones."""
    own = (ROOT / "references.bib").read_text(encoding="utf-8")
    own_count = len(re.findall(r"^@\w+\s*\{", own, re.M))
    rng = random.Random(size)
    return own + "\n" + "".join(realistic_entry(i, rng) for i in range(size - own_count))


def real_library() -> str:
    """The site's own references plus the 3,305-entry IRIDIA group library (CC0)."""
    own = (ROOT / "references.bib").read_text(encoding="utf-8")
    real = ROOT / "tests" / "fixtures" / "real-world" / "iridia-group.bib"
    return own + "\n" + real.read_text(encoding="utf-8")


def library(size: int) -> str:
    """`size` entries: the site's own references plus synthetic ones."""
    own = (ROOT / "references.bib").read_text(encoding="utf-8")
    own_count = len(re.findall(r"^@\w+\s*\{", own, re.M))
    rng = random.Random(size)
    return own + "\n" + "".join(synthetic_entry(i, rng) for i in range(size - own_count))


def without_citations_feature(dest: Path, config: str) -> str:
    """mkdocs.yml running every feature of the pipeline but citations (backpain_site/kernel/pipeline.py), and the
    References page without its <!-- bibliography --> (a shortcode of that feature)."""
    sys.path.insert(0, str(ROOT))
    from backpain_site.feature_list import FEATURES

    names = ", ".join(cls.name for cls in FEATURES if cls.name != "citations")
    references = dest / "docs" / "references.md"
    references.write_text(references.read_text(encoding="utf-8").replace("<!-- bibliography -->", ""), encoding="utf-8")
    return config.replace("\nextra:\n", f"\nextra:\n  features: [{names}]\n", 1)


def project(dest: Path, bib: str | None = None, citations_off: bool = False, layer_off: bool = False) -> Path:
    dest.mkdir(parents=True)
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    if bib is not None:
        (dest / "references.bib").write_text(bib, encoding="utf-8")
    config = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    if citations_off:
        config = re.sub(r"\n  - bibtex:\n(?:      .*\n)+", "\n", config)
        config = without_citations_feature(dest, config)
    if layer_off:
        config = without_citations_feature(dest, config)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


CPU: dict[str, list[float]] = {}  # CPU seconds of each timed child, by folder (robust on a busy machine)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(folder: Path) -> float:
    shutil.rmtree(folder / ".cache", ignore_errors=True)
    shutil.rmtree(folder / "site", ignore_errors=True)
    start, cpu = time.perf_counter(), _cpu()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=folder, env=ENV, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    CPU.setdefault(f"build {folder.name}", []).append(_cpu() - cpu)
    if result.returncode:
        sys.exit(f"build failed in {folder}:\n{result.stdout}{result.stderr}")
    return elapsed


def timed_check(folder: Path) -> float:
    """`make check`: python -m backpain_site.features.citations check, as the editor runs it."""
    start, cpu = time.perf_counter(), _cpu()
    result = subprocess.run(
        [sys.executable, "-m", "backpain_site.features.citations", "check"],
        cwd=folder,
        env=ENV,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    CPU.setdefault(f"check {folder.name}", []).append(_cpu() - cpu)
    if result.returncode:
        sys.exit(f"check failed in {folder}:\n{result.stdout}{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-references-"))
    try:
        variants = {
            "a  references.bib as is (27 entries)": project(work / "a"),
            "b  + real group library (3,332 entries)": project(work / "breal", real_library()),
            "b  10,000-entry realistic library": project(work / "b10k", realistic_library(10000)),
            "c  citation processing off": project(work / "c", citations_off=True),
        }
        plugin_alone = project(work / "d", library(10000), layer_off=True)
        size = (work / "b10k" / "references.bib").stat().st_size
        print(f"Cold `mkdocs build` wall time, median of {args.runs} runs (10,000-entry file: {size / 1e6:.1f} MB)")
        medians = {}
        for _ in range(args.runs):  # interleaved, so drift in machine load hits every variant alike
            for name, folder in variants.items():
                medians.setdefault(name, []).append(timed_build(folder))
        for (name, times), folder in zip(medians.items(), variants.values()):
            medians[name] = statistics.median(times)
            cpu = statistics.median(CPU[f"build {folder.name}"])
            print(f"  {name:42} {medians[name]:6.2f} s  (CPU {cpu:5.2f} s)")
        cpu_a = statistics.median(CPU["build a"])
        print(
            f"  CPU ratios b/a: real library {statistics.median(CPU['build breal']) / cpu_a:.2f}, "
            f"10,000 entries {statistics.median(CPU['build b10k']) / cpu_a:.2f}"
        )
        a = medians["a  references.bib as is (27 entries)"]
        c = medians["c  citation processing off"]
        print(
            f"  ratio b/a, real library:   {medians['b  + real group library (3,332 entries)'] / a:.2f}  (target <= 1.5)"
        )
        print(f"  ratio b/a, 10,000 entries: {medians['b  10,000-entry realistic library'] / a:.2f}  (target <= 1.5)")
        print(f"  ratio a/c:                 {a / c:.2f}  (target <= 1.25)")
        d = timed_build(plugin_alone)  # once: it is slow, and only here for comparison
        print(f"  d  10,000 entries, mkdocs-bibtex alone (1 run) {d:6.2f} s = {d / a:.1f} x a")
        checks = {name: [] for name in ("a", "b10k")}
        for _ in range(args.runs):
            checks["a"].append(timed_check(work / "a"))
            checks["b10k"].append(timed_check(work / "b10k"))
        ca, cb = statistics.median(checks["a"]), statistics.median(checks["b10k"])
        print(
            f"`make check`, median of {args.runs}: own file {ca:.2f} s, 10,000-entry realistic library {cb:.2f} s, "
            f"ratio {cb / ca:.2f} (target <= 1.5); CPU {statistics.median(CPU['check a']):.2f} s and "
            f"{statistics.median(CPU['check b10k']):.2f} s, ratio "
            f"{statistics.median(CPU['check b10k']) / statistics.median(CPU['check a']):.2f}"
        )
        rebuilds = serve_rebuilds(variants["a  references.bib as is (27 entries)"], args.runs)
        print(
            f"`mkdocs serve`: save references.bib -> served page changed, median of {len(rebuilds)}: "
            f"{statistics.median(rebuilds):.2f} s (min {min(rebuilds):.2f}, max {max(rebuilds):.2f}; target < 1 s)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
