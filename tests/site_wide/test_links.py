"""Every internal link, anchor and asset in the built site resolves (an offline link checker)."""

from urllib.parse import unquote, urljoin, urlparse

from bs4 import BeautifulSoup

BASE = "http://site.invalid/"  # pages are resolved as if served at the root


def resolve(site_root, url: str):
    """File on disk for a site URL path, or None."""
    path = unquote(urlparse(url).path).lstrip("/")
    candidate = site_root / path
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def test_all_internal_links_and_anchors_resolve(site):
    broken, ids_cache = [], {}
    for page in site.html_files():
        rel = page.relative_to(site.root).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        refs = [(a["href"], "a") for a in soup.select("a[href]")]
        refs += [
            (tag.get("src") or tag.get("href"), tag.name) for tag in soup.select("script[src], link[href], img[src]")
        ]
        for ref, kind in refs:
            absolute = urljoin(BASE + rel, ref)
            if not absolute.startswith(BASE):
                continue  # external: checked by hand, not offline
            target = resolve(site.root, absolute)
            if target is None:
                broken.append(f"{rel}: {kind} -> {ref} (no such file)")
                continue
            fragment = urlparse(absolute).fragment
            if fragment and kind == "a" and target.suffix == ".html":
                if target not in ids_cache:
                    doc = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                    ids_cache[target] = {el["id"] for el in doc.select("[id]")}
                if unquote(fragment) not in ids_cache[target]:
                    broken.append(f"{rel}: {ref} (no element with id {fragment!r})")
    assert broken == []


def test_external_links_are_https_or_doi(site):
    insecure = set()
    for page in site.html_files():
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href^='http:']"):
            if not a["href"].startswith("http://127.0.0.1"):
                insecure.add(a["href"])
    # Some sources only exist at http addresses; they are allowed, but only these.
    assert insecure <= {
        "http://www.ajnr.org/content/36/12/2394",
        "http://linkinghub.elsevier.com/retrieve/pii/S1529-9430(11)00527-4",
        # the address checked against a stored copy (issue 14); https not checked
        "http://www.britishpainsociety.org/people-with-pain/national_awareness/",
    }
