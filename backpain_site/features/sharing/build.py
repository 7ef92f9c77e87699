"""The sharing features: a "Copy link" button on every section of a content page (SectionLinks), and the
Share page's cards and the generated handouts (ShareKit). Logic in backpain_site/features/sharing/sections.py, kit.py, links.py."""

from __future__ import annotations

from mkdocs.structure.files import File, InclusionLevel

from backpain_site.features.care_cards import SNIPPET as CARD_SNIPPET
from backpain_site.features.care_cards import CardError, parse_cards, placed_headings
from backpain_site.features.trust.stamps import ReviewStamps
from backpain_site.features.trust.stamps import stamp as review_stamp
from backpain_site.kernel import BuildError, front_matter
from backpain_site.kernel.headings import find as find_headings
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.roles import SHARE_FOLDER, is_content_page
from backpain_site.kernel.shortcodes import ShortcodeProblem

from .kit import QrCodes, handout_markdown, handout_src, share_page_problems
from .links import add_copy_buttons
from .sections import SUMMARIES, Section, h2_sections, match_summaries, page_url, parse_summaries, section_url


class SectionLinks:
    name = "section-links"

    def __init__(self):
        self.template = None

    def headed_tree(self, build, page, root, md) -> None:
        if not is_content_page(page.file.src_uri):
            return
        if self.template is None:
            self.template = build.config.theme.get_env().get_template("partials/section-link.html")
        add_copy_buttons(
            root, build.config["site_url"], page.url, lambda **data: self.template.render(**data).strip(), md
        )


