/* Citations: a tap panel on phones, one hover and focus preview on desktop.
 *
 * On touch and narrow screens, tapping a citation number opens its reference (number, the formatted
 * entry and its DOI link) in a panel over the text, without scrolling the page. Escape, the close
 * button or a tap outside close it, and focus goes back to the citation. On desktop, hovering or
 * focusing a citation shows the full reference in one preview box (role="tooltip", tied to the
 * citation by aria-describedby while it shows); the pointer can move into the box, Escape or
 * leaving closes it, and a click still jumps to the list. Without JavaScript a citation is a plain
 * link to its entry in the reference list.
 *
 * One panel and one preview serve every citation, and listeners sit on the document (event
 * delegation): nothing is set up per citation (a long page has 150).
 */
(function () {
  "use strict";

  if (window.citationPanel) return; // loaded once

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

  // The entry's content without its back-links and ids (ids must stay unique on the page), as a
  // paragraph: an entry holds its text directly (citations/marks.py), or paragraphs of its own.
  function entryCopy(entry) {
    var fragment = document.createDocumentFragment();
    var copy = entry.cloneNode(true);
    copy.querySelectorAll(".footnote-backref").forEach(function (a) { a.remove(); });
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    if (copy.querySelector("p")) {
      fragment.append.apply(fragment, Array.prototype.slice.call(copy.children));
    } else {
      var paragraph = document.createElement("p");
      paragraph.append.apply(paragraph, Array.prototype.slice.call(copy.childNodes));
      fragment.appendChild(paragraph);
    }
    return fragment;
  }

  function entryFor(link) {
    return document.getElementById(decodeURIComponent(link.hash.slice(1)));
  }

  function isOpen() {
    return panel && !panel.hidden;
  }

  function open(link, entry) {
    if (!panel) build();
    if (opener && opener !== link) opener.setAttribute("aria-expanded", "false");
    opener = link;
    title.textContent = "Reference " + link.textContent.trim();
    hidePreview();
    body.replaceChildren(entryCopy(entry));
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

  // ---- Desktop: one preview for every citation ------------------------------------------------
  var preview = null;
  var previewFor = null;
  var hideTimer = null;

  function buildPreview() {
    preview = document.createElement("div");
    preview.className = "citation-preview md-typeset";
    preview.id = "citation-preview";
    preview.setAttribute("role", "tooltip");
    preview.hidden = true;
    // The pointer may move from the citation into the preview (to read or copy it): keep it open.
    preview.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    preview.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse") hidePreviewSoon();
    });
    document.body.appendChild(preview);
  }

  function placePreview(link) {
    var rect = link.getBoundingClientRect();
    var margin = 8;
    var width = document.documentElement.clientWidth;
    preview.style.maxWidth = Math.min(480, width - 2 * margin) + "px";
    var box = preview.getBoundingClientRect();
    var left = Math.min(Math.max(rect.left - 16, margin), width - box.width - margin);
    var below = rect.bottom + 6;
    var top = below + box.height > window.innerHeight && rect.top - box.height - 6 > 0
      ? rect.top - box.height - 6 : below;
    preview.style.left = left + window.scrollX + "px";
    preview.style.top = top + window.scrollY + "px";
  }

  function showPreview(link) {
    if (tapMode.matches || isOpen()) return;
    var entry = entryFor(link);
    if (!entry) return;
    if (!preview) buildPreview();
    clearTimeout(hideTimer);
    if (previewFor === link && !preview.hidden) return;
    if (previewFor && previewFor !== link) previewFor.removeAttribute("aria-describedby");
    previewFor = link;
    preview.replaceChildren(entryCopy(entry));
    preview.hidden = false;
    link.setAttribute("aria-describedby", preview.id);
    placePreview(link);
  }

  function hidePreview() {
    clearTimeout(hideTimer);
    if (!preview || preview.hidden) return;
    preview.hidden = true;
    if (previewFor) previewFor.removeAttribute("aria-describedby");
    previewFor = null;
  }

  function hidePreviewSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hidePreview, 250);
  }

  function citationAt(target) {
    return target instanceof Element ? target.closest("a.footnote-ref") : null;
  }

  document.addEventListener("pointerover", function (event) {
    var link = citationAt(event.target);
    if (link && event.pointerType === "mouse") showPreview(link);
  });
  document.addEventListener("pointerout", function (event) {
    var link = citationAt(event.target);
    if (link && link === previewFor && event.pointerType === "mouse" && document.activeElement !== link) {
      hidePreviewSoon();
    }
  });
  document.addEventListener("focusin", function (event) {
    var link = citationAt(event.target);
    if (link) showPreview(link);
    else if (previewFor && !(preview && preview.contains(event.target))) hidePreview();
  });
  document.addEventListener("focusout", function (event) {
    if (citationAt(event.target) === previewFor) hidePreviewSoon();
  });

  // ---- Both -----------------------------------------------------------------------------------

  // Capture phase: runs before Material's own listeners see the click on the link.
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
    var entry = entryFor(link);
    if (!entry) return; // no entry on this page: let the link do its job
    event.preventDefault();
    event.stopPropagation();
    if (opener === link && isOpen()) close(true);
    else open(link, entry);
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (isOpen()) {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (preview && !preview.hidden) {
      hidePreview(); // focus stays on the citation (WCAG 1.4.13: dismissible)
    }
  }, true);

  // Keyboard users who tab out of the panel leave it behind: close it.
  document.addEventListener("focusin", function (event) {
    if (isOpen() && !panel.contains(event.target) && event.target !== opener) close(false);
  });

  // A wider window (rotating a tablet) switches to desktop behaviour.
  tapMode.addEventListener("change", function () { close(false); hidePreview(); });

  window.citationPanel = { open: open, close: close, preview: showPreview, hidePreview: hidePreview };
})();
