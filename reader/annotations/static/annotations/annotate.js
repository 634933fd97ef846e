// Progressive help for the annotate pages; every action also works as a plain form.
// 1. Selecting words in the paragraph text fills the "Add a mention" form with
//    the words and their exact character offsets.
// 2. "all" checkboxes select every suggestion of the bulk form.
// 3. A mention form shows the date fields for dates and the register fields for names.
// 4. Keys on the paragraph page: j/k next/previous mention, a accept, r reject, e edit, Esc close.
// 5. Typing in a register-entry field asks the register for matching entries (the datalist holds
//    only the document's own entries); without script an id or a name typed in full still works.
(function () {
  "use strict";

  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function onSelect(container) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return;
    var start = offsetIn(container, range.startContainer, range.startOffset);
    var end = offsetIn(container, range.endContainer, range.endOffset);
    var text = container.textContent;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (end <= start) return;
    var form = document.getElementById("add-form");
    if (!form) return;
    form.elements["add-surface"].value = text.slice(start, end);
    form.elements["add-start"].value = start;
    form.elements["add-end"].value = end;
    form.elements["add-occurrence"].value = 1;
    form.elements["add-kind"].focus();
  }

  function clearOffsetsOnTyping() {
    var form = document.getElementById("add-form");
    if (!form) return;
    form.elements["add-surface"].addEventListener("input", function () {
      form.elements["add-start"].value = "";
      form.elements["add-end"].value = "";
    });
  }

  // Show the date fields only for dates, and the register fields only for names.
  function toggleByKind(form, prefix) {
    var kind = form.elements[prefix + "kind"];
    if (!kind) return;
    var entry = form.elements[prefix + "entity"];
    var initialKind = kind.value, initialEntry = entry ? entry.value : "";
    function update() {
      var isDate = kind.value === "date";
      ["when", "date_from", "date_to"].forEach(function (name) { show(form, prefix + name, isDate); });
      ["entity", "new_entity"].forEach(function (name) { show(form, prefix + name, !isDate); });
      // An entry of the old type cannot stay linked to a mention of another type.
      if (entry) entry.value = kind.value === initialKind ? initialEntry : "";
    }
    kind.addEventListener("change", update);
    update();
  }

  function show(form, name, visible) {
    var field = form.elements[name];
    if (!field) return;
    var box = field.closest(".form-row, .field") || field;
    box.hidden = !visible;
  }

  function typing(target) {
    return target.closest("input, select, textarea, [contenteditable]") !== null;
  }

  // One mention at a time: the focused row is the current one.
  function keyboard() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.mention-row"));
    if (!rows.length) return;
    var help = document.getElementById("annotate-keys");
    if (help) help.hidden = false;
    function current() {
      var row = document.activeElement && document.activeElement.closest ? document.activeElement.closest("tr.mention-row") : null;
      return row || (location.hash ? document.getElementById(location.hash.slice(1)) : null);
    }
    function go(step) {
      var row = current();
      var index = row ? rows.indexOf(row) + step : (step > 0 ? 0 : rows.length - 1);
      index = Math.max(0, Math.min(rows.length - 1, index));
      rows[index].focus();
      rows[index].scrollIntoView({block: "nearest"});
    }
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "Escape") {
        var open = document.querySelector("details.mention-edit[open]");
        if (open) { open.open = false; var row = open.closest("tr"); if (row) row.focus(); }
        return;
      }
      if (typing(event.target)) return;
      var row = current();
      if (event.key === "j") { go(1); event.preventDefault(); }
      else if (event.key === "k") { go(-1); event.preventDefault(); }
      else if (row && (event.key === "a" || event.key === "r")) {
        var button = row.querySelector('button[data-key="' + event.key + '"]');
        if (button) { button.click(); event.preventDefault(); }
      } else if (row && event.key === "e") {
        var details = row.querySelector("details.mention-edit");
        if (details) {
          details.open = true;
          var first = details.querySelector("select, input:not([type=hidden])");
          if (first) first.focus();
          event.preventDefault();
        }
      }
    });
  }

  function suggestEntries() {
    var list = document.getElementById("register-entries");
    if (!list || !list.dataset.suggest) return;
    var own = Array.prototype.map.call(list.options, function (o) { return o.cloneNode(true); });
    var timer = null, asked = "";
    function show(results) {
      list.replaceChildren.apply(list, own.map(function (o) { return o.cloneNode(true); }));
      results.forEach(function (r) {
        if (own.some(function (o) { return o.value === r.value; })) return;
        var option = document.createElement("option");
        option.value = r.value;
        option.textContent = r.kind;
        list.appendChild(option);
      });
    }
    document.querySelectorAll('input[list="register-entries"]').forEach(function (input) {
      input.addEventListener("input", function () {
        var query = input.value.trim();
        clearTimeout(timer);
        if (query.length < 2 || query === asked || /\([a-z]{3}-[^()\s]+\)$/.test(query)) return;
        timer = setTimeout(function () {
          asked = query;
          fetch(list.dataset.suggest + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : { results: [] }; })
            .then(function (data) { if (asked === query) show(data.results); })
            .catch(function () {});
        }, 150);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    suggestEntries();
    var add = document.getElementById("add-form");
    if (add) toggleByKind(add, "add-");
    document.querySelectorAll("form.mention-form").forEach(function (form) {
      var kind = form.querySelector("select[name$='-kind']");
      if (kind) toggleByKind(form, kind.name.replace(/kind$/, ""));
    });
    var container = document.getElementById("annotate-text");
    if (container) {
      container.addEventListener("mouseup", function () { onSelect(container); });
      container.addEventListener("keyup", function () { onSelect(container); });
      clearOffsetsOnTyping();
    }
    keyboard();
    document.querySelectorAll("input[data-check-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        var name = box.getAttribute("data-check-all");
        box.form.querySelectorAll('input[name="' + name + '"]').forEach(function (other) { other.checked = box.checked; });
      });
    });
  });
})();
