"""The features this site runs, in the order every build event runs them (the kernel imports none of
them: the MkDocs hook, backpain_site/hook.py, hands this list to the kernel's Pipeline).

A small test project may run a subset: mkdocs.yml `extra.features: [citations, trust]`.
"""

from __future__ import annotations

from backpain_site.features.care_cards.build import CareCards
from backpain_site.features.citations.build import Citations
from backpain_site.features.citations.cite_page import CiteThisPage
from backpain_site.features.claims.build import ClaimsLedger
from backpain_site.features.csp.build import ContentSecurityPolicy
from backpain_site.features.glossary.build import Glossary
from backpain_site.features.lean_assets.build import LeanAssets
from backpain_site.features.plain_language.grade import ReadingLevel
from backpain_site.features.published_links.build import RenamedSections
from backpain_site.features.sharing.build import SectionLinks, ShareKit
from backpain_site.features.studies.build import Studies
from backpain_site.features.trust.build import PageTrust
from backpain_site.features.trust.previews import LinkPreviews
from backpain_site.features.trust.stamps import ReviewStamps
from backpain_site.kernel.pipeline import Feature

# The order every event runs in. Reasons that fix it:
#   Citations first: every later feature may use the bibliography it reads and checks
#   Studies, Claims after Citations: their keys must be in references.bib
#   CareCards before PageTrust: the page ends with the care cards, then "What changed on this page"
#   Citations' tree step (labels) before Studies' (badges)
#   LeanAssets after every feature that writes files: it shrinks the stylesheet and scripts once every
#     file is in the site (it touches no .html)
#   ContentSecurityPolicy last of all: each page's policy hashes the inline scripts of the page's final
#     bytes, so nothing may write a page after it (MkDocs plugins' post_build, e.g. redirects, run before the hook)
# (Tables are labelled for phones by the stacked_tables Markdown extension: it needs no build state.)
FEATURES: tuple[type[Feature], ...] = (
    Citations,
    Studies,
    ClaimsLedger,
    Glossary,
    CareCards,
    RenamedSections,
    ReviewStamps,
    LinkPreviews,
    SectionLinks,
    ShareKit,
    PageTrust,
    CiteThisPage,
    ReadingLevel,
    LeanAssets,
    ContentSecurityPolicy,
)
