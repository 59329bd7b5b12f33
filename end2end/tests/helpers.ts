import { expect, Browser, Page } from "@playwright/test";

/** Waits until the WASM bundle has hydrated the page (the app marks <html data-hydrated>). */
export async function hydrated(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
}

/** The computed font size of an element, in px. */
export async function fontSize(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

export const DEMO_PASSWORD = "linli-demo-2026";

/** A page logged in as a demo account, in its own browser context (with or without JavaScript). */
export async function as(browser: Browser, phone: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/account$/);
  return page;
}
