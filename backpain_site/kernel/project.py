"""The project read once per build: every Markdown page under docs/, every snippet under includes/ and
every data file under data/, read from disk in one pass when the build starts (the config event,
before any feature) and handed to the features as `build.project`.

    build.project.pages["mechanisms/discs.md"]   a Source: its text, front matter (fields, the line
                                                 of each, the lines MkDocs strips), its headings (level,
                                                 words, id as the built page has it, line:
                                                 backpain_site/kernel/headings.py), how messages name it
    build.project.snippets["includes/help-box.md"]
    build.project.data_text("data/studies.yml")  the text (an unreadable file raises its OSError here)
    build.project.bib_keys, .cited,               handed over by the citations feature (first in the
                  .keys_by_alias                 feature list): every key in the bibliography, where
                                                 the pages cite each key, and each cited key's alias
                                                 (its HTML id: fn:knuth-ct-a) -> its key in the .bib

MkDocs reads each page through the hook's page_read_source event, from here too, so a page is read
from disk once per build (tests/kernel/test_project.py counts). Tools run outside a build (`python -m ...`)
read through the same functions (`read_sources`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backpain_site.kernel import front_matter, headings
from backpain_site.kernel.problems import Problem

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

SNIPPET_DIRS = ("includes",)  # Markdown outside docs/ that the build puts into pages (it may cite)
DATA_DIR = "data"


def shown(path: Path, root: Path) -> str:
    """How messages name a file: relative to the project when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass
class Source:
    """One Markdown file as read from disk."""

    path: Path
    shown: str  # "docs/mechanisms/discs.md": how messages name it
    src_uri: str  # "mechanisms/discs.md": its path under its folder
    text: str  # as written ("" when it could not be read)
    problem: Problem | None = None  # it could not be read, or is not UTF-8
    slugs: headings.Slugs = field(default=headings.DEFAULT, repr=False)  # the site's toc ids
    _front: front_matter.FrontMatter | None = field(default=None, repr=False)
    _headings: list[headings.Heading] | None = field(default=None, repr=False)

    @property
    def front_matter(self) -> front_matter.FrontMatter:
        if self._front is None:
            self._front = front_matter.read(self.text, self.shown)
        return self._front

    @property
    def headings(self) -> list[headings.Heading]:
        """Its headings, in page order, with the ids the built page gives them (found once)."""
        if self._headings is None:
            self._headings = headings.find(self.body, self.slugs)
        return self._headings

    @property
    def body(self) -> str:
        """The text with its front matter blanked out (every line keeps its number)."""
        return front_matter.blanked(self.text)

    def located(self, name: str, problem: str) -> str:
        """'docs/x.md:3: front matter field "help_box": must be true or false'."""
        return str(Problem.front_matter(self.shown, self.front_matter.line(name), name, problem))


def read_source(path: Path, folder: Path, root: Path, slugs: headings.Slugs = headings.DEFAULT) -> Source:
    name = shown(path, root)
    src_uri = path.relative_to(folder).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as err:
        return Source(path, name, src_uri, "", Problem(name, 0, f"cannot be read: {err}"), slugs)
    try:
        return Source(path, name, src_uri, raw.decode("utf-8-sig"), None, slugs)  # as MkDocs reads a page
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problem = Problem(name, line, "the page is not UTF-8 text; save it as UTF-8")
        return Source(path, name, src_uri, "", problem, slugs)


def read_sources(folder: Path, root: Path, slugs: headings.Slugs = headings.DEFAULT) -> list[Source]:
    """Every Markdown file under `folder`, in path order (none when it is not a folder); `slugs`: how
    the site's toc makes heading ids (Python-Markdown's defaults unless given)."""
    if not folder.is_dir():
        return []
    return [read_source(path, folder, root, slugs) for path in sorted(folder.rglob("*.md"))]


class Project:
    def __init__(self, root: Path, docs: Path, toc_config: dict[str, Any] | None = None):
        """`toc_config`: the toc extension's settings (MkDocs' config.mdx_configs["toc"]), so heading
        ids are made with the site's own slugify."""
        self.root, self.docs = root, docs
        self.slugs = headings.Slugs(toc_config) if toc_config else headings.DEFAULT
        self.pages: dict[str, Source] = {s.src_uri: s for s in read_sources(docs, root, self.slugs)}
        self.snippets: dict[str, Source] = {
            s.shown: s for d in SNIPPET_DIRS for s in read_sources(root / d, root, self.slugs)
        }
        self._data: dict[str, str | OSError | UnicodeDecodeError] = {}
        data = root / DATA_DIR
        for path in sorted(data.rglob("*")) if data.is_dir() else []:
            if path.is_file():
                try:
                    self._data[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as err:
                    self._data[path.relative_to(root).as_posix()] = err
        self.bib_keys: set[str] | None = None
        self.cited: dict[str, list[tuple[str, int]]] | None = None
        self.keys_by_alias: dict[str, str] | None = None

    def sources(self) -> list[Source]:
        """Every Markdown file that may cite: the pages, then the snippets."""
        return [*self.pages.values(), *self.snippets.values()]

    def page_names(self) -> set[str]:
        """Every page's path under docs/ ("mechanisms/discs.md")."""
        return set(self.pages)

    def snippet(self, path: str | Path) -> str:
        """A snippet's text ("includes/help-box.md"); raises OSError when it could not be read."""
        source = self.snippets.get(Path(path).as_posix())
        if source is None:
            raise FileNotFoundError(2, "No such file or directory", str(self.root / path))
        if source.problem is not None:
            raise OSError(0, source.problem.message, str(source.path))
        return source.text

    def data_text(self, path: str | Path) -> str:
        """A data file's text ("data/studies.yml"); raises what reading it raised (OSError for a
        missing file, as Path.read_text would)."""
        value = self._data.get(Path(path).as_posix())
        if value is None:
            raise FileNotFoundError(2, "No such file or directory", str(self.root / path))
        if isinstance(value, Exception):
            raise value
        return value

    def data_names(self) -> list[str]:
        """Every data file read ("data/studies.yml"), in path order."""
        return sorted(self._data)

    def has_data(self, path: str | Path) -> bool:
        return Path(path).as_posix() in self._data

    def page_text(self, page: Page) -> str | None:
        """A built page's source for MkDocs (page_read_source): None for a page not read here
        (generated, or unreadable: MkDocs then reads it and reports the problem itself)."""
        if page.file.abs_src_path is None:
            return None
        source = self.pages.get(page.file.src_uri)
        if (
            source is None
            or source.problem is not None
            or source.path.resolve() != Path(page.file.abs_src_path).resolve()
        ):
            return None
        return source.text
