/* The map of places (texts/map.html): Leaflet over the bundled outline of the world (Natural Earth
   1:110m countries, TopoJSON), markers from the page's JSON of places, each opening a link to the
   place's entity page. No network beyond this site: tiles only when the server names a tile server.
   Names are put in the page as text (textContent), never as HTML. */
(function () {
  "use strict";
  const el = document.getElementById("place-map");
  if (!el || !window.L || !window.topojson) return;
  const status = document.getElementById("place-map-status");
  const say = (text) => { if (status) status.textContent = text; };
  const map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12 }).setView([30, 10], 2);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.tilesAttribution || "" }).addTo(map);
  }
  const getJSON = (url) => fetch(url, { credentials: "same-origin" }).then((r) => {
    if (!r.ok) throw new Error(url + ": " + r.status);
    return r.json();
  });

  getJSON(el.dataset.outline).then((topo) => {
    const countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, {
      interactive: false,
      style: { color: "#8c8c8c", weight: 1, fillColor: "#efeadf", fillOpacity: 1 },
    }).addTo(map).bringToBack();
  }).catch(() => say("The outline of the world could not be loaded."));

  function popup(place) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.name;
    const count = document.createElement("span");
    count.textContent = " · " + place.mentions + " mention" + (place.mentions === 1 ? "" : "s");
    box.append(link, count);
    return box;
  }

  getJSON(el.dataset.places).then((data) => {
    const markers = data.places.map((place) =>
      L.marker([place.lat, place.lon], { title: place.name, alt: place.name }).bindPopup(popup(place)));
    const group = L.featureGroup(markers).addTo(map);
    if (markers.length) map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 6 });
    el.dataset.markers = String(markers.length);
    say(markers.length + " place" + (markers.length === 1 ? "" : "s") + " on the map.");
  }).catch(() => say("The places could not be loaded."));
})();
