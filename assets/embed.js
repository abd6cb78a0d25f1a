/*! Tribune embed: the comment thread of an article, from Tribune's thread API.
 * Usage: <div data-tribune-thread="https://news.example/article"></div>
 *        <span data-tribune-count="https://news.example/article"></span>
 *        <script src="https://comments.example/embed.js" async></script>
 * The thread renders in a shadow root with its own stylesheet: the page's rules do not
 * reach it, its `--tribune-*` custom properties do (docs/embed.md). Words come from
 * the server's Fluent files (/embed/words). Only `content_html` is inserted as HTML:
 * the server sanitised it (ammonia, Mastodon's subset); everything else goes in as
 * text. Licence: AGPL-3.0-or-later. */
(function () {
  "use strict";
  var script = document.currentScript;
  var BASE = script ? new URL(script.src).origin : "";
  // Filled in by the server: the languages it has and the version of their words.
  var CONF = {/*CONF*/};
  var PAGE = 20;
  var POLL_MS = 30000;
  var FOLD_DEPTH = 3; // replies this deep start folded
  var FOLD_SIZE = 6; // and so do branches larger than this
  var INDENT_DEPTH = 4; // deeper replies are not indented further
  var CONTINUE_DEPTH = 6; // deeper ones open on their own ("continue this thread")
  var LONG = 700; // characters past which a comment is folded
  var words = {};
  var uid = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (k === "text") node.textContent = v;
        else if (k === "class") node.className = v;
        else if (typeof v === "function") node.addEventListener(k, v);
        // Links come from other servers and archives: the server keeps only http(s), and
        // the embed, on the publisher's page, refuses any other scheme (javascript:…) too.
        else if (k === "href" && !/^(https?:\/\/|#|\/)/i.test(String(v))) node.setAttribute(k, "#");
        else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
      });
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  /* ---------- words ---------- */
  function pick(tag) {
    var langs = CONF.langs || ["en", "fr"];
    var l = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return langs.indexOf(l) >= 0 ? l : langs.indexOf("en") >= 0 ? "en" : langs[0];
  }

  function fmt(w, p, a) {
    if (typeof p === "string") return p;
    return p.map(function (x) {
      if (typeof x === "string") return x;
      if (x.v) return a[x.v] === undefined ? "" : String(a[x.v]);
      var v = a[x.s], k = v;
      if (typeof v === "number") k = x.o["=" + v] !== undefined ? "=" + v : w.plural.select(v);
      return fmt(w, x.o[k] !== undefined ? x.o[k] : x.o[x.d], a);
    }).join("");
  }

  function loadWords(l) {
    if (!words[l]) {
      words[l] = fetch(BASE + "/embed/words?lang=" + l + "&v=" + (CONF.v || ""))
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (w) {
          w.plural = new Intl.PluralRules(w.lang);
          w.t = function (id, args) { return w.m[id] === undefined ? id : fmt(w, w.m[id], args || {}); };
          return w;
        });
    }
    return words[l];
  }

  /* ---------- dates, in the reader's time zone ---------- */
  function when(w, d) {
    var h = d.getHours();
    return w.t(d.getFullYear() === new Date().getFullYear() ? "date-this-year" : "date-other-year", {
      day: d.getDate(), monthname: w.t("month-" + (d.getMonth() + 1)), year: d.getFullYear(),
      hour: h, hour12: h % 12 || 12, pm: h >= 12 ? "pm" : "am", minute: ("0" + d.getMinutes()).slice(-2)
    });
  }

  function ago(w, d) {
    var s = (Date.now() - d.getTime()) / 1000;
    if (s < 60) return w.t("ago-now");
    if (s < 3600) return w.t("ago-minutes", { n: Math.floor(s / 60) });
    if (s < 86400) return w.t("ago-hours", { n: Math.floor(s / 3600) });
    if (s < 604800) return w.t("ago-days", { n: Math.floor(s / 86400) });
    return when(w, d);
  }

  function timeEl(w, iso) {
    var d = new Date(iso);
    return el("time", { datetime: iso, title: when(w, d), text: ago(w, d) });
  }

  /* ---------- the tree ---------- */
  function size(c) {
    var n = 0;
    (c.children || []).forEach(function (k) { n += 1 + size(k); });
    return n;
  }

  function sorted(nodes, order) {
    var copy = nodes.slice();
    if (order === "newest") copy.reverse();
    if (order === "replied") copy.sort(function (a, b) { return size(b) - size(a); });
    return copy;
  }

  // Staff answers first: readers look right under the comment for them.
  function replies(c) {
    return (c.children || []).filter(function (k) { return k.staff; })
      .concat((c.children || []).filter(function (k) { return !k.staff; }));
  }

  function index(S) {
    S.byId = {};
    S.parent = {};
    (function walk(nodes, parent) {
      nodes.forEach(function (c) { S.byId[c.id] = c; S.parent[c.id] = parent; walk(c.children || [], c); });
    })(S.thread.comments, null);
  }

  // Servers stamp `published` to the second (Mastodon does), the visit to the millisecond:
  // the visit is kept to its second, so a reply from that same second still counts as new.
  function isNew(S, c) { return !c.deleted && S.lastSeen && Date.parse(c.published) >= S.lastSeen; }

  function newIds(S) {
    var out = [];
    (function walk(nodes) {
      nodes.forEach(function (c) { if (isNew(S, c)) out.push(c.id); walk(replies(c)); });
    })(sorted(S.thread.comments, S.order));
    return out;
  }

  function excerpt(html, max) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html; // inert: nothing loads
    var text = tpl.content.textContent.replace(/\s+/g, " ").trim();
    if (text.length <= max) return text;
    var cut = text.slice(0, max);
    return cut.slice(0, cut.lastIndexOf(" ") > max / 2 ? cut.lastIndexOf(" ") : max) + "…";
  }

  function nameOf(c) { return c.byline ? c.byline.name : c.author ? c.author.name || c.author.handle : ""; }

  /* ---------- one comment ---------- */
  function comment(c, S, depth) {
    var w = S.w, t = w.t;
    var item = el("li");
    var art = el("article", { "class": "tribune-comment" + (c.staff ? " staff" : ""), id: "tribune-c-" + c.id, tabindex: "-1", "aria-label": nameOf(c) || t("embed-deleted") });
    item.appendChild(art);
    if (c.deleted) {
      var reason = c.removed_reason ? t("embed-removed", { reason: t("report-reason-" + c.removed_reason) }) : t("embed-deleted");
      var p = el("p", { "class": "gone" }, [reason]);
      var site = S.thread.site;
      if (c.removed_reason && site && site.charter_url) p.appendChild(el("a", { href: site.charter_url, text: t("embed-charter") }));
      art.appendChild(p);
    } else {
      art.appendChild(head(c, S, false));
      var parent = S.parent[c.id];
      if (depth > INDENT_DEPTH && parent && !parent.deleted) art.appendChild(el("p", { "class": "re", text: t("embed-in-reply-to", { name: nameOf(parent) }) }));
      body(c, S, art);
      var rx = reactions(c.reactions, S.w.t);
      if (rx) art.appendChild(rx);
      art.appendChild(actions(c, S));
    }
    var kids = replies(c);
    if (!kids.length) return item;
    if (depth >= CONTINUE_DEPTH) {
      item.appendChild(el("button", { type: "button", "class": "act fold", text: t("embed-continue", { n: size(c) }), click: function () { S.focus = c.id; draw(S); S.box.querySelector(".tribune-all h3").focus(); } }));
      return item;
    }
    var list = el("ol", { "class": "replies" + (depth + 1 > INDENT_DEPTH ? " flat" : "") });
    var folded = el("ol", { "class": list.className, id: "tribune-r-" + c.id });
    var fold = (depth + 1 >= FOLD_DEPTH || size(c) > FOLD_SIZE) && !S.open[c.id];
    var n = 0;
    kids.forEach(function (k) {
      var hide = fold && !k.staff;
      if (hide) n += 1 + size(k);
      (hide ? folded : list).appendChild(comment(k, S, depth + 1));
    });
    if (list.childNodes.length) item.appendChild(list);
    if (n) {
      var toggle = el("button", { type: "button", "class": "act fold", "aria-expanded": "false", "aria-controls": folded.id, text: t("embed-replies-show", { n: n }) });
      folded.hidden = true;
      toggle.addEventListener("click", function () {
        var open = folded.hidden;
        folded.hidden = !open;
        S.open[c.id] = open;
        toggle.setAttribute("aria-expanded", String(open));
        toggle.textContent = open ? t("embed-replies-hide") : t("embed-replies-show", { n: n });
      });
      item.appendChild(toggle);
      item.appendChild(folded);
    }
    return item;
  }

  function avatar(c) {
    var a = c.author;
    if (a && a.avatar) {
      var img = el("img", { "class": "av", src: a.avatar, alt: "", width: "40", height: "40", loading: "lazy" });
      img.addEventListener("error", function () { img.replaceWith(el("span", { "class": "av ph", "aria-hidden": "true", text: (nameOf(c) || "?").charAt(0).toUpperCase() })); });
      return img;
    }
    return el("span", { "class": "av ph", "aria-hidden": "true", text: (nameOf(c) || "?").charAt(0).toUpperCase() });
  }

  function head(c, S, inPick) {
    var w = S.w, t = w.t, a = c.author || {};
    var line = el("span", { "class": "line" }, [el("a", { "class": "name", href: a.url || "#", rel: "nofollow noopener ugc", text: nameOf(c) })]);
    if (c.byline && c.byline.title) line.appendChild(el("span", { "class": "bytitle", text: c.byline.title }));
    if (c.staff) line.appendChild(el("span", { "class": "badge staffb", text: t("embed-staff") }));
    if (c.imported_from) line.appendChild(el("span", { "class": "badge", text: t("embed-imported", { source: c.imported_from }) }));
    if (c.highlighted && !inPick) line.appendChild(el("span", { "class": "badge pickb", text: t("embed-pick-badge") }));
    if (isNew(S, c) && !inPick) line.appendChild(el("span", { "class": "badge tribune-new", text: t("embed-new") }));
    var meta = el("span", { "class": "meta" }, [
      a.handle ? el("span", { "class": "handle", text: a.handle }) : null,
      a.handle ? el("span", { "aria-hidden": "true", text: " · " }) : null,
      el("a", { "class": "time", href: c.url || "#tribune-c-" + c.id, rel: "nofollow noopener ugc" }, [timeEl(w, c.published)]),
      c.edited ? " (" + t("embed-edited") + ")" : null
    ]);
    return el("header", { "class": "head" }, [avatar(c), el("div", { "class": "who" }, [line, meta])]);
  }

  function body(c, S, art) {
    var t = S.w.t;
    var content = el("div", { "class": "tribune-content", lang: c.language || null });
    // Sanitised by the server (see the header of this file).
    content.innerHTML = c.content_html;
    var holder = content;
    if (c.summary) {
      holder = el("details", { "class": "cw" }, [el("summary", { text: t("embed-cw", { summary: c.summary }) }), content]);
    }
    art.appendChild(holder);
    if (!c.summary && content.textContent.length > LONG) {
      content.classList.add("long");
      content.id = "tribune-b-" + c.id;
      var more = el("button", { type: "button", "class": "act more", "aria-expanded": "false", "aria-controls": content.id, text: t("embed-read-more") });
      more.addEventListener("click", function () {
        var open = content.classList.toggle("long") === false;
        more.setAttribute("aria-expanded", String(open));
        more.textContent = open ? t("embed-read-less") : t("embed-read-more");
      });
      art.appendChild(more);
    }
    if (c.attachments && c.attachments.length) {
      art.appendChild(el("ul", { "class": "files" }, c.attachments.map(function (a) {
        return el("li", null, [el("a", { href: a.url, rel: "nofollow noopener ugc", text: a.alt || t("embed-attachment") })]);
      })));
    }
  }

  /* ---------- reply and report ---------- */
  /* Emoji reactions (EmojiReact, Misskey's): each emoji with its count; a custom one
     as a small image whose alt is its :name:. Counts and images come from the server;
     an icon is only ever an http(s) URL (checked there). */
  function reactions(list, t) {
    if (!list || !list.length) return null;
    var ul = el("ul", { "class": "tribune-reactions", "aria-label": t("embed-reactions") });
    list.forEach(function (r) {
      var face = r.icon
        ? el("img", { "class": "emoji", src: r.icon, alt: r.emoji, title: r.emoji, width: "20", height: "20", loading: "lazy", referrerpolicy: "no-referrer" })
        : el("span", { "class": "emoji", text: r.emoji });
      ul.appendChild(el("li", { title: t("embed-reaction", { emoji: r.emoji, n: r.count }) }, [face, el("span", { "class": "n", text: String(r.count) })]));
    });
    return ul;
  }

  function actions(c, S) {
    var t = S.w.t;
    var bar = el("div", { "class": "acts" });
    var panel = el("div", { "class": "panel" });
    var closed = S.thread.site && S.thread.site.mode === "closed";
    var reply = !closed && el("button", { type: "button", "class": "act", "aria-expanded": "false", text: t("embed-reply") });
    var report = el("button", { type: "button", "class": "act", "aria-expanded": "false", text: t("embed-report") });
    if (reply) {
      reply.addEventListener("click", function () { toggle(bar, panel, reply, function () { return replyForm(c.ap_id, S); }); });
      bar.appendChild(reply);
      bar.appendChild(el("span", { "aria-hidden": "true", text: " · " }));
    }
    report.addEventListener("click", function () { toggle(bar, panel, report, function () { return reportForm(c.id, S, panel); }); });
    bar.appendChild(report);
    bar.appendChild(panel);
    return bar;
  }

  function toggle(bar, panel, button, build) {
    var open = button.getAttribute("aria-expanded") === "true";
    panel.textContent = "";
    Array.prototype.forEach.call(bar.querySelectorAll("button[aria-expanded]"), function (b) { b.setAttribute("aria-expanded", "false"); });
    if (!open) {
      var form = build();
      panel.appendChild(form);
      button.setAttribute("aria-expanded", "true");
      var first = form.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    }
  }

  function replyForm(uri, S) {
    var t = S.w.t, id = "tribune-h-" + ++uid;
    var site = S.thread.site || {};
    var input = el("input", { id: id, name: "handle", type: "text", autocomplete: "username", autocapitalize: "none", spellcheck: "false", placeholder: t("embed-handle-placeholder"), "aria-describedby": id + "-e", required: "required" });
    try { input.value = localStorage.getItem("tribune:handle") || ""; } catch (e) { /* private mode */ }
    var go = el("button", { type: "submit", "class": "btn", text: t("embed-go") });
    var said = el("p", { id: id + "-e", "class": "said", "aria-live": "assertive" });
    var form = el("form", { "class": "form", action: BASE + "/interact", method: "get" }, [
      el("p", { "class": "fedi" }, [t("embed-fedi-what")]),
      el("p", { "class": "fedi" }, [t("embed-fedi-join") + " ", el("a", { href: site.join_url || "https://jointhefediverse.net/", target: "_blank", rel: "noopener", text: t("embed-fedi-join-link") })]),
      el("label", { "for": id, text: t("embed-handle") }),
      el("div", { "class": "row" }, [input, go]),
      el("input", { type: "hidden", name: "uri", value: uri }),
      el("input", { type: "hidden", name: "lang", value: S.lang }),
      said,
      el("p", { "class": "copy" }, [t("embed-copy") + " ", el("code", { text: uri })])
    ]);
    function refuse(message) {
      said.textContent = message;
      said.className = "said err";
      input.setAttribute("aria-invalid", "true");
      go.disabled = false;
      input.focus();
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var handle = input.value.trim();
      input.removeAttribute("aria-invalid");
      said.className = "said";
      said.textContent = t("embed-checking");
      go.disabled = true;
      // Checked by the server (form, then WebFinger) before the reader goes anywhere.
      fetch(BASE + "/interact/check?handle=" + encodeURIComponent(handle) + "&uri=" + encodeURIComponent(uri) + "&lang=" + S.lang, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.status === 429 ? { error: t("interact-error-too-many") } : r.json(); })
        .then(function (answer) {
          if (!answer.ok || !answer.url) return refuse(answer.error || t("embed-failed"));
          try { localStorage.setItem("tribune:handle", handle); } catch (e) { /* private mode */ }
          window.location.assign(answer.url);
        })
        .catch(function () { refuse(t("embed-failed")); });
    });
    return form;
  }

  function reportForm(commentId, S, panel) {
    var t = S.w.t, id = "tribune-s-" + ++uid;
    var select = el("select", { id: id, name: "reason" }, S.w.reasons.map(function (k) { return el("option", { value: k, text: t("report-reason-" + k) }); }));
    var form = el("form", { "class": "form" }, [
      el("label", { "for": id, text: t("embed-report-reason") }),
      el("div", { "class": "row" }, [select, el("button", { type: "submit", "class": "btn", text: t("embed-send") })])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(BASE + "/api/v1/reports", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ comment: commentId, reason: select.value })
      }).then(function (r) { return r.ok; }, function () { return false; }).then(function (ok) {
        panel.textContent = "";
        panel.appendChild(el("p", { role: "status", text: ok ? t("embed-reported") : t("embed-failed") }));
      });
    });
    return form;
  }

  /* ---------- the selection: excerpts that lead to the thread ---------- */
  function selection(S) {
    var t = S.w.t;
    var list = el("ol", { "class": "picks" });
    S.thread.highlighted.forEach(function (c) {
      var inThread = S.byId[c.id] || c;
      var li = el("li", { "class": "pick", id: "tribune-pick-" + c.id });
      if (c.editorial && c.editorial.note) li.appendChild(el("p", { "class": "tribune-editorial" }, [el("strong", { text: t("embed-picked") }), " — " + c.editorial.note]));
      li.appendChild(el("blockquote", { "class": "excerpt", lang: c.language || null, text: excerpt(c.content_html, 280) }));
      li.appendChild(el("p", { "class": "src" }, [
        el("span", { "class": "name", text: nameOf(c) }),
        c.staff ? el("span", { "class": "badge staffb", text: t("embed-staff") }) : null,
        " · ", timeEl(S.w, c.published), " · ",
        el("a", { href: "#tribune-c-" + c.id, "class": "go", text: t("embed-read-in-thread"), click: function (e) { e.preventDefault(); reveal(S, c.id); } })
      ]));
      // The newsroom's answers to a pick go with it.
      replies(inThread).filter(function (k) { return k.staff && !k.deleted; }).forEach(function (k) {
        li.appendChild(el("div", { "class": "answer" }, [
          el("p", { "class": "src" }, [el("span", { "class": "badge staffb", text: t("embed-staff-answer") }), " ", el("span", { "class": "name", text: nameOf(k) })]),
          el("p", { "class": "excerpt", text: excerpt(k.content_html, 280) }),
          el("a", { href: "#tribune-c-" + k.id, "class": "go", text: t("embed-read-in-thread"), click: function (e) { e.preventDefault(); reveal(S, k.id); } })
        ]));
      });
      list.appendChild(li);
    });
    return el("section", { "class": "tribune-selection", "aria-labelledby": "tribune-sel" }, [el("h3", { id: "tribune-sel", text: t("embed-selection") }), list]);
  }

  /* ---------- citations: posts that quote the article (FEP-044f) ---------- */
  function citations(S) {
    var t = S.w.t;
    var list = el("ol", { "class": "tribune-list tribune-quotes" }, S.thread.quotes.map(function (q) {
      var content = el("div", { "class": "tribune-content", lang: q.language || null });
      // Sanitised by the server, which also took out the "RE: <link>" fallback.
      content.innerHTML = q.content_html;
      return el("li", { "class": "tribune-quote", id: "tribune-q-" + q.id }, [
        head(q, S, true),
        content,
        el("p", { "class": "src" }, [el("a", { href: q.url || q.ap_id, rel: "nofollow noopener ugc", "class": "go", text: t("embed-quote-open") })])
      ]);
    }));
    return el("section", { "class": "tribune-citations", "aria-labelledby": "tribune-quotes" }, [
      el("h3", { id: "tribune-quotes", text: t("embed-quotes", { n: S.thread.quotes_total }) }), list]);
  }

  /* ---------- going to a comment ---------- */
  function reveal(S, id) {
    if (!S.byId[id]) return;
    var path = [], p = S.byId[id];
    while (p) { path.unshift(p); p = S.parent[p.id]; }
    // Past "continue this thread", show its parent's branch alone.
    var focus = path.length > CONTINUE_DEPTH + 1 ? path[path.length - 2].id : null;
    var top = sorted(S.thread.comments, S.order).indexOf(path[0]);
    var again = focus !== S.focus && (focus || S.focus);
    if (!focus && top >= S.shown) { S.shown = top + PAGE; again = true; }
    path.slice(0, -1).forEach(function (a) { if (!S.open[a.id]) { S.open[a.id] = true; again = true; } });
    S.focus = focus;
    if (again) draw(S);
    var node = S.box.querySelector("#tribune-c-" + id);
    if (!node) return;
    for (var up = node.parentNode; up && up !== S.box; up = up.parentNode) {
      if (up.hidden) {
        up.hidden = false;
        var b = up.previousElementSibling;
        if (b && b.getAttribute("aria-expanded")) { b.setAttribute("aria-expanded", "true"); b.textContent = S.w.t("embed-replies-hide"); }
      }
    }
    node.scrollIntoView({ block: "center" });
    node.focus({ preventScroll: true });
  }

  /* ---------- the thread ---------- */
  function draw(S) {
    var thread = S.thread, w = S.w, t = w.t;
    index(S);
    var section = el("section", { "class": "tribune-main", "aria-labelledby": "tribune-title" });
    section.appendChild(el("h2", { id: "tribune-title", "class": "tribune-title", text: t("comments-count", { n: thread.total }) }));
    var site = thread.site;
    if (site) {
      var mode = el("p", { "class": "tribune-charter" }, [site.mode !== "closed" && site.charter_text ? site.charter_text : t("embed-mode-" + site.mode)]);
      if (site.charter_url) { mode.appendChild(document.createTextNode(" ")); mode.appendChild(el("a", { href: site.charter_url, text: t("embed-charter") })); }
      section.appendChild(mode);
    }
    var articleRx = reactions(thread.article.reactions, t);
    if (articleRx) section.appendChild(articleRx);
    if (!site || site.mode !== "closed") {
      var top = el("div", { "class": "tribune-article-reply" });
      var panel = el("div", { "class": "panel" });
      var btn = el("button", { type: "button", "class": "btn", "aria-expanded": "false", text: t("embed-reply-article") });
      btn.addEventListener("click", function () { toggle(top, panel, btn, function () { return replyForm(thread.article.ap_id, S); }); });
      top.appendChild(btn);
      top.appendChild(panel);
      section.appendChild(top);
    }
    if (thread.highlighted.length) section.appendChild(selection(S));
    var all = el("section", { "class": "tribune-all", "aria-labelledby": "tribune-all" }, [el("h3", { id: "tribune-all", tabindex: "-1", text: t("embed-all") })]);
    var fresh = newIds(S);
    if (fresh.length) {
      var next = el("button", { type: "button", "class": "act", text: t("embed-new-next") });
      next.addEventListener("click", function () {
        S.cursor = (S.cursor + 1) % fresh.length;
        reveal(S, fresh[S.cursor]);
      });
      all.appendChild(el("p", { "class": "news" }, [el("span", { "class": "tribune-news", text: t("embed-new-count", { n: fresh.length }) }), " ", next]));
    }
    if (!thread.comments.length) all.appendChild(el("p", { text: t("embed-empty") }));
    else if (S.focus && S.byId[S.focus]) {
      all.appendChild(el("button", { type: "button", "class": "act", text: "← " + t("embed-back"), click: function () { var id = S.focus; S.focus = null; draw(S); reveal(S, id); } }));
      all.appendChild(el("ol", { "class": "tribune-list" }, [comment(S.byId[S.focus], S, 0)]));
    } else {
      var sortId = "tribune-sort";
      var select = el("select", { id: sortId }, ["oldest", "newest", "replied"].map(function (o) {
        return el("option", { value: o, selected: o === S.order ? "selected" : null, text: t("embed-sort-" + o) });
      }));
      select.addEventListener("change", function () { S.order = select.value; S.shown = PAGE; S.cursor = -1; draw(S); S.box.querySelector("#" + sortId).focus(); });
      all.appendChild(el("p", { "class": "sort" }, [el("label", { "for": sortId, text: t("embed-sort") + " " }), select]));
      var ordered = sorted(thread.comments, S.order);
      all.appendChild(el("ol", { "class": "tribune-list" }, ordered.slice(0, S.shown).map(function (c) { return comment(c, S, 0); })));
      if (ordered.length > S.shown) {
        all.appendChild(el("button", { type: "button", "class": "btn quiet", text: t("embed-more"), click: function () { S.shown += PAGE; draw(S); } }));
      }
    }
    section.appendChild(all);
    if (thread.quotes && thread.quotes.length) section.appendChild(citations(S));
    S.box.textContent = "";
    S.box.appendChild(section);
  }

  function themeOf(root) {
    var themed = root.closest("[data-theme]");
    return themed ? themed.getAttribute("data-theme") : "";
  }

  function load(root) {
    if (root.shadowRoot) return; // the script is on the page twice
    var url = root.getAttribute("data-tribune-thread");
    var shadow = root.attachShadow({ mode: "open" });
    var S = { order: "oldest", shown: PAGE, etag: null, lastSeen: null, thread: null, open: {}, focus: null, cursor: -1 };
    S.lang = pick(root.getAttribute("data-lang") || document.documentElement.lang || navigator.language);
    S.box = el("div", { "class": "tribune " + themeOf(root), lang: S.lang, role: "region", "aria-busy": "true" });
    shadow.appendChild(el("style", { text: CSS }));
    shadow.appendChild(S.box);
    try { S.lastSeen = Number(localStorage.getItem("tribune:seen:" + url)) || null; } catch (e) { /* private mode */ }
    var ready = loadWords(S.lang).then(function (w) {
      S.w = w;
      S.box.setAttribute("aria-label", w.t("embed-region"));
      if (!S.thread) S.box.textContent = w.t("embed-loading");
    });
    function fetchThread(first) {
      var headers = { Accept: "application/json" };
      if (S.etag) headers["If-None-Match"] = S.etag;
      return fetch(BASE + "/api/v1/threads?url=" + encodeURIComponent(url), { headers: headers }).then(function (r) {
        if (r.status === 304) return;
        if (!r.ok) throw new Error(r.status);
        var etag = r.headers.get("ETag");
        return r.json().then(function (thread) {
          return ready.then(function () {
            // Not under a reader's fingers: a form being filled in waits for the next poll.
            if (!first && S.box.querySelector(".panel form")) return;
            S.etag = etag;
            S.thread = thread;
            draw(S);
            S.box.removeAttribute("aria-busy");
            if (first) {
              // This visit is the reference for the next one's "new" markers.
              try { localStorage.setItem("tribune:seen:" + url, String(Math.floor(Date.now() / 1000) * 1000)); } catch (e) { /* private mode */ }
              var m = /^#tribune-(?:c|pick)-(\d+)$/.exec(location.hash);
              if (m) reveal(S, Number(m[1]));
            }
          });
        });
      }).catch(function () {
        if (first) ready.then(function () { S.box.removeAttribute("aria-busy"); S.box.textContent = S.w.t("embed-error"); });
      });
    }
    fetchThread(true).then(function () {
      setInterval(function () {
        if (document.hidden || !S.w) return;
        Array.prototype.forEach.call(S.box.querySelectorAll("time"), function (n) { n.textContent = ago(S.w, new Date(n.getAttribute("datetime"))); });
        fetchThread(false);
      }, POLL_MS);
    });
  }

  function counts(nodes) {
    var urls = [];
    nodes.forEach(function (n) { var u = n.getAttribute("data-tribune-count"); if (urls.indexOf(u) < 0) urls.push(u); });
    if (!urls.length) return;
    var query = urls.map(function (u) { return "url=" + encodeURIComponent(u); }).join("&");
    fetch(BASE + "/api/v1/counts?" + query).then(function (r) { return r.json(); }).then(function (all) {
      nodes.forEach(function (n) {
        var c = all[n.getAttribute("data-tribune-count")];
        loadWords(pick(n.getAttribute("data-lang") || document.documentElement.lang)).then(function (w) {
          n.textContent = w.t("comments-count", { n: c ? c.total : 0 });
        });
      });
    });
  }

  // The stylesheet (assets/embed.css), written in when served. Light and dark defaults;
  // a site overrides any of them with --tribune-* on the element or an ancestor (custom
  // properties inherit into the shadow root).
  var CSS = "/*CSS*/";

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tribune-thread]"), load);
    counts(Array.prototype.slice.call(document.querySelectorAll("[data-tribune-count]")));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
