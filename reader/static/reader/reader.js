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

  // The diplomatic / normalised switch is offered only where the text has two readings.
  function setupTranscription() {
    var control = document.querySelector(".transcription-switch");
    if (control && document.querySelector(".text .alt, .text .tei-ex")) control.hidden = false;
    var commentary = document.querySelector(".commentary-switch");
    if (commentary && document.querySelector(".text .commentary")) commentary.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    persist("hl-entities"); persist("show-noise"); persist("hide-citations"); persist("diplomatic"); persist("show-commentary");
    setupTranscription();
    setupCopy();
  });
})();
