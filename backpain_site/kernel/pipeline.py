"""The frame every build runs in. The MkDocs hook (backpain_site/hook.py) hands every event here, with
the ordered feature list (backpain_site/feature_list.py); nothing else is registered.

Each feature is a class in its own package with any of these methods, all optional; the pipeline calls
them feature by feature, in the order of the feature list, inside a fixed frame:

    config(build)                          read and check data files (before any page), from
                                           build.project (backpain_site/kernel/project.py): every
                                           page, snippet and data file, read once per build
    files(build, files) -> files           add generated pages, check paths
    shortcodes -> {name: handler}          markers the feature answers (backpain_site/kernel/shortcodes.py)
    markdown(build, page, md) -> md        after the shortcodes, before mkdocs-bibtex
    hand_over(build, page, md) -> md       last before mkdocs-bibtex (the citations feature only)
    take_back(build, page, html) -> html   first after Python-Markdown (the citations feature only)
    cited_markdown(build, page, md) -> md  after mkdocs-bibtex has turned [@key] into footnotes
    cited_tree(build, page, root, md)      the page's element tree, inside Python-Markdown, once the
    headed_tree(build, page, root, md)     citations are footnotes / once headings have ids /
    finished_tree(build, page, root, md)   once MkDocs has rewritten links (backpain_site/kernel/tree.py)
    content(build, page, html) -> html     after Python-Markdown (only what must see the final HTML)
    context(build, page, context)          template variables
    env(build)                             after every page's content: problems found across pages
    post_build(build)                      extra files

The frame:
    config:    staging (a failed build never damages the last site), template cache, then features;
               all before mkdocs-bibtex's own on_config, which then has nothing left to read
    config:    also adds the PageTree extension, so the tree steps run inside each page's rendering
    markdown:  shortcodes, features, then the hand-over to mkdocs-bibtex (the citations feature's hand_over)
    content:   take_back from mkdocs-bibtex, then features
    post_build: features, then the staged site is swapped in (last of all)

State: a `Build` is made at every config event (every build, and every `mkdocs serve` rebuild) and
owns the features' instances; a `Session` lives as long as the MkDocs process and keeps only caches
that cannot change output (templates, QR codes, reading scores, the parsed bibliography of an
unchanged file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from backpain_site.kernel import BuildError, shortcodes, staging, templates
from backpain_site.kernel.front_matter import front_matter_lines
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.project import Project
from backpain_site.kernel.roles import role_of
from backpain_site.kernel.tree import PageTree

if TYPE_CHECKING:  # for the type checker only: nothing more is imported when the site builds
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


class Feature(Protocol):
    """What the pipeline needs of a feature class: its name (mkdocs.yml `extra.features`, `Build.feature`);
    its steps are looked up by name (`Build.each`)."""

    name: str


@dataclass
class Session:
    """One per MkDocs process: caches that are keyed by their input, so they never change output."""

    command: str | None = None
    dirty: bool = False
    caches: dict[str, Any] = field(default_factory=dict)

    def cache(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self.caches:
            self.caches[name] = make()
        return self.caches[name]


class Build:
    """One build: the MkDocs config, the project folder, and a fresh instance of each feature."""

    def __init__(self, config: MkDocsConfig, session: Session, features: tuple[type[Feature], ...]):
        self.config = config
        self.session = session
        self.root = Path(config.config_file_path).resolve().parent
        self.docs = Path(config.docs_dir)
        # Every page, snippet and data file, read once (heading ids made with the site's toc settings).
        self.project = Project(self.root, self.docs, (config.mdx_configs or {}).get("toc"))
        self.files: Files | None = None
        self.page: Page | None = None  # the page being built (its Markdown events, then its rendering)
        self.features = [cls() for cls in features]
        self.by_type: dict[type, Feature] = {type(f): f for f in self.features}
        self.handlers: dict[str, shortcodes.Handler] = {}
        for feature in self.features:
            self.handlers.update(getattr(feature, "shortcodes", {}))

    def get(self, cls: type) -> Any:
        """The running instance of a feature, or None when this project does not run it."""
        return self.by_type.get(cls)

    def feature(self, name: str) -> Any:
        """The running instance of the feature called `name` ("care-cards"), or None when this project
        does not run it: a feature asks for another by name, without importing its internals."""
        return next((f for f in self.features if getattr(f, "name", None) == name), None)

    def watch(self, path: Path | str) -> None:
        """`mkdocs serve` rebuilds when this file or folder changes."""
        if str(path) not in self.config.watch:
            self.config.watch.append(str(path))

    def where(self, page: Page, line: int | None = None) -> str:
        """'docs/x.md:12' for a line of a page's Markdown (front matter counted), or 'docs/x.md'."""
        shown = f"{Path(self.config.docs_dir).name}/{page.file.src_uri}"
        if line is None:
            return shown
        return f"{shown}:{line + front_matter_offset(page, self.project)}"

    def each(self, method: str) -> Iterator[Callable[..., Any]]:
        """Each feature's step for one event, in FEATURES order (looked up on the class, so an
        instance attribute of the same name can never stand in for the step)."""
        for feature in self.features:
            handler = getattr(type(feature), method, None)
            if handler is not None:
                yield handler.__get__(feature)


