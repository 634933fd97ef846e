// Parallax compare view: j / k and the previous/next links move between the differences shown,
// outlining the current one in every witness. Without this file the links do the same through
// the server (?at=N#vN); this file never changes which differences are marked.
(function () {
  "use strict";

  function shownTypes() {
    var boxes = document.querySelectorAll(".type-filters input[name=type]");
    var shown = {};
    boxes.forEach(function (b) { if (b.checked) shown[b.value] = true; });
    return shown;
  }

  function setup() {
    var grid = document.querySelector(".compare-grid");
    if (!grid) return;
    var position = document.querySelector(".var-position");
    var hideMinor = document.getElementById("hide-minor");
    try {
      var saved = localStorage.getItem("parallax:hide-minor");
      if (hideMinor && saved !== null) hideMinor.checked = saved === "1";
      if (hideMinor) hideMinor.addEventListener("change", function () { localStorage.setItem("parallax:hide-minor", hideMinor.checked ? "1" : "0"); });
    } catch (e) { /* storage may be disabled */ }

    // The base's occurrence of each unit carries id="vN"; the other witnesses' carry "vN-<column>".
    function visible() {
      var types = shownTypes();
      var minorHidden = hideMinor && hideMinor.checked;
      return Array.prototype.filter.call(grid.querySelectorAll(".var[id]"), function (el) {
        if (!/^v\d+$/.test(el.id)) return false;
        if (minorHidden && el.classList.contains("minor")) return false;
        var type = (el.className.match(/\bvar-([a-z]+)/) || [])[1];
        return !type || types[type] !== undefined || !Object.keys(types).length;
      });
    }
    function currentNumber() {
      var el = grid.querySelector(".var.current");
      return el ? parseInt(el.dataset.v, 10) : null;
    }
    function show(target, list) {
      var n = target.dataset.v;
      grid.querySelectorAll(".var.current").forEach(function (el) { el.classList.remove("current"); });
      grid.querySelectorAll('.var[data-v="' + n + '"]').forEach(function (el) { el.classList.add("current"); });
      target.focus();
      target.scrollIntoView({ block: "center" });
      if (position) {
        var text = target.querySelector(".visually-hidden");
        position.textContent = "Difference " + (list.indexOf(target) + 1) + " of " + list.length + (text ? ": " + text.textContent : "");
      }
      var url = new URL(window.location.href);
      url.searchParams.set("at", n);
      url.hash = "v" + n;
      history.replaceState(null, "", url.toString());
    }
    function move(step) {
      var list = visible();
      if (!list.length) return;
      var at = list.indexOf(document.activeElement);
      if (at === -1) {
        var n = currentNumber();
        if (n !== null) {
          at = list.findIndex(function (el) { return parseInt(el.dataset.v, 10) >= n; });
          if (at === -1) at = list.length;
          else if (parseInt(list[at].dataset.v, 10) > n && step > 0) at -= 1;
        }
      }
      var next = at === -1 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + step));
      show(list[next], list);
    }
    document.addEventListener("keydown", function (event) {
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "j") { move(1); event.preventDefault(); }
      if (event.key === "k") { move(-1); event.preventDefault(); }
    });
    document.querySelectorAll("a.nav-var").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        move(parseInt(link.dataset.dir, 10));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
