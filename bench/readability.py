"""Print each built page's readability scores (not a test): `.venv/bin/python bench/readability.py [site_dir]`.

Builds the site into a temporary folder unless a built site folder is given; --worst N also prints
each page's N hardest sentences.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from backpain_site.features import plain_language as readability  # noqa: E402


def page_source(html_path: Path, site: Path) -> str:
    rel = html_path.parent.relative_to(site).as_posix()
    return (
        "index.md" if rel == "." else (rel + ".md" if (ROOT / "docs" / (rel + ".md")).exists() else rel + "/index.md")
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", nargs="?")
    parser.add_argument("--worst", type=int, default=0)
    args = parser.parse_args()
    if args.site:
        site = Path(args.site)
    else:
        site = Path(tempfile.mkdtemp()) / "site"
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)],
            cwd=ROOT,
            check=True,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        )
    print("| page | sentences | words/sentence | FK grade | SMOG | gate |")
    print("|---|---:|---:|---:|---:|---|")
    for html in sorted(site.rglob("index.html")):
        src = page_source(html, site)
        if not (ROOT / "docs" / src).exists():
            continue
        sents = readability.sentences(html.read_text(encoding="utf-8"))
        s = readability.score(sents)
        gate = (
            "not gated"
            if not readability.is_gated(src)
            else ("FAIL: " + "; ".join(p) if (p := s.problems(readability.gate_for(src))) else "pass")
        )
        print(f"| {src} | {s.sentences} | {s.words_per_sentence:.1f} | {s.fk_grade:.1f} | {s.smog:.1f} | {gate} |")
        for w in readability.worst_sentences(sents, args.worst) if args.worst else []:
            print(f"|   | {w.words} words, {w.syllables} syllables, {w.long_words} long: {w.text} |||||")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
