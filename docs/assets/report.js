/* "Report a problem with this page": add the section the reader is looking at (overrides/partials/report-problem.html).
 *
 * The build writes the link with the page named in its subject and body. When the address has a
 * #section (the reader came from a section link, or followed one on the page), this rewrites the
 * email link and the GitHub link to name that section too: its heading and its full address.
 * Without JavaScript the links still name the page. The links are rewritten on load, on every
 * change of #section, and again just before they are used.
 */
(function () {
  "use strict";

  if (window.reportProblem) return; // loaded once

  var HEADING = /^H[1-6]$/;

  function words(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll(".headerlink, .section-link, button").forEach(function (el) { el.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  // The heading the anchor sits under: the anchor itself when it is a heading (or stands just before
  // one), else the last section heading before it in the page's text, and the title of the box
  // (Key points, For clinicians) it is in. Never the raw id: "" when there is no heading to name.
  function sectionName(id) {
    var target = id && document.getElementById(id);
    if (!target) return "";
    if (HEADING.test(target.tagName)) return words(target);
    var next = target.nextElementSibling;
    if (next && HEADING.test(next.tagName) && !target.textContent.trim()) return words(next);
    var article = target.closest("article") || document.body;
    var heading = null;
    article.querySelectorAll("h2, h3, h4, h5, h6").forEach(function (h) {
      if (h.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING) heading = h;
    });
    var box = target.closest(".admonition, details");
    var title = box && box.querySelector(":scope > .admonition-title, :scope > summary");
    // A box opened after the heading names itself too ("Results – For clinicians"); a heading inside
    // the box is already the nearer one.
    if (box && heading && box.contains(heading)) title = null;
    var parts = [heading && words(heading), title && words(title)].filter(Boolean);
    return parts.join(" – ");
  }

  function update() {
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = location.hash.slice(1); }
    document.querySelectorAll(".report-problem").forEach(function (box) {
      var subject = box.getAttribute("data-report-subject");
      var body = box.getAttribute("data-report-body").replace(/\r?\n/g, "\r\n");
      var url = box.getAttribute("data-report-url");
      var email = box.getAttribute("data-report-email");
      var address = url;
      if (id) {
        var name = sectionName(id);
        address = url + "#" + encodeURIComponent(id);
        if (name) {
          subject = subject + " (section: " + name + ")";
          body = body.replace("Address: " + url, "Section: " + name + "\r\nAddress: " + address);
        } else {
          body = body.replace("Address: " + url, "Address: " + address);
        }
      }
      var mail = box.querySelector(".report-problem__email");
      if (mail) {
        mail.href = "mailto:" + encodeURIComponent(email).replace("%40", "@") +
          "?subject=" + encodeURIComponent(subject) + "&body=" + encodeURIComponent(body);
      }
      var issue = box.querySelector(".report-problem__issue");
      if (issue) {
        var link = new URL(issue.href);
        link.searchParams.set("title", subject);
        link.searchParams.set("page", address);
        issue.href = link.toString();
      }
    });
  }

  window.reportProblem = { update: update };
  window.addEventListener("hashchange", update);
  ["pointerdown", "focusin", "contextmenu", "click"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.closest && event.target.closest(".report-problem")) update();
    }, true);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
})();
