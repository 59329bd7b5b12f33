import { test, expect, Browser, Page } from "@playwright/test";
import { as } from "./helpers";

/** `YYYY-MM-DDTHH:MM` in China Standard Time, `ms` from now, for a datetime-local input. */
function localInput(ms: number): string {
  return new Date(Date.now() + ms + 8 * 3600_000).toISOString().slice(0, 16);
}

/** A new account, logged in, in its own context (with or without JavaScript). */
async function newAccount(browser: Browser, phone: string, name: string, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto("/register");
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("称呼").fill(name);
  await page.getByLabel("密码", { exact: true }).fill("老巷管家 每周三");
  await page.getByLabel("再次输入密码").fill("老巷管家 每周三");
  await page.getByRole("checkbox").check();
  await page.getByTestId("register-submit").click();
  await expect(page).toHaveURL(/\/account$/);
  return page;
}

test("the marketplace's demo content is there, in Chinese and in English", async ({ browser }) => {
  const zh = await browser.newPage({ locale: "zh-CN" });
  await zh.goto("/market");
  await expect(zh.getByRole("heading", { level: 1 })).toHaveText("五社联动");
  await expect(zh.getByTestId("teams")).toContainText("党旗红");
  await expect(zh.getByTestId("orgs")).toContainText("夕阳红服务社");
  const en = await browser.newPage({ locale: "en-US" });
  await en.goto("/market/social-workers");
  await expect(en.getByRole("heading", { level: 1 })).toHaveText("Social worker directory");
  await expect(en.getByTestId("social-workers")).toContainText("Social worker");
});

test("an org registers, staff verify it, it forms a team and posts an activity; a volunteer signs up, checks in, gets hours and a certificate", async ({ browser }) => {
  test.setTimeout(180_000);
  // A new organization registers itself without JavaScript.
  const org = await newAccount(browser, "13700006601", "巷口张姐", false);
  await org.goto("/market/orgs/new");
  await org.getByLabel("组织名称").fill("巷口邻里互助社");
  await org.locator("#org-kind").selectOption("social_org");
  await org.locator("#org-community").selectOption({ label: "观音井社区" });
  await org.getByLabel("助老").check();
  await org.getByLabel("学用智能手机").check();
  await org.getByLabel("简介").fill("由红旗巷的退休教师发起，陪老人看病、教用智能手机。");
  await org.getByLabel("联系人").fill("张丽");
  await org.getByLabel("联系电话").fill("13800001111");
  await org.getByTestId("submit-org").click();
  await expect(org).toHaveURL(/\/market\/orgs\/\d+$/);
  const orgUrl = org.url();
  await expect(org.getByTestId("org-status")).toHaveText("待审核");

  // The public does not see it before it is verified.
  const visitor = await browser.newPage({ locale: "zh-CN" });
  await visitor.goto(orgUrl);
  await expect(visitor.getByRole("alert")).toBeVisible();

  // 观音井's staff find it on their desk and verify it.
  const staff = await as(browser, "13900000002");
  await staff.goto("/market/staff");
  await staff.getByTestId("pending-orgs").getByRole("link", { name: "巷口邻里互助社" }).click();
  await staff.getByTestId("verify-org").click();
  await expect(staff.getByTestId("org-status")).toHaveText("已认证");
  await expect(staff.getByTestId("org-phone")).toHaveText("13800001111");

  // Now public, with the contact masked. An anonymous page may be up to a second old (the page
  // cache keeps one render a second), and the visitor saw this one moments ago: ask again.
  await expect(async () => {
    await visitor.goto(orgUrl);
    await expect(visitor.getByTestId("org-status")).toHaveText("已认证", { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(visitor.getByTestId("org-phone")).toHaveText("138****1111");
  await expect(visitor.getByTestId("org-contact")).toHaveText("张*");

  // The org forms a team and posts an activity that starts in half an hour.
  await org.goto(orgUrl);
  await org.getByTestId("new-team").click();
  await org.getByLabel("服务队名称").fill("巷口互助队");
  await org.locator("#team-description").fill("每周三上午陪老人去医院复诊。");
  await org.getByTestId("submit-team").click();
  await expect(org).toHaveURL(/\/market\/teams\/\d+$/);
  await org.getByTestId("new-activity").click();
  await org.getByLabel("标题").fill("楼道清洁日");
  await org.getByLabel("地点").fill("红旗巷 3 号院");
  await org.getByLabel("开始时间").fill(localInput(30 * 60_000));
  await org.getByLabel("结束时间").fill(localInput(150 * 60_000));
  await org.getByLabel("名额").fill("5");
  await org.getByLabel("清洁保洁").check();
  await org.locator("#activity-description").fill("清理楼道杂物，擦洗扶手。");
  await org.getByTestId("submit-activity").click();
  await expect(org).toHaveURL(/\/market\/activities\/\d+$/);
  const activityUrl = org.url();
  const code = (await org.getByTestId("checkin-code").textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);

  // A resident joins as a volunteer, signs up and checks in with the code, all without JavaScript.
  const volunteer = await newAccount(browser, "13700006602", "志愿者小李", false);
  await volunteer.goto("/market");
  await volunteer.getByTestId("join-volunteers").click();
  await expect(volunteer).toHaveURL(/\/market\/me$/);
  await expect(volunteer.getByTestId("volunteer-no")).toHaveText(/^BZ\d{11}$/);
  await volunteer.goto(activityUrl);
  await volunteer.getByTestId("sign-up").click();
  await expect(volunteer.getByTestId("my-signup")).toContainText("已报名");
  await volunteer.getByLabel("现场签到码（6 位数字）").fill("000000" === code ? "111111" : "000000");
  await volunteer.getByTestId("check-in").click();
  await expect(volunteer.getByRole("alert")).toContainText("签到码不对");
  await volunteer.getByLabel("现场签到码（6 位数字）").fill(code);
  await volunteer.getByTestId("check-in").click();
  await expect(volunteer.getByTestId("checked-in")).toBeVisible();

  // The organiser confirms two hours.
  await org.goto(activityUrl);
  await org.getByTestId("roster").getByLabel("服务时长（小时）").fill("2");
  await org.getByTestId("confirm-attendance").click();
  await expect(org.getByTestId("confirmed-hours")).toHaveText("2 小时");

  // The volunteer sees the hours and prints a certificate anyone can check.
  await volunteer.goto("/market/me");
  await expect(volunteer.getByTestId("total-hours")).toHaveText("2");
  await expect(volunteer.getByTestId("ledger")).toContainText("楼道清洁日");
  await volunteer.getByTestId("issue-certificate").click();
  await expect(volunteer).toHaveURL(/\/market\/certificate\/BZ\d{11}-001$/);
  await visitor.goto(volunteer.url());
  await expect(visitor.getByTestId("certificate-hours")).toHaveText("2");
  await expect(visitor.getByTestId("certificate")).toContainText("志愿者小李");
});
