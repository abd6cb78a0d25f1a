// Drives Debian's Chromium (playwright-core) on a publisher page that embeds Tribune.
// usage: node embed.mjs PHASE PAGE_URL PROFILE_DIR [SCREENSHOT]
//   render: what the reader sees, the "Nouveau" markers, axe-core's serious findings
//   reply:  keyboard only, "Répondre depuis votre compte du fédivers" → handle → where
//           the browser lands
// Prints one JSON object on stdout; the Rust test asserts on it.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [phase, pageUrl, profile, screenshot, handle] = process.argv.slice(2);

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  colorScheme: process.env.COLOR_SCHEME || "light",
  viewport: { width: 900, height: 1400 },
  // The embed says times in the reader's zone.
  timezoneId: process.env.TIMEZONE || "Europe/Paris",
  // Only so that axe-core can be injected into pages with a strict CSP.
  bypassCSP: true,
});
const page = context.pages()[0] || (await context.newPage());
const out = { phase };
try {
  if (phase === "console") {
    // A moderator signs in, approves the held comment with the keyboard, and the
    // reader's page shows it.
    await page.goto(process.env.CONSOLE_URL);
    await page.fill("input[name=username]", process.env.CONSOLE_USER);
    await page.fill("input[name=password]", process.env.CONSOLE_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    await page.waitForSelector(".queue-item");
    out.queued = await page.$$eval(".queue-item", (n) => n.length);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const results = await page.evaluate(async () => await window.axe.run(document));
    out.violations = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
    await Promise.all([page.waitForNavigation(), page.keyboard.press("a")]);
    out.queuedAfter = await page.$$eval(".queue-item", (n) => n.length);
  }
  await page.goto(pageUrl);
  await page.waitForSelector(".tribune-title", { timeout: 15000 });
  if (phase === "render") {
    out.title = await page.textContent(".tribune-title");
    out.charter = await page.textContent(".tribune-charter");
    out.selectionHeading = await page.textContent(".tribune-selection h3").catch(() => null);
    // The embed renders in an open shadow root: playwright's CSS selectors pierce it.
    out.highlighted = await page.$$eval(".tribune-selection .excerpt", (n) => n.map((e) => e.textContent));
    out.editorial = await page.$$eval(".tribune-editorial", (n) => n.map((e) => e.textContent));
    out.allHeading = await page.textContent(".tribune-all h3");
    out.comments = await page.$$eval(".tribune-all .tribune-comment", (n) => n.length);
    out.newMarkers = await page.$$eval(".tribune-all .tribune-new", (n) => n.length);
    out.times = await page.$$eval(".tribune-all time", (n) => n.map((e) => e.textContent));
    out.scripts = await page.$$eval(".tribune-content script", (n) => n.length);
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const results = await page.evaluate(async () => await window.axe.run(document.querySelector("[data-tribune-thread]")));
    out.violations = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  } else if (phase === "console") {
    out.comments = await page.$$eval(".tribune-all .tribune-comment", (n) => n.length);
  } else if (phase === "reply") {
    // Keyboard only: tab to the article's reply button, open it, type, submit.
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press("Tab");
      found = await page.evaluate(() => {
        const a = document.activeElement && document.activeElement.shadowRoot ? document.activeElement.shadowRoot.activeElement : null;
        return !!a && a.closest(".tribune-article-reply") !== null && a.tagName === "BUTTON";
      });
    }
    out.reachedByKeyboard = found;
    await page.keyboard.press("Enter");
    out.focusedAfterOpen = await page.evaluate(() => document.activeElement.shadowRoot.activeElement.getAttribute("name"));
    await page.keyboard.type(handle);
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.isNavigationRequest() && !r.url().startsWith(pageUrl), { timeout: 15000 }),
      page.keyboard.press("Enter"),
    ]);
    out.landedOn = request.url();
  }
} catch (e) {
  out.error = String(e);
}
await context.close();
console.log(JSON.stringify(out));
