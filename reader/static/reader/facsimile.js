/* The facsimile beside the text (reader/texts/templates/texts/_facsimile.html).
 *
 * The page image follows the text the reader is at (the unit or page break nearest the top of the
 * window); hovering or focusing a line or a unit marks its zone on the image, and hovering a zone
 * marks its text. Data: the JSON of #facsimile-data (pages, their zones in OpenSeadragon's
 * coordinates, units -> pages, @facs tokens -> page and zone). No inline script or style (CSP).
 */
(function () {
  "use strict";

  function init() {
    var holder = document.getElementById("facsimile-viewer");
    var source = document.getElementById("facsimile-data");
    if (!holder || !source || typeof OpenSeadragon === "undefined") return;
    var data = JSON.parse(source.textContent);
    var panel = holder.closest(".facsimile-panel");
    var label = panel.querySelector(".facsimile-label");
    var text = document.querySelector("article.text");
    var current = -1;
    var overlays = {}; // zone id -> overlay element (current page)
    var zonesById = {};
    data.pages.forEach(function (page, index) {
      page.zones.forEach(function (zone) { zonesById[zone.id] = { page: index, zone: zone }; });
    });

    // OpenSeadragon adds an inline <style> (which the CSP refuses) unless one with this attribute exists:
    // an inert element of another namespace stands in for it; facsimile.css has the rules instead.
    if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
      var inert = document.createElementNS("urn:parallax:inert", "style");
      inert.setAttribute("data-openseadragon-mobile-css", "true");
      document.head.appendChild(inert);
    }
    var viewer = OpenSeadragon({
      element: holder,
      prefixUrl: holder.getAttribute("data-prefix"),
      tileSources: data.pages.map(function (page) {
        return page.image.type === "iiif" ? page.image.url : { type: "image", url: page.image.url };
      }),
      sequenceMode: true,
      showNavigator: false,
      showSequenceControl: false,
      crossOriginPolicy: "Anonymous",
      gestureSettingsMouse: { clickToZoom: false }
    });

    // ---- text side: lines begun by an lb with @facs become one element each
    Array.prototype.forEach.call(text.querySelectorAll(".facs-lb"), function (marker) {
      var line = document.createElement("span");
      line.className = "facs-line";
      line.setAttribute("data-facs", marker.getAttribute("data-facs"));
      var next = marker.nextSibling;
      marker.parentNode.insertBefore(line, next);
      while (line.nextSibling && !(line.nextSibling.classList && line.nextSibling.classList.contains("facs-lb"))) {
        line.appendChild(line.nextSibling);
      }
    });

    function pointed(el) {
      // the zones (and the page) an element of the text points to
      var found = [];
      var page = null;
      (el.getAttribute("data-facs") || "").split(/\s+/).forEach(function (token) {
        var target = data.pointers[token];
        if (!target) return;
        page = target[0];
        if (target[1]) found.push(target[1]);
      });
      if (el.id && data.units[el.id]) {
        data.pages.forEach(function (p) {
          p.zones.forEach(function (z) { if (z.units.indexOf(el.id) >= 0) found.push(z.id); });
        });
        if (page === null) page = data.units[el.id][0];
      }
      return { zones: found, page: page };
    }

    function textOf(zoneId) {
      var zone = zonesById[zoneId] && zonesById[zoneId].zone;
      var els = Array.prototype.filter.call(text.querySelectorAll("[data-facs]"), function (el) {
        return (" " + el.getAttribute("data-facs") + " ").indexOf(" #" + zoneId + " ") >= 0;
      });
      (zone ? zone.units : []).forEach(function (unit) {
        var el = document.getElementById(unit);
        if (el) els.push(el);
      });
      return els;
    }

    function mark(zoneIds, on) {
      zoneIds.forEach(function (id) {
        if (overlays[id]) overlays[id].classList.toggle("facs-zone-active", on);
      });
    }

    function show(index) {
      if (index === null || index === undefined || index < 0 || index >= data.pages.length) return;
      if (index !== current) viewer.goToPage(index);
    }

    viewer.addHandler("open", function () {
      current = viewer.currentPage();
      var page = data.pages[current];
      label.textContent = page.label + " (" + (current + 1) + "/" + data.pages.length + ")";
      overlays = {};
      page.zones.forEach(function (zone) {
        var box = document.createElement("div");
        box.className = "facs-zone";
        box.setAttribute("data-zone", zone.id);
        box.title = zone.label ? zone.label : "zone " + zone.id;
        box.addEventListener("mouseenter", function () {
          box.classList.add("facs-zone-active");
          textOf(zone.id).forEach(function (el) { el.classList.add("facs-active"); });
        });
        box.addEventListener("mouseleave", function () {
          box.classList.remove("facs-zone-active");
          textOf(zone.id).forEach(function (el) { el.classList.remove("facs-active"); });
        });
        overlays[zone.id] = box;
        viewer.addOverlay({ element: box, location: new OpenSeadragon.Rect(zone.x, zone.y, zone.w, zone.h) });
      });
      holder.setAttribute("data-page", String(current));
    });

    // ---- hover and focus on the text mark the zone (and bring its page)
    function linked(el) {
      return el.closest("[data-facs], .unit[id]");
    }
    var active = null;
    function enter(event) {
      var el = event.target.closest ? linked(event.target) : null;
      if (!el || el === active) return;
      leave();
      var target = pointed(el);
      if (!target.zones.length && target.page === null) return;
      active = el;
      el.classList.add("facs-active");
      if (target.page !== null && target.page !== current) {
        show(target.page);
        viewer.addOnceHandler("open", function () { if (active === el) mark(pointed(el).zones, true); });
      } else {
        mark(target.zones, true);
      }
    }
    function leave() {
      if (!active) return;
      active.classList.remove("facs-active");
      mark(pointed(active).zones, false);
      active = null;
    }
    text.addEventListener("mouseover", enter);
    text.addEventListener("focusin", enter);
    text.addEventListener("mouseleave", leave);

    // ---- the page follows the reader: the page of the last unit or page break that has reached the
    // top of the window (the first one's page while none has)
    var markers = Array.prototype.filter.call(text.querySelectorAll(".unit[id], .tei-pb[data-facs]"), function (el) {
      return pageOf(el) !== null;
    });
    function pageOf(el) {
      if (el.classList.contains("tei-pb")) {
        var target = data.pointers[(el.getAttribute("data-facs") || "").split(/\s+/)[0]];
        return target ? target[0] : null;
      }
      return data.units[el.id] ? data.units[el.id][0] : null;
    }
    var pending = false;
    function follow() {
      pending = false;
      if (active) return;
      var page = markers.length ? pageOf(markers[0]) : null;
      for (var i = 0; i < markers.length; i++) {
        if (markers[i].getBoundingClientRect().top > 100) break;
        page = pageOf(markers[i]);
      }
      show(page);
    }
    window.addEventListener("scroll", function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(follow);
      }
    }, { passive: true });
    follow();

    panel.querySelector(".facsimile-prev").addEventListener("click", function () { show(current - 1); });
    panel.querySelector(".facsimile-next").addEventListener("click", function () { show(current + 1); });
    var toggle = panel.querySelector(".facsimile-toggle");
    toggle.addEventListener("click", function () {
      var hidden = panel.classList.toggle("facsimile-hidden");
      toggle.setAttribute("aria-expanded", hidden ? "false" : "true");
      toggle.textContent = hidden ? "Show the page image" : "Hide the page image";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
