/* Glossary words: a plain definition on hover, tap and keyboard focus.
 *
 * The build marks a glossary word as <abbr title="definition"> on its first use in each section
 * (backpain_site/features/glossary/: later uses are plain text). Without JavaScript the browser shows
 * the title on hover. With it, one small box (role="tooltip", linked to the word by aria-describedby)
 * shows the definition: on mouse hover, on keyboard focus, and on tap or click, which keeps it open
 * until the next tap, a tap elsewhere or Escape. Phones have no hover, and browsers never show a
 * title on tap, hence this script.
 *
 * Each marked word is a tab stop (one per word per section). Words are set up in small slices while
 * the browser is idle, so a long page loads without a long task; listeners sit on the document.
 */
(function () {
  "use strict";

  if (window.glossaryTip) return; // loaded once

  var SELECTOR = "abbr.glossary-term";
  var tip = null;
  var current = null;
  var pinned = false;
  var hideTimer = null;

  function build() {
    tip = document.createElement("div");
    tip.className = "glossary-tip md-typeset";
    tip.id = "glossary-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    // Moving the mouse from the word into the box keeps it open.
    tip.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse" && !pinned) hideSoon();
    });
    document.body.appendChild(tip);
  }

  // Turn a word's title into the box's text (the box replaces the browser's title tooltip).
  function adopt(el) {
    var definition = el.getAttribute("title");
    if (!definition) return;
    el.classList.add("glossary-term");
    el.setAttribute("data-definition", definition);
    el.removeAttribute("title");
  }

  // Every glossary word of the page, a slice at a time while the browser is idle, so that a long
  // page never holds up the first taps and scrolls. A word hovered, tapped or focused before its
  // turn is adopted on the spot (termAt).
  function setUp() {
    var items = document.querySelectorAll(".md-content abbr[title]");
    var index = 0;
    var later = window.requestIdleCallback || function (callback) { return setTimeout(callback, 1); };
    function slice() {
      var stop = Math.min(items.length, index + 60);
      for (; index < stop; index++) {
        var el = items[index];
        // On the Glossary page the definition is already beside the term.
        if (el.closest("dfn")) { el.removeAttribute("title"); continue; }
        adopt(el);
        // A word inside a link, button or summary: that control is the tab stop.
        if (el.classList.contains("glossary-term") && !el.closest("a, button, summary")) el.tabIndex = 0;
      }
      if (index < items.length) later(slice);
    }
    later(slice);
  }

  function place(el) {
    var rect = el.getBoundingClientRect();
    var margin = 8;
    var width = document.documentElement.clientWidth;
    tip.style.maxWidth = Math.min(320, width - 2 * margin) + "px";
    var box = tip.getBoundingClientRect();
    var left = Math.min(Math.max(rect.left, margin), width - box.width - margin);
    var below = rect.bottom + 6;
    var top = below + box.height > window.innerHeight && rect.top - box.height - 6 > 0
      ? rect.top - box.height - 6 : below;
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }

  function show(el, pin) {
    if (!tip) build();
    clearTimeout(hideTimer);
    if (current && current !== el) current.removeAttribute("aria-describedby");
    current = el;
    pinned = pin;
    tip.textContent = el.getAttribute("data-definition");
    tip.hidden = false;
    el.setAttribute("aria-describedby", tip.id);
    place(el);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (!tip || tip.hidden) return;
    tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    pinned = false;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function termAt(target) {
    if (!(target instanceof Element)) return null;
    var el = target.closest("abbr[title], " + SELECTOR);
    if (el && el.hasAttribute("title") && !el.closest("dfn")) adopt(el);
    return el && el.matches(SELECTOR) ? el : null;
  }

  document.addEventListener("pointerover", function (event) {
    var el = termAt(event.target);
    if (el && event.pointerType === "mouse" && !(pinned && current === el)) show(el, false);
  });
  document.addEventListener("pointerout", function (event) {
    var el = termAt(event.target);
    if (el && event.pointerType === "mouse" && el === current && !pinned) hideSoon();
  });
  document.addEventListener("focusin", function (event) {
    var el = termAt(event.target);
    if (el) show(el, false);
    else if (current && !pinned) hide();
  });
  document.addEventListener("focusout", function (event) {
    if (termAt(event.target) === current && !pinned) hideSoon();
  });
  // A tap or click opens the definition and keeps it open; a second one, or one elsewhere, closes it.
  document.addEventListener("click", function (event) {
    var el = termAt(event.target);
    if (!el) {
      if (tip && !tip.contains(event.target)) hide();
      return;
    }
    if (el.closest("a")) return; // a word inside a link: the link still works
    if (current === el && pinned) hide();
    else show(el, true);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && tip && !tip.hidden) hide();
  });
  window.addEventListener("resize", hide);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }

  window.glossaryTip = { show: show, hide: hide };
})();
