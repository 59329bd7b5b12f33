// Screenshots of pages at phone and desktop widths, normal and elder mode, in both languages.
// Usage: node screenshots.mjs [path ...]   (BASE_URL and OUT from the environment)
import { chromium } from "@playwright/test";
import { mkdirSync } from "node:fs";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const out = process.env.OUT ?? "screenshots";
const paths = process.argv.slice(2).length ? process.argv.slice(2) : ["/", "/hall", "/no-such-page"];
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const host = new URL(base).hostname;
for (const [device, viewport] of [["phone", { width: 360, height: 780 }], ["desktop", { width: 1280, height: 900 }]]) {
  for (const lang of ["zh", "en"]) {
    for (const elder of [false, true]) {
      const context = await browser.newContext({ viewport });
      await context.addCookies([
        { name: "i18n_pref_locale", value: lang, domain: host, path: "/" },
        { name: "linli_elder", value: elder ? "1" : "0", domain: host, path: "/" },
      ]);
      const page = await context.newPage();
      // LOGIN_PHONE: log in as that demo account first (password linli-demo-2026).
      if (process.env.LOGIN_PHONE) {
        await page.goto(base + "/login");
        await page.fill("#login-phone", process.env.LOGIN_PHONE);
        await page.fill("#login-password", process.env.LOGIN_PASSWORD ?? "linli-demo-2026");
        await page.click("[data-testid=login-submit]");
        await page.waitForURL(/\/account/);
      }
      for (const path of paths) {
        await page.goto(base + path);
        const name = `${path.replace(/\W+/g, "_") || "_"}-${device}-${lang}${elder ? "-elder" : ""}.png`;
        await page.screenshot({ path: `${out}/${name}`, fullPage: true });
        console.log(`${out}/${name}`);
      }
      await context.close();
    }
  }
}
await browser.close();
