/* Glossary words: a plain definition on hover, tap and keyboard focus.
 *
 * hooks/glossary.py marks every glossary word as <abbr title="definition">. Without JavaScript the
 * browser shows the title on hover. With it, one small box (role="tooltip", linked to the word by
 * aria-describedby) shows the definition: on mouse hover, on keyboard focus, and on tap or click,
 * which keeps it open until the next tap, a tap elsewhere or Escape. Phones have no hover, and
 * browsers never show a title on tap, hence this script.
 *
 * So that the Tab key does not stop on every "disc" of a long page, the first use of each word in
 * each section (between two H2 headings) is focusable; the others open on hover and tap.
 * Listeners sit on the document, so they survive Material's instant navigation; each new page
 * (Material's document$) is set up again.
 */
(function () {
  "use strict";

  if (window.glossaryTip) return; // loaded once, whatever instant navigation does

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

  function setUp() {
    var seen = {};
    var items = document.querySelectorAll(".md-content h2, .md-content abbr[title]");
    Array.prototype.forEach.call(items, function (el) {
      if (el.tagName === "H2") { seen = {}; return; }
      var definition = el.getAttribute("title");
      if (!definition) return;
      // On the Glossary page the definition is already beside the term.
      if (el.closest("dfn")) { el.removeAttribute("title"); return; }
      el.classList.add("glossary-term");
      el.setAttribute("data-definition", definition);
      el.removeAttribute("title"); // the box replaces the browser's own title tooltip
      if (!seen[definition] && !el.closest("a, button, summary")) {
        seen[definition] = true;
        el.tabIndex = 0;
      }
    });
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
    return target instanceof Element ? target.closest(SELECTOR) : null;
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

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { hide(); setUp(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }

  window.glossaryTip = { show: show, hide: hide };
})();
