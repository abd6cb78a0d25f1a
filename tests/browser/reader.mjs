// The reader's screens of the embed, in Debian's Chromium (playwright-core): a hostile
// site stylesheet, a phone, 200 comments, both languages and themes, the reply panel.
// usage: node reader.mjs PHASE PAGE_URL PROFILE_DIR [SCREENSHOT] [ARG]
// The page URL takes ?lang=, ?theme= and ?hostile=1 (see reader.rs). Prints one JSON
// object on stdout; the Rust test asserts on it.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [phase, pageUrl, profile, screenshot, arg] = process.argv.slice(2);
const mobile = phase === "mobile";

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  colorScheme: process.env.COLOR_SCHEME || "light",
  viewport: mobile ? { width: 390, height: 844 } : { width: 900, height: 1200 },
  deviceScaleFactor: 1,
  timezoneId: "Europe/Paris",
  bypassCSP: true,
});
const page = context.pages()[0] || (await context.newPage());
const out = { phase };

// Inside the embed's shadow root.
const inEmbed = (fn, a) => page.evaluate(([src, a]) => {
  const root = document.querySelector("[data-tribune-thread]").shadowRoot;
  return new Function("root", "a", src)(root, a);
}, [fn, a]);

const PROPS = ["display", "position", "float", "color", "background-color", "font-style", "font-weight",
  "font-size", "font-family", "line-height", "letter-spacing", "word-spacing", "text-transform", "text-align",
  "white-space", "margin-top", "margin-left", "padding-top", "padding-left", "border-top-width",
  "border-left-width", "box-sizing", "list-style-type", "visibility", "text-decoration-line", "width"];
const PROBES = [".tribune", ".tribune-title", ".tribune-charter", ".tribune-article-reply .btn", ".tribune-comment",
  ".head", ".name", ".meta", ".badge", ".tribune-content p", ".tribune-content a", ".act", ".replies", ".av",
  ".excerpt", ".tribune-selection", "select", ".tribune-all h3", "time"];

async function styles(url) {
  await page.goto(url);
  await page.waitForSelector(".tribune-title", { timeout: 15000 });
  return inEmbed(`const out = {};
    for (const sel of a.probes) {
      const n = root.querySelector(sel);
      if (!n) { out[sel] = null; continue; }
      const s = getComputedStyle(n);
      out[sel] = Object.fromEntries(a.props.map((p) => [p, s.getPropertyValue(p)]));
    }
    return out;`, { probes: PROBES, props: PROPS });
}

async function axe() {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = await page.evaluate(async () => await window.axe.run(document.querySelector("[data-tribune-thread]")));
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
}

async function open(url) {
  await page.goto(url);
  await page.waitForSelector(".tribune-title", { timeout: 15000 });
}

const activeId = () => page.evaluate(() => {
  const a = document.querySelector("[data-tribune-thread]").shadowRoot.activeElement;
  return a ? a.getAttribute("name") || a.id || a.tagName : null;
});

