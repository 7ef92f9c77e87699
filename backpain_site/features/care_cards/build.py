"""The care-cards feature: the cards read once per build from includes/help-box.md, shown in full where
When to get help places them and short at the end of every other page (backpain_site/features/care_cards/__init__.py)."""

from __future__ import annotations

from backpain_site.kernel import BuildError
from backpain_site.kernel.front_matter import located
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.roles import role_of

from . import SNIPPET, CardError, append_help_box, full_card, parse_cards, short_cards, sign_text, wants_help_box


class CareCards:
    name = "care-cards"

    def __init__(self):
        self.cards = {}
        self.placed: set[str] = set()  # levels placed in full on the page being built
        self.shortcodes = {"care-card": self.full, "care-sign": self.sign}

    def config(self, build):
        path = build.root / SNIPPET
        try:
            text = build.project.snippet(SNIPPET)
        except OSError as error:
            raise BuildError(f"{path}: cannot read the care-card snippet: {error.strerror}") from None
        try:
            self.cards = parse_cards(text)
        except CardError as error:
            raise BuildError(str(Problem(SNIPPET.as_posix(), error.line, str(error)))) from None

    def full(self, call) -> str:
        return full_card(self.cards, self.placed)(call)

    def sign(self, call) -> str:
        return sign_text(self.cards)(call)

    def markdown(self, build, page, markdown: str) -> str:
        placed, self.placed = self.placed, set()
        try:
            wanted = wants_help_box(page.file.src_uri, page.meta)
        except ValueError as error:
            source = build.project.pages.get(page.file.src_uri)
            message = (
                source.located("help_box", str(error))
                if source is not None
                else located(page.file.abs_src_path, "help_box", str(error), base=build.root)
            )
            raise BuildError(message) from None
        if role_of(page.file.src_uri).full_cards and placed != set(self.cards):
            missing = [level for level in self.cards if level not in placed]
            raise BuildError(
                str(
                    Problem(
                        build.where(page),
                        1,
                        "the When to get help page shows every care card in full: "
                        + ", ".join(f"add <!-- care-card: {level} -->" for level in missing),
                    )
                )
            )
        if wanted and not placed:
            return append_help_box(markdown, short_cards(self.cards))
        return markdown
