"""The renamed-sections feature: old section ids keep resolving (data/renamed-sections.yml).

A clinician's link to `page/#old-id` must still land on the section after its heading was renamed:
the page gets an anchor with the old id inside the new heading (backpain_site/features/published_links/renames.py), in
the page's tree before MkDocs collects its anchors. Every
problem (a bad file, a page that does not exist, an old id that is still a heading) is reported at
once, after every page's content.
"""

from __future__ import annotations

import re

from backpain_site.kernel import BuildError
from backpain_site.kernel.problems import Problem

from .contract import RENAMES_FILE
from .renames import add_old_anchors, parse_renames

RAW_ID = re.compile(r'\sid="([^"]+)"')


class RenamedSections:
    name = "renamed-sections"

    def __init__(self):
        self.renames: dict[str, list] = {}
        self.problems: list[Problem] = []

    def config(self, build):
        renames, problems = [], []
        if build.project.has_data(RENAMES_FILE):
            renames, problems = parse_renames(build.project.data_text(RENAMES_FILE), str(RENAMES_FILE))
        for rename in renames:
            self.renames.setdefault(rename.page, []).append(rename)
        self.problems = problems

    def files(self, build, files):
        for page, renames in self.renames.items():
            if files.get_file_from_path(page) is None:
                self.problems.append(Problem(str(RENAMES_FILE), renames[0].page_line, f"{page}: no such page in docs/"))
        return files

    def headed_tree(self, build, page, root, md) -> None:
        renames = self.renames.get(page.file.src_uri)
        if not renames:
            return
        raw_ids = [i for block in md.htmlStash.rawHtmlBlocks if isinstance(block, str) for i in RAW_ID.findall(block)]
        self.problems.extend(add_old_anchors(root, renames, str(RENAMES_FILE), raw_ids))

    def env(self, build):
        if self.problems:
            raise BuildError("Renamed sections:\n" + "\n".join(map(str, self.problems)))
