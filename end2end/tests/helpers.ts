import { expect, Page } from "@playwright/test";

/** Waits until the WASM bundle has hydrated the page (the app marks <html data-hydrated>). */
export async function hydrated(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
}

/** The computed font size of an element, in px. */
export async function fontSize(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}
