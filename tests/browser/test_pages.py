"""Every page in a real browser, in two sweeps that load each page once for all their checks (a phone:
load, deep link, privacy, axe, fit, no Content-Security-Policy violation; a desktop: load, deep link,
privacy, the policy enforced on every page, search); then search and dark mode."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import yaml
from helpers import (
    BARE_LINKS,
    CELL_FONT_FLOOR,
    EVERY_PAGE,
    MEASURE,
    PAGES,
    ROOT,
    TABLES_READY,
    TITLES,
    WIDTH,
    axe_finish,
    axe_start,
    landing,
    middle_sections,
)
from playwright.sync_api import expect

SITE_NAME = yaml.safe_load(
    re.search(r"^site_name:.*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(0)
)["site_name"]


def foreign_requests(requests: list[str], base_url: str) -> list[str]:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    return sorted({r for r in requests if not r.startswith(origin + "/") and not r.startswith("data:")})


def addresses(site) -> list[tuple[str, str]]:
    """(page, address to open) for every page the build wrote. A page with sections is opened as a
    clinician's link to its middle section (tests/browser/test_links.py), so the same visit shows
    that the section lands below the sticky header."""
    middle = {link.split("#")[0]: link for link in middle_sections(site)}
    assert len(middle) >= 10
    return [(url, middle.get(url, url)) for url in EVERY_PAGE]


def visit(page, url: str, address: str, problems: list[str]) -> bool:
    """Open the address; check the title, heading and, for a deep link, where it lands. False if it
    did not load."""
    name = url or "home"
    response = page.goto(address)
    if not response.ok:
        problems.append(f"{name}: HTTP {response.status}")
        return False
    if url in TITLES:
        expected = SITE_NAME if url == "" else f"{TITLES[url]} - {SITE_NAME}"
        expect(page).to_have_title(expected)
        expect(page.locator(".md-content article h1")).to_have_text(TITLES[url])
    if "#" in address:
        where, problem = landing(page, address.split("#", 1)[1])
        page.scrolled += where["scrolled"] > 0
        if problem:
            problems.append(f"{name}: {problem}")
    return True


def test_every_page_on_a_phone_loads_lands_passes_axe_and_fits_the_screen(site, new_page, base_url):
    """The one full sweep, on a 390 x 844 touch phone in the light scheme (what most readers see):
    every page the build wrote (pages, handouts, the 404 page) loads with its title and heading,
    a deep link to its middle section shows that section below the sticky header, it logs no
    error, asks nothing of another origin (no fonts, scripts or trackers from elsewhere: the site
    works offline and tells no third party who reads it), has no axe-core WCAG 2.0-2.2 A/AA
    violation and no link marked by colour alone, and fits the screen (tests/browser/test_phone.py
    says what that means). Each page is loaded once for all these checks; two phones take the pages
    in turns, so one page's axe run goes on while the other phone loads the next page."""
    phones = [new_page("phone", color_scheme="light") for _ in range(2)]
    requests: list[str] = []
    for phone in phones:
        assert phone.viewport_size["width"] == WIDTH
        phone.scrolled = 0
        phone.context.on("request", lambda request: requests.append(request.url))
    problems: list[str] = []
    todo = addresses(site)
    for pair in (todo[i : i + len(phones)] for i in range(0, len(todo), len(phones))):
        started = []
        for page, (url, address) in zip(phones, pair):
            if visit(page, url, address, problems):
                assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
                axe_start(page)
                started.append((page, url))
        for page, url in started:
            name = url or "home"
            problems += [f"axe: {v}" for v in axe_finish(page)] + page.evaluate(BARE_LINKS)
            page.wait_for_function(TABLES_READY)
            found = page.evaluate(MEASURE, [CELL_FONT_FLOOR, WIDTH])  # opens every <details>: after axe
            if found["innerWidth"] != WIDTH:  # something wider stretched the phone's layout viewport
                problems.append(f"{name} is laid out {found['innerWidth']} px wide, not {WIDTH} px")
            if found["scrollWidth"] > found["innerWidth"]:
                problems.append(f"{name} scrolls sideways ({found['scrollWidth']} px)")
            problems += [f"{name}: past the right edge: {wide}" for wide in found["wide"]]
            problems += [
                f"{name}: table text under {CELL_FONT_FLOOR} px: {cell} is {size} px" for cell, size in found["small"]
            ]
    assert len(requests) > len(EVERY_PAGE), "requests were not recorded"
    problems = (
        [f"request to another origin: {r}" for r in foreign_requests(requests, base_url)]
        + [f"console: {error}" for phone in phones for error in phone.console.errors]
        + [f"Content-Security-Policy: {v}" for phone in phones for v in phone.console.violations]
        + problems
    )
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:40])
    scrolled = sum(phone.scrolled for phone in phones)
    assert scrolled >= len(EVERY_PAGE) // 2, "the deep links did not scroll: nothing was tested"


