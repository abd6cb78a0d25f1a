// The editors' console in Debian's Chromium (playwright-core), with axe-core.
// usage: node editor.mjs PHASE BASE_URL ARTICLE_URL
//   editor:   an editor signs in, sets her name and title, highlights two comments
//             (one with a note), moves the second up, replies to a comment as herself;
//             then the reader's no-JS page (/threads?url=…) shows the reply signed.
//   settings: an admin opens the rules and the blocklists pages.
// Each screen is checked by axe-core at 1280 and 390 px, in French and in English.
// Env: CONSOLE_USER, CONSOLE_PASSWORD; SHOTS (a folder) to write the screenshots.
// Prints one JSON object on stdout; the Rust test (editor.rs) asserts on it.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const [phase, base, articleUrl] = process.argv.slice(2);
const shots = process.env.SHOTS || "";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const out = { phase, axe: {} };

async function session(locale, width) {
  // bypassCSP only so that axe-core can be injected under the console's strict CSP.
  const context = await browser.newContext({ locale, viewport: { width, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/admin`);
  await page.fill("input[name=username]", process.env.CONSOLE_USER);
  await page.fill("input[name=password]", process.env.CONSOLE_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/admin/login'] button[type=submit]")]);
  return { context, page };
}

async function axe(page, key) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = await page.evaluate(async () => await window.axe.run(document));
  out.axe[key] = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) {
    const wide = await page.evaluate(() => [...document.querySelectorAll("body *")]
      .filter((e) => !e.closest(".scroll") && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
    out.axe[key].push({ id: "horizontal-scroll", impact: "serious", nodes: [String(overflow), ...wide] });
  }
}

/// Every screen of `paths`, in both languages and at both widths, through axe-core.
async function checkAll(paths) {
  for (const locale of ["fr-FR", "en-US"]) {
    for (const width of [1280, 390]) {
      const { context, page } = await session(locale, width);
      for (const p of paths) {
        await page.goto(`${base}${p}`);
        await axe(page, `${p} ${locale} ${width}`);
      }
      await context.close();
    }
  }
}

const submit = (page, form) => Promise.all([page.waitForNavigation(), form.locator("button[type=submit]").click()]);

try {
  if (phase === "editor") {
    const { context, page } = await session("fr-FR", 1280);
    await page.goto(`${base}/admin/selection`);
    // Her signature: name and title.
    await page.fill("#display_name", "Léa Martin");
    await page.fill("#title", "cheffe du service Société");
    await submit(page, page.locator("form[action='/admin/profile']"));
    out.saved = await page.textContent("[role=status]");
    // The article, by its title.
    await Promise.all([page.waitForNavigation(), page.click("table.articles a")]);
    out.heading = await page.textContent("h1");
    const ids = await page.$$eval("article.pickable", (n) => n.map((e) => e.id.slice(1)));
    out.comments = ids.length;
    // Highlight the first with a note, then the second without.
    await page.fill(`#pick-note-${ids[0]}`, "Un témoignage de terrain");
    await submit(page, page.locator(`#c${ids[0]} form.pick-form`));
    await submit(page, page.locator(`#c${ids[1]} form.pick-form`));
    out.before = await page.$$eval("ol.picked li", (n) => n.map((e) => e.id.slice(1)));
    // The second moves up, by its button.
    await Promise.all([page.waitForNavigation(), page.click(`#s${ids[1]} button.move-up`)]);
    out.after = await page.$$eval("ol.picked li", (n) => n.map((e) => e.id.slice(1)));
    out.note = await page.inputValue(`#note-${ids[0]}`);
    // Reply to the third comment as herself.
    await page.click(`#c${ids[2]} details.reply summary`);
    await page.fill(`#reply-${ids[2]}`, "Merci pour ce point, nous complétons l'article.");
    await submit(page, page.locator(`#c${ids[2]} details.reply form`));
    out.signedInConsole = await page.$$eval("article.pickable .byline", (n) => n.map((e) => e.textContent.trim()));
    if (shots) await page.screenshot({ path: path.join(shots, "console-selection.png"), fullPage: true });
    const articleId = page.url().split("/admin/selection/")[1].split("#")[0];
    await context.close();
    await checkAll(["/admin/selection", `/admin/selection/${articleId}`]);
    // The reader's page without JavaScript.
    const reader = await browser.newContext({ locale: "fr-FR", javaScriptEnabled: false });
    const readerPage = await reader.newPage();
    await readerPage.goto(`${base}/threads?url=${encodeURIComponent(articleUrl)}`);
    out.readerText = await readerPage.textContent("body");
    await reader.close();
  } else if (phase === "settings") {
    const { context, page } = await session("fr-FR", 1280);
    await page.goto(`${base}/admin/rules`);
    out.rulesHeading = await page.textContent("h1");
    if (shots) await page.screenshot({ path: path.join(shots, "console-rules.png"), fullPage: true });
    await page.goto(`${base}/admin/blocklists`);
    out.blocklistsHeading = await page.textContent("h1");
    out.drafts = await page.$$eval("form[action$='/accept']", (n) => n.length);
    if (shots) await page.screenshot({ path: path.join(shots, "console-blocklists.png"), fullPage: true });
    // Accept the first draft entry, reject the second.
    await submit(page, page.locator("form[action$='/accept']").first());
    await submit(page, page.locator("form[action$='/reject']").first());
    out.draftsAfter = await page.$$eval("form[action$='/accept']", (n) => n.length);
    await context.close();
    await checkAll(["/admin/rules", "/admin/domains", "/admin/reports", "/admin/audit", "/admin/blocklists"]);
  }
} catch (e) {
  out.error = String(e.stack || e);
}
await browser.close();
console.log(JSON.stringify(out));
