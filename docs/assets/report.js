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

  function sectionName(id) {
    var target = id && document.getElementById(id);
    if (!target) return id;
    var heading = /^H[1-6]$/.test(target.tagName) ? target : target.nextElementSibling;
    if (!heading || !/^H[1-6]$/.test(heading.tagName)) return id;
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink, .section-link, button").forEach(function (el) { el.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim() || id;
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
        subject = subject + " (section: " + name + ")";
        body = body.replace("Address: " + url, "Section: " + name + "\r\nAddress: " + address);
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
