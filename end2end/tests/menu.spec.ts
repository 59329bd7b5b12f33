import { test, expect } from "@playwright/test";
import { as } from "./helpers";

/** The volunteer's total service hours on their record page. */
async function totalHours(page: import("@playwright/test").Page): Promise<number> {
  await page.goto("/market/me");
  return Number((await page.getByTestId("total-hours").textContent())!.trim());
}

test("the menu reads in Chinese and in English", async ({ browser }) => {
  const zh = await as(browser, "13900000009");
  await zh.goto("/menu");
  await expect(zh.getByTestId("menu-items")).toContainText("老年助餐配送");
  await expect(zh.getByTestId("menu-items")).toContainText("党员送餐上门");
  const en = await browser.newPage({ locale: "en-US" });
  await en.goto("/menu/wishes");
  await expect(en.getByRole("heading", { level: 1 })).toHaveText("Wish list");
});

test("a resident orders 助餐 without JavaScript, the 党旗红 team delivers it, she rates it and the volunteer's hours grow", async ({ browser }) => {
  test.setTimeout(120_000);
  // The team's leader, 周志愿者, notes his hours first (the demo gives him some already).
  const leader = await as(browser, "13900000008");
  const before = await totalHours(leader);

  // 陈阿姨 (born 1956, verified in 观音井) orders with JavaScript off, in Chinese.
  const resident = await as(browser, "13900000009", false);
  await resident.goto("/menu");
  await resident.getByTestId("menu-items").getByRole("link", { name: "党员送餐上门" }).click();
  await expect(resident).toHaveURL(/\/menu\/items\/\d+$/);
  await resident.getByLabel("备注（可不填，例如：请先打电话）").fill("不吃辣，到楼下先打电话");
  await resident.getByTestId("order-me").click();
  await expect(resident).toHaveURL(/\/menu\/orders/);
  const mine = resident.getByTestId("order").filter({ hasText: "党员送餐上门" }).filter({ hasText: "不吃辣" });
  await expect(mine.getByTestId("order-status")).toHaveText("已下单，等待接单");

  // The leader takes it in the team's queue, starts and completes it (also without JavaScript).
  const queue = await as(browser, "13900000008", false);
  await queue.goto("/menu/queue");
  const card = queue.getByTestId("order").filter({ hasText: "不吃辣，到楼下先打电话" });
  // He may give it to one of the team's members; he takes it himself. The assignee sees the
  // address the resident's home gives.
  expect(await card.getByTestId("assignee").locator("option").count()).toBeGreaterThan(2);
  await card.getByTestId("accept-order").click();
  await expect(card.getByTestId("order-status")).toHaveText("已接单");
  await expect(card.getByTestId("order-address")).toBeVisible();
  await card.getByTestId("start-order").click();
  await expect(card.getByTestId("order-status")).toHaveText("服务中");
  await card.getByTestId("complete-order").click();
  await expect(card.getByTestId("order-status")).toHaveText("已完成，请评价");

  // 陈阿姨 confirms and gives four stars with a word of thanks.
  await resident.goto("/menu/orders");
  await mine.getByLabel("4 星").check();
  await mine.getByLabel("想说的话（可不填）").fill("饭菜还是热的，谢谢小周");
  await mine.getByTestId("confirm-order").click();
  await expect(mine.getByTestId("order-status")).toHaveText("已评价");
  await expect(mine).toContainText("饭菜还是热的，谢谢小周");
  await expect(mine.getByTestId("confirm-order")).toHaveCount(0);

  // Half an hour of service went to the volunteer's ledger.
  expect(await totalHours(leader)).toBeCloseTo(before + 0.5, 1);
  await expect(leader.getByTestId("ledger")).toContainText("党员送餐上门");
});