def test_every_page_on_a_desktop_loads_lands_and_search_asks_nothing_of_another_origin(site, new_page, base_url):
    """Every page on a desktop: its title and heading, a deep link to its middle section below the
    sticky header, no console error, no request elsewhere, no Content-Security-Policy violation and a
    policy that really refuses an inline script added to it; searching loads the search worker and
    index from the site itself, and Enter opens the first result (form-action 'none' blocks nothing). (Requests a page makes late are counted by the phone sweep, which
    stays on each page for its axe run; the same scripts run on both devices.)"""
    page = new_page("desktop")
    page.scrolled = 0
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    problems: list[str] = []
    probed = 0
    for url, address in addresses(site):
        if visit(page, url, address, problems):
            problems += policy_in_force(page, url)
            probed += 1
    page.console.violations.clear()  # the probes' own (checked page by page above)
    page.locator("input.md-search__input").press_sequentially("disc", delay=30)
    page.wait_for_load_state("networkidle")
    # The worker answers after the index is fetched: networkidle can come first on a loaded machine.
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.keyboard.press("Enter")  # Material opens the first result itself: form-action 'none' blocks nothing
    page.wait_for_url(re.compile(r"\?h=disc"))
    assert any("search" in r for r in requests), "the search worker or index was not loaded"
    assert len(requests) > len(PAGES), "requests were not recorded"
    problems = (
        [f"request to another origin: {r}" for r in foreign_requests(requests, base_url)]
        + [f"console: {error}" for error in page.console.errors if PROBE_REFUSED not in error]
        + [f"Content-Security-Policy: {v}" for v in page.console.violations]
        + problems
    )
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:40])
    assert page.scrolled >= len(EVERY_PAGE) // 2, "the deep links did not scroll: nothing was tested"
    assert probed == len(EVERY_PAGE)


# The probe inline script each page of the desktop sweep must refuse (Chromium logs the refusal).
PROBE = "window.__cspProbeRan = true"
PROBE_REFUSED = "Executing inline script violates the following Content Security Policy directive"


def policy_in_force(page, url: str) -> list[str]:
    """The page loaded with no Content-Security-Policy violation, and its policy is really enforced:
    an inline script added now (as an injected one would be) does not run, and is reported."""
    name = url or "home"
    before = page.evaluate("window.__cspViolations.slice()")
    ran = page.evaluate(
        """probe => { const script = document.createElement("script");
        script.textContent = probe; document.head.append(script); return window.__cspProbeRan === true; }""",
        PROBE,
    )
    after = page.evaluate("window.__cspViolations.slice()")
    problems = [f"{name}: Content-Security-Policy violation on load: {v}" for v in before]
    if ran or len(after) != len(before) + 1 or not after[-1].startswith("script-src-elem blocked inline"):
        problems.append(
            f"{name}: no Content-Security-Policy stopped an added inline script (ran: {ran}, reported: {after[len(before) :]})"
        )
    return problems


def test_search_finds_the_disc_page(desktop):
    desktop.goto("")
    desktop.locator("input.md-search__input").click()
    desktop.locator("input.md-search__input").press_sequentially("disc", delay=30)
    result = desktop.locator(".md-search-result__item a[href*='mechanisms/discs/']").first
    expect(result).to_be_visible(timeout=15_000)
    result.click()
    expect(desktop).to_have_url(re.compile(r"mechanisms/discs/"))
    expect(desktop.locator(".md-content article h1")).to_have_text(TITLES["mechanisms/discs/"])


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_toggle_works_and_persists_across_pages(new_page):
    page = new_page("desktop", color_scheme="light")
    page.goto("")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = background(page)
    page.locator("label[title='Switch to dark mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    dark = background(page)
    assert dark != light
    page.goto("about/")  # another page
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert background(page) == dark
    page.locator("label[title='Switch to light mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


def test_the_colour_scheme_switch_is_ours_and_works_from_the_keyboard(new_page):
    """The switch runs from the header (overrides/partials/javascripts/palette.html), not Material's
    component, whose start-up restyled every element three times (issue 19): a visitor who prefers
    dark gets it on the first paint, the browser's bar takes the header's colour, and Enter on the
    focused switch changes the scheme and keeps the focus on the switch, as Material's did."""
    page = new_page("phone", color_scheme="dark")
    page.goto("run-walk-trial/")
    body = page.locator("body")
    assert page.locator("[data-md-component='palette']").count() == 0
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    header = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
    rgb = "#" + "".join(f"{int(c):02x}" for c in re.findall(r"\d+", header)[:3])
    assert page.locator("meta[name='theme-color']").get_attribute("content") == rgb
    assert page.locator("meta[name='color-scheme']").get_attribute("content") == "dark"
    expect(page.locator("label[title='Switch to light mode']")).to_be_visible()
    expect(page.locator("label[title='Switch to dark mode']")).to_be_hidden()
    page.locator("#__palette_1").focus()
    page.keyboard.press("Enter")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    expect(page.locator("label[title='Switch to dark mode']")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "__palette_0"
    expect(body).not_to_have_attribute("data-md-color-switching", "")
    page.reload()  # the choice is kept, over the browser's preference
    expect(body).to_have_attribute("data-md-color-scheme", "default")
