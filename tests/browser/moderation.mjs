// The moderator's flow in Debian's Chromium (playwright-core): sign in, filter by
// author, bulk hide with a reason, undo, open a comment, close an article; axe-core on
// every screen (serious and critical findings), the page's width checked.
// usage: node moderation.mjs BASE_URL USER PASSWORD LOCALE SCHEME WIDTH [SHOTS_DIR]
// Prints one JSON object on stdout; tests/browser/moderation.rs asserts on it.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [base, user, password, locale, scheme, width, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({
  locale,
  colorScheme: scheme,
  viewport: { width: parseInt(width, 10), height: 900 },
  // Only so that axe-core can be injected into pages with a strict CSP.
  bypassCSP: true,
});
const page = await context.newPage();
const out = { violations: {}, overflow: {} };

async function audit(name) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = await page.evaluate(async () => await window.axe.run(document));
  out.violations[name] = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
  out.overflow[name] = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}
async function shot(name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}
const items = () => page.$$eval(".queue-item", (n) => n.length);
const heldCount = () => page.textContent("nav.tabs a[data-tab=held] .count").then((t) => parseInt(t, 10));

try {
  await page.goto(`${base}/admin`);
  out.loginLang = await page.getAttribute("html", "lang");
  out.loginButton = (await page.textContent("form.login button")).trim();
  await audit("login");
  await page.fill("input[name=username]", user);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForNavigation(), page.click("form.login button[type=submit]")]);
  await page.waitForSelector(".queue-item");
  out.lang = await page.getAttribute("html", "lang");
  out.queued = await items();
  out.held = await heldCount();
  out.rule = (await page.textContent(".queue-item .hit")).trim();
  await audit("queue");
  await shot("console-queue");

  // The confirmation dialog of a deletion opens and closes without deleting.
  const del = await page.$(".queue-item a[data-dialog]");
  if (del) {
    await del.click();
    out.dialogOpen = await page.evaluate(() => !!document.querySelector("dialog[open]"));
    await page.click("dialog[open] button[data-close]");
    out.dialogClosed = await page.evaluate(() => !document.querySelector("dialog[open]"));
  }

  // Filter by author.
  await page.fill("form.filters input[name=author]", "bob");
  await Promise.all([page.waitForNavigation(), page.click("form.filters button[type=submit]")]);
  out.filtered = await items();

  // Bulk hide two with a reason and a note, then undo.
  const boxes = await page.$$("input.pick");
  await boxes[0].check();
  await boxes[1].check();
  await page.selectOption("form#bulk select[name=action]", "hide");
  await page.selectOption("form#bulk select[name=reason]", "abusive");
  await page.fill("form#bulk input[name=note]", "insultes");
  await Promise.all([page.waitForNavigation(), page.click("#bulk-submit")]);
  out.flash = (await page.textContent("#flash p")).trim();
  out.afterBulk = await items();
  await audit("flash");
  await Promise.all([page.waitForNavigation(), page.click("#undo")]);
  out.undone = (await page.textContent("#flash p")).trim();
  out.afterUndo = await items();

  // A comment in its context.
  await Promise.all([page.waitForNavigation(), page.click(".queue-item a[href^='/admin/comments/']")]);
  out.authorCard = (await page.textContent("aside.author")).includes("@bob@");
  await audit("comment");
  await shot("console-comment");

  // Close the article.
  await page.goto(`${base}/admin/articles`);
  await page.selectOption("form.mode-form select[name=mode]", "closed");
  await Promise.all([page.waitForNavigation(), page.click("form.mode-form button[type=submit]")]);
  out.mode = await page.$eval("form.mode-form select[name=mode]", (s) => s.value);
  await audit("articles");
  await shot("console-articles");
} catch (e) {
  out.error = String(e && e.stack || e);
}
await browser.close();
console.log(JSON.stringify(out));
