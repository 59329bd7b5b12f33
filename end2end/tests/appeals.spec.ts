import { test, expect } from "@playwright/test";
import { as } from "./helpers";

/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  "base64",
);

test("a resident files, staff classify, the street dispatches, the department replies, the resident is satisfied", async ({ browser }) => {
  test.setTimeout(120_000);
  // The resident files without JavaScript, in Chinese, and adds a photo.
  const resident = await as(browser, "13900000009", false);
  await resident.goto("/appeals");
  await resident.getByTestId("file-appeal").click();
  await resident.getByTestId("appeal-category").selectOption("leak");
  await resident.getByTestId("appeal-description").fill("2栋厨房窗外的雨水管破裂，下雨时墙面渗水。");
  await resident.getByTestId("submit-appeal").click();
  await expect(resident).toHaveURL(/\/appeals\/\d+$/);
  const url = resident.url();
  await expect(resident.getByTestId("appeal-state")).toHaveText("已受理");
  await resident.getByLabel("添加照片").setInputFiles({ name: "雨水管.png", mimeType: "image/png", buffer: PNG });
  await resident.getByRole("button", { name: "上传" }).click();
  await expect(resident.locator(".photos img")).toHaveCount(1);

  // The public sees it without the reporter or the place.
  const visitor = await browser.newPage();
  await visitor.goto(url);
  await expect(visitor.getByTestId("appeal-description")).toContainText("雨水管破裂");
  await expect(visitor.getByTestId("appeal-private")).toHaveCount(0);

  // Community staff classify it and send it to the street.
  const staff = await as(browser, "13900000002");
  await staff.goto("/appeals/queue");
  await staff.getByTestId("appeal-list").getByRole("link", { name: /漏水渗水/ }).first().click();
  await staff.goto(url);
  await staff.getByTestId("route-escalate").check();
  await staff.getByTestId("do-classify").click();
  await expect(staff.getByTestId("appeal-state")).toHaveText("已分类");

  // The street dispatches it to 住建局 (吹哨派单).
  const street = await as(browser, "13900000004", false);
  await street.goto(url);
  await street.getByTestId("dispatch-department").selectOption({ label: "区住房和城乡建设局" });
  await street.getByTestId("do-dispatch").click();
  await expect(street.getByTestId("appeal-state")).toHaveText("已派单");
  await expect(street.getByTestId("deadline")).toContainText("剩余");

  // The department accepts and replies.
  const dept = await as(browser, "13900000005");
  await dept.goto(url);
  await dept.getByTestId("do-accept").click();
  await expect(dept.getByTestId("appeal-state")).toHaveText("已签收");
  // Replying is offered first (asking for more time is folded below it).
  await dept.getByTestId("reply-text").fill("已更换破裂的雨水管，并对外墙做了防水处理。");
  await dept.getByTestId("do-reply").click();
  await expect(dept.getByTestId("appeal-reply")).toContainText("已更换破裂的雨水管");

  // Staff verify; the resident calls back, satisfied, without JavaScript.
  await staff.goto(url);
  await staff.getByTestId("do-verify").click();
  await expect(staff.getByTestId("appeal-state")).toHaveText("待回访");
  await resident.goto(url);
  await resident.getByTestId("contacted-yes").check();
  await resident.getByTestId("solved-yes").check();
  await resident.getByTestId("satisfied-yes").check();
  await resident.getByTestId("do-callback").click();
  await expect(resident.getByTestId("appeal-state")).toHaveText("已办结");
  await expect(resident.getByTestId("callback-satisfied")).toHaveText("是");
  await expect(resident.getByTestId("appeal-timeline").locator("li")).toHaveCount(7);
});

test("the rates page reads in English, with a chart and a CSV download", async ({ page }) => {
  await page.goto("/appeals/rates");
  await page.getByTestId("switch-language").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("rate-summary")).toContainText("Satisfaction rate");
  await expect(page.getByTestId("rates-chart")).toBeVisible();
  await page.getByTestId("rates-unit").selectOption({ label: "Guanyinjing" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/unit=community%3A\d+/);
  const csv = await page.request.get((await page.getByTestId("rates-csv").getAttribute("href"))!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toContain("total,\"观音井社区\"");
  // Back to Chinese for the tests after this one.
  await page.getByTestId("switch-language").click();
});

test("a department handler's queue shows the demo appeal due soonest", async ({ browser }) => {
  const dept = await as(browser, "13900000005");
  await dept.goto("/appeals/queue");
  await expect(dept.getByTestId("appeal-list")).toContainText("楼道顶棚渗水");
  await expect(dept.getByTestId("appeal-list").getByTestId("deadline").first()).toContainText(/剩余|已超时/);
  // The street sees the overdue one on its 督办 list.
  const street = await as(browser, "13900000004");
  await street.goto("/appeals/overdue");
  await expect(street.getByTestId("appeal-list")).toContainText("私搭彩钢棚");
});