def front_matter_offset(page: Page, project: Project | None = None) -> int:
    """Lines MkDocs removed from the top of the page (front matter and the blank lines after it)."""
    if page.file.abs_src_path is None:
        return front_matter_lines(page.file.content_string) if page.file.generated_by else 0
    source = project.pages.get(page.file.src_uri) if project is not None else None
    if source is not None and source.problem is None:
        return source.front_matter.stripped
    try:
        return front_matter_lines(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    except OSError:
        return 0


def chosen_features(config: MkDocsConfig, features: tuple[type[Feature], ...]) -> tuple[type[Feature], ...]:
    """`features`, or the subset named in mkdocs.yml `extra.features` (small test projects), in their order."""
    extra: Mapping[str, Any] = config.extra or {}
    names = extra.get("features")
    if names is None:
        return features
    by_name = {cls.name: cls for cls in features}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise BuildError(
            f"mkdocs.yml: extra.features: unknown feature {unknown[0]!r}; the features are " + ", ".join(by_name)
        )
    return tuple(cls for cls in features if cls.name in names)


class Pipeline:
    """The one object the MkDocs hook (backpain_site/hook.py) talks to, running the features it is given
    (backpain_site/feature_list.py: the kernel imports no feature)."""

    def __init__(self, features: tuple[type[Feature], ...]) -> None:
        self.features = features
        self.session = Session()
        self.build: Build | None = None  # made by config(), the first event of every build
        self.staging: staging.Staged | None = None

    def current(self) -> Build:
        """The build under way (MkDocs sends every other event after config())."""
        if self.build is None:
            raise BuildError("the build pipeline received a page event before MkDocs' config event")
        return self.build

    # --- the frame ------------------------------------------------------------------------------
    def startup(self, command: str, dirty: bool) -> None:
        self.session.command, self.session.dirty = command, dirty

    def config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.staging = staging.begin(self.session, config, self.staging)
        templates.use_cache(config, self.session)
        self.build = build = Build(config, self.session, chosen_features(config, self.features))
        for step in build.each("config"):
            step(build)
        config.markdown_extensions.append(PageTree(build))
        return config

    def files(self, files: Files) -> Files:
        build = self.current()
        build.files = files
        for step in build.each("files"):
            files = step(build, files) or files
        return files

    def page_source(self, page: Page) -> str | None:
        """The page's text from the project index (MkDocs then reads nothing itself)."""
        return self.current().project.page_text(page)

    def markdown(self, markdown: str, page: Page) -> str:
        build = self.current()
        build.page = page
        markdown, problems, present = shortcodes.expand(
            markdown, build.handlers, page.file.src_uri, build.where(page), front_matter_offset(page, build.project)
        )
        if problems:
            raise BuildError("\n".join(map(str, problems)))
        role = role_of(page.file.src_uri)
        missing = [name for name in role.requires if name in build.handlers and name not in present]
        if missing:
            raise BuildError(
                str(
                    Problem(
                        build.where(page),
                        1,
                        f"this page must contain <!-- {missing[0]} -->, or what it is for would be missing",
                    )
                )
            )
        for step in build.each("markdown"):
            markdown = step(build, page, markdown)
        for step in build.each("hand_over"):  # last: the citations feature's hand-over to mkdocs-bibtex
            markdown = step(build, page, markdown)
        return markdown

    def cited_markdown(self, markdown: str, page: Page) -> str:
        build = self.current()
        for step in build.each("cited_markdown"):
            markdown = step(build, page, markdown)
        return markdown

    def content(self, html: str, page: Page) -> str:
        build = self.current()
        build.page = None
        for step in build.each("take_back"):  # first: the citations feature's hand-back from mkdocs-bibtex
            html = step(build, page, html)
        for step in build.each("content"):
            html = step(build, page, html)
        return html

    def context(self, context: dict[str, Any], page: Page) -> dict[str, Any]:
        build = self.current()
        for step in build.each("context"):
            step(build, page, context)
        return context

    def env(self, env: Environment) -> Environment:
        build = self.current()
        templates.attach(env, build.root, self.session)
        for step in build.each("env"):
            step(build)
        return env

    def post_build(self, config: MkDocsConfig) -> None:
        build = self.current()
        for step in build.each("post_build"):
            step(build)
        self.staging = staging.finish(self.staging, config)

    def build_error(self) -> None:
        staging.discard(self.staging)
        self.staging = None

    def serve(self, server: LiveReloadServer) -> LiveReloadServer:
        return templates.faster_polling(server)
