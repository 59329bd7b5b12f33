import { test, expect } from "@playwright/test";
import { hydrated, fontSize } from "./helpers";

test("home page loads and hydrates: a toggle works without a reload", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("欢迎来到邻里");
  await expect(page.getByText("观音井社区")).toBeVisible();
  await hydrated(page);

  // A marker on window survives only if the click is handled in place (no navigation).
  await page.evaluate(() => ((window as any).__linli_marker = 42));
  await page.getByTestId("toggle-elder").click();
  await expect(page.locator("html")).toHaveClass(/elder/);
  expect(await page.evaluate(() => (window as any).__linli_marker)).toBe(42);
});

test("language switch persists across pages and reloads", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByTestId("switch-language").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome to Linli");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  await page.locator(".main-nav").getByRole("link", { name: "Discussion hall", exact: true }).click();
  await expect(page).toHaveURL(/\/hall$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Neighbourhood discussion hall");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Neighbourhood discussion hall");

  // And back to Chinese.
  await hydrated(page);
  await page.getByTestId("switch-language").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("邻里议事厅");
});

test("elder mode persists and enlarges text and targets", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const normal = await fontSize(page, "main p");
  expect(normal).toBeGreaterThanOrEqual(16);
  const normalTarget = await page.getByTestId("toggle-elder").evaluate((el) => el.getBoundingClientRect().height);
  expect(normalTarget).toBeGreaterThanOrEqual(44);

  await page.getByTestId("toggle-elder").click();
  await expect(page.locator("html")).toHaveClass(/elder/);
  await page.goto("/market");
  const large = await fontSize(page, "main p");
  expect(large).toBeGreaterThanOrEqual(18);
  expect(large).toBeGreaterThan(normal);
  const lineHeight = await page.locator("main p").first().evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  expect(lineHeight / large).toBeGreaterThanOrEqual(1.5);
  for (const link of await page.locator(".main-nav a").all()) {
    expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(60);
  }
});

test("the phone layout does not scroll sideways", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const path of ["/", "/hall", "/appeals"]) {
    await page.goto(path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, path).toBeLessThanOrEqual(360);
  }
  await context.close();
});

test("a missing page shows the 404 page", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("页面不存在");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("navigation, language and elder mode work as plain links and forms", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("欢迎来到邻里");
    await page.locator(".main-nav").getByRole("link", { name: "诉求", exact: true }).click();
    await expect(page).toHaveURL(/\/appeals$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("诉求办理");

    await page.getByTestId("switch-language").click();
    await expect(page).toHaveURL(/\/appeals/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Appeals");
    await page.locator(".main-nav").getByRole("link", { name: "Service menu", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Service menu");

    await page.getByTestId("toggle-elder").click();
    await expect(page.locator("html")).toHaveClass(/elder/);
    expect(await fontSize(page, "main p")).toBeGreaterThanOrEqual(18);
    await page.getByTestId("toggle-elder").click();
    await expect(page.locator("html")).not.toHaveClass(/elder/);
  });
});
