/*! Tribune embed: the comment thread of an article, from Tribune's thread API.
 * Usage: <div data-tribune-thread="https://news.example/article"></div>
 *        <span data-tribune-count="https://news.example/article"></span>
 *        <script src="https://comments.example/embed.js" async></script>
 * Only `content_html` is inserted as HTML: the server sanitised it (ammonia, Mastodon's
 * subset). Everything else goes in as text. Licence: AGPL-3.0-or-later. */
(function () {
  "use strict";
  var script = document.currentScript;
  var BASE = script ? new URL(script.src).origin : "";
  var PAGE = 20;
  var POLL_MS = 30000;

  var STRINGS = {
    fr: {
      comments: function (n) { return n === 0 ? "Aucun commentaire" : n === 1 ? "1 commentaire" : n + " commentaires"; },
      selection: "Sélection de la rédaction",
      highlightedBy: "La rédaction a mis en valeur ce commentaire",
      all: "Tous les commentaires",
      sort: "Trier", oldest: "Les plus anciens", newest: "Les plus récents", replied: "Les plus répondus",
      more: "Voir plus de commentaires", edited: "modifié", isNew: "Nouveau", staff: "La rédaction",
      reply: "Répondre depuis votre compte du fédivers", replyShort: "Répondre",
      handle: "Votre compte (nom@instance) ou votre instance", go: "Continuer",
      copy: "Ou copiez ce lien dans la recherche de votre instance :",
      report: "Signaler", reportReason: "Motif du signalement", send: "Envoyer", cancel: "Annuler",
      reported: "Merci, le signalement a été transmis.", failed: "Échec, réessayez plus tard.",
      deleted: "Commentaire supprimé.", removed: "Commentaire retiré par la modération",
      cw: "Avertissement de contenu", attachment: "Pièce jointe",
      modes: {
        post: "Les commentaires sont publiés sans modération a priori, merci de respecter notre charte.",
        pre: "Les commentaires sont relus avant publication, merci de respecter notre charte.",
        closed: "Les commentaires sont fermés."
      },
      charter: "Lire la charte",
      reasons: { off_topic: "hors sujet", repeated: "répété", promotional: "promotionnel", abusive: "grossier", illegal: "illicite", other: "autre" },
      empty: "Soyez la première personne à répondre depuis le fédivers.",
      loading: "Chargement des commentaires…", error: "Les commentaires n'ont pas pu être chargés."
    },
    en: {
      comments: function (n) { return n === 0 ? "No comments" : n === 1 ? "1 comment" : n + " comments"; },
      selection: "Editors' picks",
      highlightedBy: "The newsroom highlighted this comment",
      all: "All comments",
      sort: "Sort", oldest: "Oldest first", newest: "Newest first", replied: "Most replied",
      more: "Show more comments", edited: "edited", isNew: "New", staff: "Newsroom",
      reply: "Reply from your fediverse account", replyShort: "Reply",
      handle: "Your account (name@instance) or your instance", go: "Continue",
      copy: "Or paste this link into your instance's search:",
      report: "Report", reportReason: "Reason", send: "Send", cancel: "Cancel",
      reported: "Thank you, your report was sent.", failed: "That failed, please try again later.",
      deleted: "Comment deleted.", removed: "Comment removed by the moderators",
      cw: "Content warning", attachment: "Attachment",
      modes: {
        post: "Comments are published without prior moderation; please follow our charter.",
        pre: "Comments are reviewed before publication; please follow our charter.",
        closed: "Comments are closed."
      },
      charter: "Read the charter",
      reasons: { off_topic: "off topic", repeated: "repeated", promotional: "promotional", abusive: "abusive", illegal: "illegal", other: "other" },
      empty: "Be the first to reply from the fediverse.",
      loading: "Loading comments…", error: "The comments could not be loaded."
    }
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "class") node.className = attrs[k];
        else if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function lang(root, thread) {
    var l = root.getAttribute("data-lang") || (thread && thread.site && thread.site.language) || document.documentElement.lang || "fr";
    return STRINGS[l.slice(0, 2)] ? l.slice(0, 2) : "en";
  }

  function when(iso, l) {
    var d = new Date(iso);
    return new Intl.DateTimeFormat(l === "fr" ? "fr-FR" : "en-GB", {
      day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit"
    }).format(d).replace(",", "");
  }

  function seenKey(url) { return "tribune:seen:" + url; }

  function count(nodes) {
    var n = 0;
    nodes.forEach(function (c) { n += 1 + count(c.children); });
    return n;
  }

  function sorted(nodes, order) {
    var copy = nodes.slice();
    if (order === "newest") copy.reverse();
    if (order === "replied") copy.sort(function (a, b) { return count(b.children) - count(a.children); });
    return copy;
  }

  /* ---------- one comment ---------- */
  function comment(c, ctx, inSelection) {
    var t = ctx.t;
    var art = el("article", { "class": "tribune-comment", id: "comment-" + c.id, "aria-label": c.author ? (c.author.name || c.author.handle) : t.deleted });
    if (c.deleted) {
      var reason = c.removed_reason ? t.removed + " (" + (t.reasons[c.removed_reason] || c.removed_reason) + ")." : t.deleted;
      var p = el("p", { "class": "tribune-placeholder" }, [reason]);
      if (c.removed_reason && ctx.thread.site && ctx.thread.site.charter_url) {
        p.appendChild(document.createTextNode(" "));
        p.appendChild(el("a", { href: ctx.thread.site.charter_url, text: t.charter }));
      }
      art.appendChild(p);
    } else {
      var head = el("header", { "class": "tribune-head" });
      if (c.author && c.author.avatar) {
        var avatar = el("img", { "class": "tribune-avatar", src: c.author.avatar, alt: "", width: "40", height: "40", loading: "lazy" });
        avatar.addEventListener("error", function () { avatar.remove(); });
        head.appendChild(avatar);
      }
      var who = el("span", { "class": "tribune-who" });
      if (c.author) {
        who.appendChild(el("a", { "class": "tribune-name", href: c.author.url || "#", rel: "nofollow noopener ugc", text: c.author.name || c.author.handle }));
        who.appendChild(el("span", { "class": "tribune-handle", text: " " + c.author.handle }));
      }
      if (c.staff) who.appendChild(el("span", { "class": "tribune-badge tribune-staff", text: t.staff }));
      head.appendChild(who);
      var time = el("a", { "class": "tribune-time", href: c.url || ("#comment-" + c.id) }, [el("time", { datetime: c.published, text: when(c.published, ctx.lang) })]);
      head.appendChild(time);
      if (c.edited) head.appendChild(el("span", { "class": "tribune-edited", text: " (" + t.edited + ")" }));
      if (ctx.lastSeen && Date.parse(c.published) > ctx.lastSeen) head.appendChild(el("span", { "class": "tribune-badge tribune-new", text: t.isNew }));
      art.appendChild(head);
      if (c.editorial && inSelection) {
        var note = el("p", { "class": "tribune-editorial" }, [el("strong", { text: t.highlightedBy }), c.editorial.note ? " — " + c.editorial.note : ""]);
        art.appendChild(note);
      }
      var body = el("div", { "class": "tribune-content", lang: c.language || null });
      // Sanitised by the server (see the header of this file).
      body.innerHTML = c.content_html;
      if (c.summary) {
        var details = el("details", { "class": "tribune-cw" }, [el("summary", { text: t.cw + " : " + c.summary })]);
        details.appendChild(body);
        art.appendChild(details);
      } else {
        art.appendChild(body);
      }
      if (c.attachments && c.attachments.length) {
        var list = el("ul", { "class": "tribune-attachments" });
        c.attachments.forEach(function (a) {
          list.appendChild(el("li", null, [el("a", { href: a.url, rel: "nofollow noopener ugc", text: a.alt || t.attachment })]));
        });
        art.appendChild(list);
      }
      if (!inSelection) art.appendChild(actions(c, ctx));
    }
    if (!inSelection && c.children && c.children.length) {
      var replies = el("ol", { "class": "tribune-replies" });
      c.children.forEach(function (child) { replies.appendChild(el("li", null, [comment(child, ctx, false)])); });
      art.appendChild(replies);
    }
    return art;
  }

  /* ---------- reply and report ---------- */
  function actions(c, ctx) {
    var t = ctx.t;
    var bar = el("div", { "class": "tribune-actions" });
    var replyBtn = el("button", { type: "button", "class": "tribune-button", "aria-expanded": "false", text: t.replyShort });
    var reportBtn = el("button", { type: "button", "class": "tribune-button tribune-quiet", "aria-expanded": "false", text: t.report });
    var panel = el("div", { "class": "tribune-panel" });
    replyBtn.addEventListener("click", function () { toggle(panel, replyBtn, function () { return replyForm(c.ap_id, ctx); }); });
    reportBtn.addEventListener("click", function () { toggle(panel, reportBtn, function () { return reportForm(c.id, ctx, panel); }); });
    bar.appendChild(replyBtn);
    bar.appendChild(reportBtn);
    bar.appendChild(panel);
    return bar;
  }

  function toggle(panel, button, build) {
    var open = button.getAttribute("aria-expanded") === "true";
    panel.textContent = "";
    Array.prototype.forEach.call(panel.parentNode.querySelectorAll("button[aria-expanded]"), function (b) { b.setAttribute("aria-expanded", "false"); });
    if (!open) {
      var form = build();
      panel.appendChild(form);
      button.setAttribute("aria-expanded", "true");
      var first = form.querySelector("input, select");
      if (first) first.focus();
    }
  }

  function replyForm(uri, ctx) {
    var t = ctx.t;
    var id = "tribune-h-" + Math.random().toString(36).slice(2);
    var input = el("input", { id: id, name: "handle", type: "text", autocomplete: "username", placeholder: "nom@mastodon.social", required: "required" });
    try { input.value = localStorage.getItem("tribune:handle") || ""; } catch (e) { /* private mode */ }
    var form = el("form", { "class": "tribune-form", action: BASE + "/interact", method: "get" }, [
      el("label", { "for": id, text: t.handle }), input,
      el("input", { type: "hidden", name: "uri", value: uri }),
      el("button", { type: "submit", "class": "tribune-button", text: t.go }),
      el("p", { "class": "tribune-copy" }, [t.copy + " ", el("code", { text: uri })])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var handle = input.value.trim();
      if (!handle) return;
      try { localStorage.setItem("tribune:handle", handle); } catch (e) { /* private mode */ }
      fetch(BASE + "/interact?uri=" + encodeURIComponent(uri) + "&handle=" + encodeURIComponent(handle), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (answer) { window.location.assign(answer.url); })
        .catch(function () { form.appendChild(el("p", { role: "alert", text: t.failed })); });
    });
    return form;
  }

  function reportForm(commentId, ctx, panel) {
    var t = ctx.t;
    var id = "tribune-r-" + Math.random().toString(36).slice(2);
    var select = el("select", { id: id, name: "reason" });
    Object.keys(t.reasons).forEach(function (k) { select.appendChild(el("option", { value: k, text: t.reasons[k] })); });
    var form = el("form", { "class": "tribune-form" }, [
      el("label", { "for": id, text: t.reportReason }), select,
      el("button", { type: "submit", "class": "tribune-button", text: t.send })
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(BASE + "/api/v1/reports", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ comment: commentId, reason: select.value })
      }).then(function (r) {
        panel.textContent = "";
        panel.appendChild(el("p", { role: "status", text: r.ok ? t.reported : t.failed }));
      });
    });
    return form;
  }

  /* ---------- the thread ---------- */
  function render(root, state) {
    var thread = state.thread, t = state.t;
    var ctx = { t: t, lang: state.lang, lastSeen: state.lastSeen, thread: thread };
    var section = el("section", { "class": "tribune", "aria-labelledby": "tribune-title" });
    section.appendChild(el("h2", { id: "tribune-title", "class": "tribune-title", text: t.comments(thread.total) }));
    if (thread.site) {
      var words = thread.site.mode !== "closed" && thread.site.charter_text ? thread.site.charter_text : t.modes[thread.site.mode] || "";
      var mode = el("p", { "class": "tribune-charter" }, [words]);
      if (thread.site.charter_url) { mode.appendChild(document.createTextNode(" ")); mode.appendChild(el("a", { href: thread.site.charter_url, text: t.charter })); }
      section.appendChild(mode);
    }
    if (!thread.site || thread.site.mode !== "closed") {
      var top = el("div", { "class": "tribune-actions tribune-article-reply" });
      var btn = el("button", { type: "button", "class": "tribune-button", "aria-expanded": "false", text: t.reply });
      var panel = el("div", { "class": "tribune-panel" });
      btn.addEventListener("click", function () { toggle(panel, btn, function () { return replyForm(thread.article.ap_id, ctx); }); });
      top.appendChild(btn); top.appendChild(panel);
      section.appendChild(top);
    }
    if (thread.highlighted.length) {
      var picks = el("section", { "class": "tribune-selection", "aria-labelledby": "tribune-selection" }, [el("h3", { id: "tribune-selection", text: t.selection })]);
      var plist = el("ol", { "class": "tribune-list" });
      thread.highlighted.forEach(function (c) { plist.appendChild(el("li", null, [comment(c, ctx, true)])); });
      picks.appendChild(plist);
      section.appendChild(picks);
    }
    var all = el("section", { "class": "tribune-all", "aria-labelledby": "tribune-all" }, [el("h3", { id: "tribune-all", text: t.all })]);
    if (!thread.comments.length) all.appendChild(el("p", { text: t.empty }));
    else {
      var sortId = "tribune-sort-" + Math.random().toString(36).slice(2);
      var select = el("select", { id: sortId });
      ["oldest", "newest", "replied"].forEach(function (o) { var opt = el("option", { value: o, text: t[o] }); if (o === state.order) opt.selected = true; select.appendChild(opt); });
      select.addEventListener("change", function () { state.order = select.value; state.shown = PAGE; render(root, state); var s = root.querySelector("#" + sortId); if (s) s.focus(); });
      all.appendChild(el("p", { "class": "tribune-sort" }, [el("label", { "for": sortId, text: t.sort + " " }), select]));
      var list = el("ol", { "class": "tribune-list" });
      var ordered = sorted(thread.comments, state.order);
      ordered.slice(0, state.shown).forEach(function (c) { list.appendChild(el("li", null, [comment(c, ctx, false)])); });
      all.appendChild(list);
      if (ordered.length > state.shown) {
        var more = el("button", { type: "button", "class": "tribune-button tribune-more", text: t.more });
        more.addEventListener("click", function () { state.shown += PAGE; render(root, state); });
        all.appendChild(more);
      }
    }
    section.appendChild(all);
    root.textContent = "";
    root.appendChild(section);
  }

  function load(root) {
    var url = root.getAttribute("data-tribune-thread");
    var state = { order: "oldest", shown: PAGE, etag: null, lastSeen: null, thread: null };
    try { state.lastSeen = Number(localStorage.getItem(seenKey(url))) || null; } catch (e) { /* private mode */ }
    var l0 = lang(root, null);
    root.setAttribute("aria-busy", "true");
    root.textContent = STRINGS[l0].loading;
    function fetchThread(first) {
      var headers = { Accept: "application/json" };
      if (state.etag) headers["If-None-Match"] = state.etag;
      return fetch(BASE + "/api/v1/threads?url=" + encodeURIComponent(url), { headers: headers }).then(function (r) {
        if (r.status === 304) return;
        if (!r.ok) throw new Error(r.status);
        state.etag = r.headers.get("ETag");
        return r.json().then(function (thread) {
          state.thread = thread;
          state.lang = lang(root, thread);
          state.t = STRINGS[state.lang];
          render(root, state);
          root.removeAttribute("aria-busy");
          if (first) {
            // This visit is the reference for the next one's "Nouveau" markers.
            try { localStorage.setItem(seenKey(url), String(Date.now())); } catch (e) { /* private mode */ }
          }
        });
      }).catch(function () {
        if (first) { root.removeAttribute("aria-busy"); root.textContent = STRINGS[l0].error; }
      });
    }
    fetchThread(true).then(function () {
      setInterval(function () { if (!document.hidden) fetchThread(false); }, POLL_MS);
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
        var l = lang(n, null);
        n.textContent = STRINGS[l].comments(c ? c.total : 0);
      });
    });
  }

  function style() {
    if (document.getElementById("tribune-style")) return;
    var css = ".tribune{padding:1rem;--tribune-fg:#1b1b1b;--tribune-bg:#fff;--tribune-muted:#595959;--tribune-accent:#0b57d0;--tribune-line:#d0d0d0;--tribune-pick:#fff6d6;color:var(--tribune-fg);background:var(--tribune-bg);font:inherit;line-height:1.5}" +
      "@media (prefers-color-scheme:dark){.tribune{--tribune-fg:#ececec;--tribune-bg:#161616;--tribune-muted:#b5b5b5;--tribune-accent:#8ab4f8;--tribune-line:#3c3c3c;--tribune-pick:#3a3320}}" +
      "[data-theme=dark] .tribune{--tribune-fg:#ececec;--tribune-bg:#161616;--tribune-muted:#b5b5b5;--tribune-accent:#8ab4f8;--tribune-line:#3c3c3c;--tribune-pick:#3a3320}" +
      "[data-theme=light] .tribune{--tribune-fg:#1b1b1b;--tribune-bg:#fff;--tribune-muted:#595959;--tribune-accent:#0b57d0;--tribune-line:#d0d0d0;--tribune-pick:#fff6d6}" +
      ".tribune a{color:var(--tribune-accent)}.tribune-list,.tribune-replies{list-style:none;margin:0;padding:0}.tribune-replies{margin-left:1.25rem;border-left:2px solid var(--tribune-line);padding-left:1rem}" +
      ".tribune-comment{padding:.75rem 0;border-top:1px solid var(--tribune-line)}.tribune-head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}" +
      ".tribune-avatar{border-radius:50%;width:40px;height:40px}.tribune-handle,.tribune-time,.tribune-edited,.tribune-charter{color:var(--tribune-muted);font-size:.9em}" +
      ".tribune-badge{font-size:.75em;font-weight:700;border-radius:.25rem;padding:.05rem .35rem;background:var(--tribune-accent);color:var(--tribune-bg)}" +
      ".tribune-selection{background:var(--tribune-pick);padding:.5rem 1rem;border-radius:.5rem;margin:1rem 0}.tribune-editorial{font-size:.9em}" +
      ".tribune-button{font:inherit;cursor:pointer;border:1px solid var(--tribune-accent);color:var(--tribune-accent);background:transparent;border-radius:.375rem;padding:.25rem .6rem;margin-right:.5rem}" +
      ".tribune-quiet{border-color:var(--tribune-line);color:var(--tribune-muted)}.tribune-form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}" +
      ".tribune input,.tribune select{font:inherit;color:var(--tribune-fg);background:var(--tribune-bg);border:1px solid var(--tribune-muted);border-radius:.25rem;padding:.2rem .4rem}" +
      ".tribune :focus-visible{outline:3px solid var(--tribune-accent);outline-offset:2px}.tribune-placeholder{color:var(--tribune-muted);font-style:italic}";
    var node = el("style", { id: "tribune-style", text: css });
    document.head.appendChild(node);
  }

  function start() {
    var threads = document.querySelectorAll("[data-tribune-thread]");
    if (threads.length) style();
    Array.prototype.forEach.call(threads, load);
    counts(Array.prototype.slice.call(document.querySelectorAll("[data-tribune-count]")));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
