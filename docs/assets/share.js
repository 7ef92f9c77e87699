/* "Copy link" buttons after section headings (sharing/links.py writes them, hidden).
 *
 * The script shows the buttons; without it there is nothing to press, and each heading's own ¶ link
 * still works. A press copies the section's full public URL (the button's data-url, written at build
 * time from site_url) and says so twice: the button's label reads "Link copied" for a moment, and a
 * status region (role="status") tells screen readers. If the browser will not copy (no clipboard
 * access, an insecure address, a refusal), the link is shown in a text box under the button,
 * selected, so it can be copied by hand.
 *
 * One click listener on the document (event delegation); once the page is parsed, its buttons are
 * shown.
 */
(function () {
  "use strict";

  if (window.sectionLinks) return; // loaded once

  var CONFIRM_MS = 2500;

  function statusRegion() {
    var region = document.getElementById("section-link-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "section-link-status";
      region.className = "share-visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite"); // implied by the role; said outright for older screen readers
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(message) {
    var region = statusRegion();
    region.textContent = "";
    // A fresh text node after a tick, so pressing twice is announced twice.
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "share-offscreen";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    area.remove();
    return copied;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        if (!copyWithSelection(text)) throw new Error("copy refused");
      });
    }
    return copyWithSelection(text) ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function showCopied(button) {
    var label = button.querySelector(".section-link__label");
    button.classList.add("section-link--copied");
    label.textContent = "Link copied";
    window.clearTimeout(button._sectionLinkTimer);
    button._sectionLinkTimer = window.setTimeout(function () {
      button.classList.remove("section-link--copied");
      label.textContent = "Copy link";
    }, CONFIRM_MS);
    announce("Link copied");
  }

  function showLink(button, url) {
    var box = button.nextElementSibling;
    if (!box || !box.classList.contains("section-link__manual")) {
      box = document.createElement("label");
      box.className = "section-link__manual";
      box.textContent = "Copy this link: ";
      var input = document.createElement("input");
      input.type = "text";
      input.readOnly = true;
      box.appendChild(input);
      button.insertAdjacentElement("afterend", box);
    }
    var field = box.querySelector("input");
    field.value = url;
    field.focus();
    field.select();
    announce("Could not copy the link. It is shown selected in a box under the button: copy it from there.");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.section-link[data-url]");
    if (!button) return;
    var url = button.getAttribute("data-url");
    copy(url).then(function () {
      button.focus(); // the fallback's selection may have moved focus
      showCopied(button);
    }, function () {
      showLink(button, url);
    });
  });

  function init() {
    statusRegion();
    document.querySelectorAll("button.section-link[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  window.sectionLinks = { copy: copy };
})();
