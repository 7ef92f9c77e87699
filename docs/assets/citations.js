/* Tap-first citations.
 *
 * On touch and narrow screens, tapping a citation number opens its reference (number, the formatted
 * entry and its DOI link) in a panel over the text, without scrolling the page. Escape, the close
 * button or a tap outside close it, and focus goes back to the citation. On desktop, Material's own
 * tooltips give hover and keyboard-focus previews and a click still jumps to the list. Without
 * JavaScript a citation is a plain link to its entry in the reference list.
 *
 * Listeners sit on the document (event delegation), so they survive Material's instant navigation;
 * on each new page (Material's document$) an open panel is closed.
 */
(function () {
  "use strict";

  if (window.citationPanel) return; // loaded once, whatever instant navigation does

  // Same breakpoint as Material's phone layout, or any screen without a hovering pointer.
  var tapMode = window.matchMedia("(hover: none), (max-width: 44.984375em)");
  var panel, title, body, more, closeButton;
  var opener = null;

  function build() {
    panel = document.createElement("div");
    panel.className = "citation-panel md-typeset";
    panel.id = "citation-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "citation-panel-title");
    panel.tabIndex = -1;
    panel.hidden = true;

    var head = document.createElement("div");
    head.className = "citation-panel__head";
    title = document.createElement("p");
    title.className = "citation-panel__title";
    title.id = "citation-panel-title";
    closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.className = "citation-panel__close";
    closeButton.setAttribute("aria-label", "Close reference");
    closeButton.textContent = "\u00d7";
    closeButton.addEventListener("click", function () { close(true); });
    head.append(title, closeButton);

    body = document.createElement("div");
    body.className = "citation-panel__body";
    more = document.createElement("a");
    more.className = "citation-panel__more";
    more.textContent = "Show it in the reference list";
    more.addEventListener("click", function () { close(false); });

    panel.append(head, body, more);
    document.body.appendChild(panel);
  }

  function isOpen() {
    return panel && !panel.hidden;
  }

  function open(link, entry) {
    if (!panel) build();
    if (opener && opener !== link) opener.setAttribute("aria-expanded", "false");
    opener = link;
    title.textContent = "Reference " + link.textContent.trim();
    body.replaceChildren();
    Array.prototype.forEach.call(entry.children, function (child) {
      var copy = child.cloneNode(true);
      copy.querySelectorAll(".footnote-backref").forEach(function (a) { a.remove(); });
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      body.appendChild(copy);
    });
    more.href = link.getAttribute("href");
    // Open on the half of the screen that does not hold the citation, so the text stays in view.
    var rect = link.getBoundingClientRect();
    panel.classList.toggle("citation-panel--top", rect.top > window.innerHeight / 2);
    panel.hidden = false;
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", panel.id);
    panel.focus({ preventScroll: true });
  }

  function close(returnFocus) {
    if (!isOpen()) return;
    panel.hidden = true;
    var link = opener;
    opener = null;
    if (link) {
      link.setAttribute("aria-expanded", "false");
      if (returnFocus && link.isConnected) link.focus({ preventScroll: true });
    }
  }

  // Capture phase: runs before Material's instant navigation sees the click on the link.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a.footnote-ref");
    // A tap or click outside the panel closes it (on another citation, that one opens instead).
    // On click, not pointerdown: the browser moves focus on pointerdown, and focus must end up
    // back on the citation.
    if (isOpen() && !panel.contains(event.target) && !link) {
      close(true);
      return;
    }
    if (!link || !tapMode.matches || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var entry = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!entry) return; // no entry on this page: let the link do its job
    event.preventDefault();
    event.stopPropagation();
    if (opener === link && isOpen()) close(true);
    else open(link, entry);
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    }
  }, true);

  // Keyboard users who tab out of the panel leave it behind: close it.
  document.addEventListener("focusin", function (event) {
    if (isOpen() && !panel.contains(event.target) && event.target !== opener) close(false);
  });

  // A wider window (rotating a tablet) switches to desktop behaviour.
  tapMode.addEventListener("change", function () { close(false); });

  // Material's instant navigation swaps the page content: never leave a panel from the last page.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { close(false); });
  }

  window.citationPanel = { open: open, close: close };
})();
