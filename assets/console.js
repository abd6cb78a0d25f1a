/*! Tribune console: keyboard shortcuts for the moderation queue (progressive
 * enhancement; every action also works as a plain form). j/k: next/previous comment,
 * a: approve, h: hide (choose the reason), e: highlight (write the note), ?: help. */
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".queue-item"));
  if (!items.length) return;
  var current = 0;
  function focus(i) {
    current = Math.max(0, Math.min(items.length - 1, i));
    items[current].focus();
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || event.ctrlKey || event.metaKey || event.altKey) return;
    var item = items[current];
    var click = function (sel) { var b = item.querySelector(sel); if (b) { event.preventDefault(); b.click(); } };
    var field = function (sel) { var f = item.querySelector(sel); if (f) { event.preventDefault(); f.focus(); } };
    switch (event.key) {
      case "j": event.preventDefault(); focus(current + 1); break;
      case "k": event.preventDefault(); focus(current - 1); break;
      case "a": click("button[data-action=approve]"); break;
      case "h": field("select[name=reason]"); break;
      case "e": field("input[name=note]"); break;
      case "?": event.preventDefault(); var help = document.getElementById("shortcuts"); if (help) help.open = !help.open; break;
    }
  });
  items.forEach(function (item, i) { item.addEventListener("focus", function () { current = i; }); });
  focus(0);
})();
