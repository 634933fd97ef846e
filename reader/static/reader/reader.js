// Parallax: small enhancements. Every page works without this file.
(function () {
  "use strict";

  // Remember the display switches between pages.
  function persist(id) {
    var box = document.getElementById(id);
    if (!box) return;
    var key = "parallax:" + id;
    try {
      var saved = localStorage.getItem(key);
      if (saved !== null) box.checked = saved === "1";
      box.addEventListener("change", function () { localStorage.setItem(key, box.checked ? "1" : "0"); });
    } catch (e) { /* storage may be disabled */ }
  }

  // Copy a citation to the clipboard.
  function setupCopy() {
    var status = document.querySelector(".copy-status");
    document.querySelectorAll("button.copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = document.getElementById(button.dataset.copy).textContent;
        var done = function () { if (status) status.textContent = button.textContent.replace("Copy ", "") + " citation copied."; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
        } else { fallbackCopy(text); done(); }
      });
    });
  }
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "absolute"; area.style.left = "-9999px";
    document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to do */ }
    document.body.removeChild(area);
  }

  // Compare view: j / k (and the buttons) move between visible differences.
  function setupVariantNavigation() {
    if (!document.querySelector(".compare-grid")) return;
    var position = document.querySelector(".var-position");
    var current = -1;
    function visible() {
      var hideMinor = (document.getElementById("hide-minor") || {}).checked;
      return Array.prototype.filter.call(document.querySelectorAll(".compare-grid .var[id]"), function (el) {
        return !(hideMinor && el.classList.contains("minor"));
      });
    }
    function move(step) {
      var list = visible();
      if (!list.length) return;
      var active = document.activeElement;
      var at = list.indexOf(active);
      if (at === -1) at = current;
      current = Math.max(0, Math.min(list.length - 1, at + step));
      var target = list[current];
      document.querySelectorAll(".var.current").forEach(function (el) { el.classList.remove("current"); });
      target.classList.add("current");
      target.focus();
      target.scrollIntoView({ block: "center" });
      if (position) position.textContent = "Difference " + (current + 1) + " of " + list.length;
    }
    document.addEventListener("keydown", function (event) {
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "j") { move(1); event.preventDefault(); }
      if (event.key === "k") { move(-1); event.preventDefault(); }
    });
    document.querySelectorAll("button.nav-var").forEach(function (b) {
      b.addEventListener("click", function () { move(parseInt(b.dataset.dir, 10)); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    persist("hl-entities"); persist("show-noise"); persist("hide-minor"); persist("hide-citations");
    setupCopy();
    setupVariantNavigation();
  });
})();