try {
  if (phase === "styles") {
    // The same embed with and without a publisher's stylesheet that restyles every
    // element it can name: nothing of it reaches the shadow root.
    const sep = pageUrl.includes("?") ? "&" : "?";
    const plain = await styles(pageUrl);
    const hostile = await styles(pageUrl + sep + "hostile=1");
    out.differences = [];
    for (const sel of PROBES) {
      if (!plain[sel]) { out.differences.push(`${sel}: missing`); continue; }
      for (const p of PROPS) {
        // The host is wider or narrower on a hostile page; lengths inside follow it.
        if (p === "width") continue;
        if (plain[sel][p] !== hostile[sel][p]) out.differences.push(`${sel} ${p}: ${plain[sel][p]} → ${hostile[sel][p]}`);
      }
    }
    out.probes = Object.keys(plain).filter((k) => plain[k]).length;
    out.headerShown = await inEmbed("return getComputedStyle(root.querySelector('.head')).display !== 'none';");
    out.hostileApplied = await page.evaluate(() => getComputedStyle(document.querySelector("main > p")).textTransform);
  } else if (phase === "mobile") {
    await open(pageUrl);
    // Every branch opened, as a reader who reads it all would.
    await inEmbed("root.querySelectorAll('.fold[aria-expanded=false]').forEach((b) => b.click());");
    Object.assign(out, await inEmbed(`
      const doc = document.documentElement;
      const depth = (n) => { let d = 0; for (let p = n.parentElement; p; p = p.parentElement) if (p.matches('ol.replies:not(.flat)')) d++; return d; };
      const comments = [...root.querySelectorAll('.tribune-comment')];
      const widths = comments.map((c) => ({ depth: depth(c), indented: (() => { let d = 0; for (let p = c.parentElement; p; p = p.parentElement) if (p.matches('ol.replies')) d++; return d; })(), width: Math.round(c.getBoundingClientRect().width) }));
      const heads = [...root.querySelectorAll('.head')].map((h) => {
        const av = h.querySelector('.av').getBoundingClientRect(), name = h.querySelector('.name').getBoundingClientRect();
        return av.right <= name.left && name.top < av.bottom && name.bottom > av.top;
      });
      return {
        scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
        deepest: Math.max(...widths.map((w) => w.indented)),
        narrowestDeep: Math.min(...widths.filter((w) => w.indented >= 5).map((w) => w.width)),
        narrowest: Math.min(...widths.map((w) => w.width)),
        avatarsBesideNames: heads.filter(Boolean).length, heads: heads.length,
        continueThread: [...root.querySelectorAll('button')].map((b) => b.textContent).filter((t) => /Continuer cette discussion|Continue this thread/.test(t)),
        actions: [...root.querySelectorAll('.acts')][0].textContent,
        actionBorder: getComputedStyle(root.querySelector('.act')).borderTopStyle,
      };`));
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  } else if (phase === "look") {
    await open(pageUrl);
    Object.assign(out, await inEmbed(`
      const box = root.querySelector('.tribune');
      const text = (s) => { const n = root.querySelector(s); return n ? n.textContent : null; };
      const staff = root.querySelector('.tribune-comment.staff');
      const staffItem = staff && staff.closest('li');
      return {
        lang: box.getAttribute('lang'),
        background: getComputedStyle(box).backgroundColor,
        color: getComputedStyle(box).color,
        title: text('.tribune-title'), reply: text('.tribune-article-reply .btn'),
        all: text('.tribune-all h3'), selection: text('.tribune-selection h3'),
        pickIds: [...root.querySelectorAll('.pick')].map((n) => n.id),
        excerpts: [...root.querySelectorAll('.pick > .excerpt')].map((n) => n.textContent),
        pickBadges: [...root.querySelectorAll('.tribune-list .pickb')].map((n) => n.closest('article').id),
        staffAnswerInSelection: text('.pick .answer .badge'),
        // The newsroom's answer: the first reply under the comment it answers, shown.
        staffFirstUnderParent: !!staffItem && staffItem.parentElement.matches('ol.replies') && staffItem === staffItem.parentElement.firstElementChild && staffItem.parentElement.offsetParent !== null,
        staffBadge: staff && staff.querySelector('.badge') ? staff.querySelector('.badge').textContent : null,
        staffName: staff ? staff.querySelector('.name').textContent : null,
        times: [...root.querySelectorAll('.tribune-list time')].map((t) => t.textContent),
        readMore: [...root.querySelectorAll('.more')].map((b) => b.textContent),
        ids: [...root.querySelectorAll('[id]')].map((n) => n.id),
        hostIds: [...document.querySelectorAll('[id]')].map((n) => n.id),
      };`));
    out.duplicateIds = out.ids.filter((id, i) => out.ids.indexOf(id) !== i);
    out.violations = await axe();
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    // "Lire dans la discussion" leads to the thread's copy of the pick.
    const link = page.locator(".pick .go").first();
    await link.click();
    out.afterPickLink = await activeId();
  } else if (phase === "panel") {
    await open(pageUrl);
    await page.click(".tribune-article-reply .btn");
    out.focused = await activeId();
    out.explanation = await inEmbed("return [...root.querySelectorAll('.fedi')].map((p) => p.textContent);");
    out.joinUrl = await inEmbed("return root.querySelector('.fedi a').href;");
    const say = async (handle) => {
      await page.fill(".tribune-article-reply input[name=handle]", handle);
      await page.press(".tribune-article-reply input[name=handle]", "Enter");
      await page.waitForFunction(() => {
        const s = document.querySelector("[data-tribune-thread]").shadowRoot.querySelector(".said");
        return s && s.classList.contains("err");
      }, null, { timeout: 20000 });
      const said = await inEmbed("const s = root.querySelector('.said'); const i = root.querySelector('input[name=handle]'); s.classList.remove('err'); return { text: s.textContent, invalid: i.getAttribute('aria-invalid'), focus: root.activeElement && root.activeElement.name };");
      return said;
    };
    out.format = await say("Jean Dupont");
    out.unknown = await say(arg);
    out.url = page.url();
    await page.fill(".tribune-article-reply input[name=handle]", arg);
    await inEmbed("const s = root.querySelector('.said'); s.textContent = a; s.classList.add('err');", out.unknown.text);
    out.violations = await axe();
    if (screenshot) {
      const box = await page.locator(".tribune-article-reply").boundingBox();
      await page.screenshot({ path: screenshot, clip: { x: 0, y: Math.max(0, box.y - 120), width: 900, height: box.height + 160 } });
    }
  } else if (phase === "visit") {
    await open(pageUrl);
    out.comments = await page.$$eval(".tribune-comment", (n) => n.length);
  } else if (phase === "many") {
    await open(pageUrl);
    Object.assign(out, await inEmbed(`
      const all = [...root.querySelectorAll('.tribune-comment')];
      return {
        title: root.querySelector('.tribune-title').textContent,
        rendered: all.length,
        visible: all.filter((n) => n.offsetParent !== null).length,
        foldButtons: [...root.querySelectorAll('.fold')].map((b) => b.textContent).slice(0, 3),
        readMore: root.querySelectorAll('.more').length,
        moreButton: !!root.querySelector('.quiet'),
        news: root.querySelector('.tribune-news') ? root.querySelector('.tribune-news').textContent : null,
        newMarkers: root.querySelectorAll('.tribune-new').length,
      };`));
    out.jumps = [];
    for (let i = 0; i < 3; i++) {
      await page.click(".news .act");
      const id = await activeId();
      const seen = await inEmbed(`const n = root.getElementById(a); if (!n) return null; const r = n.getBoundingClientRect();
        return { isNew: !!n.querySelector('.tribune-new'), inView: r.top >= 0 && r.top < innerHeight, shown: n.offsetParent !== null };`, id);
      out.jumps.push({ id, ...seen });
    }
  }
} catch (e) {
  out.error = String(e && e.stack || e);
}
await context.close();
console.log(JSON.stringify(out));
