// The server-rendered pages (the no-JS thread page, the landing page) on a phone:
// Debian's Chromium at 390 px, axe-core's serious and critical findings, sideways
// scrolling, the width of a reply five deep, unique ids, and the folded long comment.
// usage: node pages.mjs PAGE_URL [SCREENSHOT]   (COLOR_SCHEME=light|dark, LOCALE)
// Prints one JSON object on stdout; tests/browser/pages.rs asserts on it.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [pageUrl, screenshot] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const out = {};
try {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    colorScheme: process.env.COLOR_SCHEME || "light",
    locale: process.env.LOCALE || "fr-FR",
    // Only so that axe-core can be injected into pages with a strict CSP.
    bypassCSP: true,
  });
  const page = await context.newPage();
  const response = await page.goto(pageUrl);
  out.status = response.status();
  out.lang = await page.getAttribute("html", "lang");
  out.heading = await page.textContent("h1");
  out.pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  out.viewportWidth = await page.evaluate(() => document.documentElement.clientWidth);
  out.duplicateIds = await page.evaluate(() => {
    const seen = new Map();
    for (const e of document.querySelectorAll("[id]")) seen.set(e.id, (seen.get(e.id) || 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  // The narrowest comment five levels deep (top level is the first).
  out.deepWidths = await page.$$eval(".thread ol ol ol ol article", (n) => n.map((e) => Math.round(e.getBoundingClientRect().width)));
  out.comments = await page.$$eval(".thread article", (n) => n.length);
  out.picks = await page.$$eval(".picks li", (n) => n.map((e) => ({ id: e.id, link: e.querySelector("a[href^='#comment-']")?.getAttribute("href") })));
  out.pickedInThread = await page.$$eval(".thread .picked", (n) => n.map((e) => e.id));
  out.staffBadges = await page.$$eval(".thread .staff .badge", (n) => n.map((e) => e.textContent));
  out.actionsAreText = await page.$$eval(".act > summary", (n) => n.every((e) => getComputedStyle(e).borderStyle === "none" || getComputedStyle(e).borderTopWidth === "0px"));
  const long = await page.$(".long");
  if (long) {
    out.longContentVisibleBefore = await page.isVisible(".long .content");
    await page.click(".long > summary");
    out.longContentVisibleAfter = await page.isVisible(".long .content");
    out.longExcerptVisibleAfter = await page.isVisible(".long .excerpt");
  }
  if (screenshot) {
    if (long) await page.click(".long > summary");
    await page.screenshot({ path: screenshot, fullPage: true });
  }
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = await page.evaluate(async () => await window.axe.run(document));
  out.violations = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
} catch (e) {
  out.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
