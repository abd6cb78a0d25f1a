/*! Tribune console (progressive enhancement: every action also works as a plain
 * form). Keyboard shortcuts for the queue: j/k next/previous, a approve, h hide (choose
 * the reason), x check for the bulk action, ? help. Confirmation dialogs for actions
 * that cannot be undone. The undo flash goes away when its time is up. On the held
 * tab, new comments appear at the top without reloading (polling /admin/live). */
(function () {
  "use strict";
  // Dialogs: a link to the confirmation page opens the same form in place.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-dialog]");
    if (link) {
      var dialog = document.getElementById(link.getAttribute("data-dialog"));
      if (dialog && dialog.showModal) { event.preventDefault(); dialog.showModal(); }
      return;
    }
    var close = event.target.closest && event.target.closest("[data-close]");
    if (close) { var d = close.closest("dialog"); if (d) d.close(); }
  });

  var flash = document.getElementById("flash");
  if (flash) {
    var seconds = parseInt(flash.getAttribute("data-window") || "0", 10);
    var undo = document.getElementById("undo");
    if (undo && seconds > 0) {
      setTimeout(function () { var f = undo.closest("form"); if (f) f.remove(); }, seconds * 1000);
    }
  }

  var list = document.getElementById("queue");
  function items() { return Array.prototype.slice.call(document.querySelectorAll(".queue-item")); }
  var current = 0;
  function focus(i) {
    var all = items();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, i));
    all[current].focus();
  }
  document.addEventListener("focusin", function (event) {
    var item = event.target.closest && event.target.closest(".queue-item");
    if (item) current = items().indexOf(item);
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || tag === "button" && event.key === " " || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return;
    var item = items()[current];
    if (!item) return;
    var click = function (sel) { var b = item.querySelector(sel); if (b) { event.preventDefault(); b.click(); } };
    var field = function (sel) { var f = item.querySelector(sel); if (f) { event.preventDefault(); f.focus(); } };
    switch (event.key) {
      case "j": event.preventDefault(); focus(current + 1); break;
      case "k": event.preventDefault(); focus(current - 1); break;
      case "a": click("button[data-action=approve]"); break;
      case "h": field("select[name=reason]"); break;
      case "x": var box = item.querySelector("input.pick"); if (box) { event.preventDefault(); box.checked = !box.checked; } break;
      case "e": field("input[name=note]"); break;
      case "?": event.preventDefault(); var help = document.getElementById("shortcuts"); if (help) help.open = !help.open; break;
    }
  });
  if (items().length && !flash) focus(0);

  // Live: only on the first page of the held tab without filters.
  if (!list || list.getAttribute("data-status") !== "held" || /[?&](page=[2-9]|q=|author=|domain=|rule=|reason=|article=|site=)/.test(location.search)) return;
  var maxId = parseInt(list.getAttribute("data-max-id") || "0", 10);
  var status = document.getElementById("live");
  var template = status ? status.getAttribute("data-template") : null;
  var every = parseInt(document.body.getAttribute("data-live-ms") || "5000", 10);
  function poll() {
    fetch("/admin/live?after=" + maxId, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.count > 0) {
          maxId = data.max_id;
          list.insertAdjacentHTML("afterbegin", data.html);
          var empty = document.querySelector(".empty");
          if (empty) empty.remove();
          if (status) status.textContent = (data.message || "");
          var tab = document.querySelector("nav.tabs a[data-tab=held] .count");
          if (tab) tab.textContent = String(parseInt(tab.textContent, 10) + data.count);
        }
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