class ShareKit:
    name = "share-kit"

    def __init__(self):
        self.card_titles: dict[str, str] = {}
        self.summaries_text = ""
        self.pages: dict[str, dict] = {}
        self.summaries: dict = {}
        self.handout_of: dict[str, str] = {}
        self.share_page = None
        self.qr = None
        self.build = None
        self.jinja = None
        self.slots: dict[str, tuple] = {}  # a paragraph's text -> what the tree step draws there
        self.shortcodes = {"share:sections": self.sections_cards, "share:handout": self.handout}

    def config(self, build):
        cards = build.feature("care-cards")
        if cards is not None:
            self.card_titles = {level: card.title for level, card in cards.cards.items()}
        else:
            try:
                cards = parse_cards(build.project.snippet(CARD_SNIPPET))
                self.card_titles = {level: card.title for level, card in cards.items()}
            except (OSError, CardError):
                self.card_titles = {}
        if not build.config.get("site_url"):
            raise BuildError("mkdocs.yml: site_url is not set: copy links and QR codes need the site's public address")
        try:
            self.summaries_text = build.project.data_text(SUMMARIES)
        except OSError as error:
            raise BuildError(f"{SUMMARIES}: cannot read the share summaries: {error.strerror}") from None
        self.qr = build.session.cache(f"qr {build.root}", lambda: QrCodes(build.root))
        self.build = build

    # --- shortcodes: a slot in the Markdown, drawn as raw HTML in the page's tree ------------------
    # The cards (about 70 inline SVG QR codes on the Share page) never pass through the citation
    # scan, mkdocs-bibtex or Markdown: the shortcode leaves a one-word paragraph, the tree step puts
    # the HTML in its place.
    def _target(self, call) -> str:
        if not call.page.startswith(SHARE_FOLDER):
            raise ShortcodeProblem(f"<!-- {call.name} --> belongs on the Share page (docs/{SHARE_FOLDER}index.md)")
        if call.arg not in self.pages:
            raise ShortcodeProblem(f'"{call.arg}" is not a content page under docs/')
        if self.jinja is None:
            self.jinja = self.build.config.theme.get_env()
        return call.arg

    def sections_cards(self, call) -> str:
        """`<!-- share:sections page.md -->`: a card per section of that page (checked in files())."""
        return self._slot("cards", self._target(call))

    def handout(self, call) -> str:
        """`<!-- share:handout page.md -->` (only in the generated handouts): the page's handout."""
        return self._slot("handout", self._target(call))

    def _slot(self, kind: str, src_uri: str) -> str:
        token = f"share-slot-{len(self.slots) + 1}"
        self.slots[token] = (kind, src_uri)
        return f"\n{token}\n"

    def cited_tree(self, build, page, root, md) -> None:
        if not self.slots:
            return
        for paragraph in root.iter("p"):
            slot = self.slots.get(paragraph.text) if not len(paragraph) else None
            if slot is not None:
                kind, src_uri = slot
                draw = self._cards if kind == "cards" else self._handout
                paragraph.text = md.htmlStash.store(
                    draw(build, page, src_uri, self.jinja)
                )  # <p>placeholder</p>: a block

    def files(self, build, files):
        config = build.config
        content = [f for f in files.documentation_pages() if is_content_page(f.src_uri)]
        content_pages = [f.src_uri for f in content]
        sections: list[Section] = []
        problems: list[Problem] = []
        pages: dict[str, dict] = {}
        stamps = build.get(ReviewStamps)
        for file in content:
            read = build.project.pages.get(file.src_uri) if file.abs_src_path is not None else None
            source = read.text if read is not None else file.content_string  # read once, at the start of the build
            front = read.front_matter if read is not None else front_matter.read(source)
            meta = front.fields
            for field in ("title", "description"):
                if not isinstance(meta.get(field), str) or not meta[field].strip():
                    problems.append(
                        Problem.front_matter(
                            f"docs/{file.src_uri}", front.line(field), field, "needed for the page's printable handout"
                        )
                    )
            if read is not None:
                headings = read.headings  # found once, by the project index
            else:
                headings = find_headings(front_matter.blanked(source), build.project.slugs)
            cards = placed_headings(front_matter.blanked(source), self.card_titles)
            found, bad = h2_sections(file.src_uri, sorted([*headings, *cards], key=lambda h: h.line))
            sections += found
            problems += bad
            pages[file.src_uri] = {
                "file": file,
                "title": meta.get("title"),
                "description": meta.get("description"),
                "sections": found,
                "review": stamps.stamp_for(meta, file.src_uri) if stamps else review_stamp(meta),
            }
        summaries, bad = parse_summaries(self.summaries_text)
        problems += bad
        matched, bad = match_summaries(sections, summaries, content_pages)
        problems += bad
        from backpain_site.kernel.roles import SHARE_PAGE

        share_page = files.get_file_from_path(SHARE_PAGE)
        if share_page is not None:
            read = build.project.pages.get(SHARE_PAGE) if share_page.abs_src_path is not None else None
            _, bad = share_page_problems(read.text if read is not None else share_page.content_string, content_pages)
            problems += bad
        handouts = {}
        for src_uri in content_pages:
            target = handout_src(src_uri)
            if files.get_file_from_path(target) is not None or target in handouts.values():
                problems.append(
                    Problem(f"docs/{src_uri}", 1, f"its handout would be docs/{target}, which already exists")
                )
            handouts[src_uri] = target
        if problems:
            raise BuildError("The share kit cannot be built:\n" + "\n".join(map(str, problems)))
        for src_uri, target in handouts.items():
            page = pages[src_uri]
            handout = File.generated(
                config,
                target,
                content=handout_markdown(src_uri, page["title"], page["description"]),
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
            files.append(handout)
            page["handout"] = handout
        self.pages, self.summaries, self.share_page = pages, matched, share_page
        self.handout_of = {target: src for src, target in handouts.items()}
        return files

    def _cards(self, build, page, src_uri: str, env) -> str:
        info = self.pages[src_uri]
        site_url = build.config["site_url"]
        cards = [
            {
                "heading": section.heading,
                "summary": self.summaries[(src_uri, section.id)],
                "url": section_url(site_url, info["file"].url, section.id),
                "href": f"{info['file'].url_relative_to(page.file)}#{section.id}",
                "qr": self.qr.svg(section_url(site_url, info["file"].url, section.id)),
            }
            for section in info["sections"]
        ]
        return env.get_template("partials/share-cards.html").render(
            cards=cards, title=info["title"], handout_href=info["handout"].url_relative_to(page.file)
        )

    def _handout(self, build, page, src_uri: str, env) -> str:
        info = self.pages[src_uri]
        url = page_url(build.config["site_url"], info["file"].url)
        sections = [{"heading": s.heading, "summary": self.summaries[(src_uri, s.id)]} for s in info["sections"]]
        share = self.share_page.url_relative_to(page.file) if self.share_page else None
        return env.get_template("partials/share-handout.html").render(
            title=info["title"],
            description=info["description"],
            url=url,
            qr=self.qr.svg(url),
            sections=sections,
            href=info["file"].url_relative_to(page.file),
            share_href=share,
            site_name=build.config["site_name"],
            review_stamp=info["review"],
        )

    def context(self, build, page, context):
        """A handout's "Read this page online" (overrides/partials/content.html) gives the address of the
        page it hands out, not the handout's own: the reader wants the page."""
        src_uri = self.handout_of.get(page.file.src_uri)
        if src_uri is not None:
            context["online_url"] = page_url(build.config["site_url"], self.pages[src_uri]["file"].url)
