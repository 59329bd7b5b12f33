import { test, expect, Page } from "@playwright/test";
import { hydrated } from "./helpers";

const DEMO_PASSWORD = "linli-demo-2026";

async function login(page: Page, phone: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill(password);
  await page.getByTestId("login-submit").click();
}

test("a resident registers and lands on their account page", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("手机号").fill("13700001111");
  await page.getByLabel("称呼").fill("测试王阿姨");
  await page.getByLabel("密码", { exact: true }).fill("短");
  await page.getByLabel("再次输入密码").fill("短");
  await page.getByRole("checkbox").check();
  // The browser's own minlength check stops this; remove it to see the server's message.
  await page.locator("#reg-password").evaluate((el) => el.removeAttribute("minlength"));
  await page.getByTestId("register-submit").click();
  await expect(page.getByRole("alert")).toHaveText("密码至少需要 8 个字符。");

  // The page came back from the server with the message (the form is a plain post).
  await page.getByLabel("手机号").fill("13700001111");
  await page.getByLabel("称呼").fill("测试王阿姨");
  await page.getByRole("checkbox").check();
  await page.getByLabel("密码", { exact: true }).fill("邻里 守望相助 2026");
  await page.getByLabel("再次输入密码").fill("邻里 守望相助 2026");
  await page.getByTestId("register-submit").click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-name")).toContainText("测试王阿姨");
  await expect(page.getByTestId("roles")).toContainText("居民");
  await expect(page.getByTestId("user-menu")).toHaveText("测试王阿姨");
});

const roles: [string, string][] = [
  ["13900000001", "区级管理员"],
  ["13900000002", "社区工作者"],
  ["13900000003", "网格员"],
  ["13900000004", "街道工作人员"],
  ["13900000005", "职能部门办理人"],
  ["13900000006", "社会组织管理员"],
  ["13900000007", "社工"],
  ["13900000008", "志愿者"],
  ["13900000009", "居民"],
];

test("each demo role logs in and sees its role, then logs out", async ({ page }) => {
  for (const [phone, role] of roles) {
    await login(page, phone, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId("roles")).toContainText(role);
    await hydrated(page);
    await page.getByTestId("logout").click();
    await expect(page.locator(".user-menu").getByRole("link", { name: "登录" })).toBeVisible();
  }
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("log in, see the role, wrong password message, log out", async ({ page }) => {
    await login(page, "13900000002", "not the password");
    await expect(page.getByRole("alert")).toHaveText("手机号或密码不正确。");
    await login(page, "13900000002", DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId("roles")).toContainText("社区工作者");
    await page.getByTestId("logout").click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator(".user-menu").getByRole("link", { name: "登录" })).toBeVisible();
  });

  test("register, then change the password", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("手机号").fill("13700002222");
    await page.getByLabel("称呼").fill("无脚本李叔");
    await page.getByLabel("密码", { exact: true }).fill("老巷管家 每周三");
    await page.getByLabel("再次输入密码").fill("老巷管家 每周三");
    await page.getByRole("checkbox").check();
    await page.getByTestId("register-submit").click();
    await expect(page).toHaveURL(/\/account$/);
    await page.locator("#cp-current").fill("老巷管家 每周三");
    await page.getByLabel("新密码").fill("银发红盾 守望相助");
    await page.locator("#cp-confirm").fill("银发红盾 守望相助");
    await page.getByRole("button", { name: "修改密码" }).click();
    await expect(page.getByRole("status")).toHaveText("密码已修改，其他设备上的登录已退出。");
  });
});

test.describe("staff and admin work without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a resident declares a home, the grid worker verifies it, the admin grants a role", async ({ page, browser }) => {
    // Resident registers and declares a home in 观音井社区.
    await page.goto("/register");
    await page.getByLabel("手机号").fill("13700003333");
    await page.getByLabel("称呼").fill("核实测试张姐");
    await page.getByLabel("密码", { exact: true }).fill("老巷管家 每周三");
    await page.getByLabel("再次输入密码").fill("老巷管家 每周三");
    await page.getByRole("checkbox").check();
    await page.getByTestId("register-submit").click();
    await page.getByLabel("所在楼栋").selectOption({ index: 0 });
    await page.getByRole("button", { name: "保存住址" }).click();
    await expect(page.getByTestId("home")).toContainText("待社区或网格员核实");

    // The grid worker of that grid sees and verifies them.
    const staff = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
    const sp = await staff.newPage();
    await sp.goto("/login");
    await sp.getByLabel("手机号").fill("13900000003");
    await sp.getByLabel("密码").fill(DEMO_PASSWORD);
    await sp.getByTestId("login-submit").click();
    await sp.getByTestId("role-menu").getByRole("link", { name: "核实居民" }).click();
    const row = sp.getByTestId("pending").locator("li", { hasText: "核实测试张姐" });
    await expect(row).toContainText("13700003333");
    await row.getByRole("button", { name: "核实" }).click();
    await expect(sp.getByTestId("pending").locator("li", { hasText: "核实测试张姐" })).toHaveCount(0);

    await page.reload();
    await expect(page.getByTestId("home")).toContainText("已核实");

    // The admin makes them a volunteer.
    await sp.getByTestId("logout").click();
    await sp.goto("/login");
    await sp.getByLabel("手机号").fill("13900000001");
    await sp.getByLabel("密码").fill(DEMO_PASSWORD);
    await sp.getByTestId("login-submit").click();
    await sp.getByTestId("role-menu").getByRole("link", { name: "身份管理" }).click();
    await sp.getByLabel("手机号").fill("13700003333");
    await sp.getByRole("button", { name: "查找账号" }).click();
    await expect(sp.getByTestId("roles-account")).toContainText("137****3333");
    await sp.getByLabel("身份").selectOption("volunteer");
    await sp.getByRole("button", { name: "授予身份" }).click();
    await expect(sp.getByTestId("grants")).toContainText("志愿者");
    await staff.close();

    await page.reload();
    await expect(page.getByTestId("roles")).toContainText("志愿者");

    // Both changes reached the resident's inbox.
    await expect(page.getByTestId("bell")).toContainText("2");
    await page.getByTestId("bell").click();
    await expect(page.getByTestId("notifications")).toContainText("您的住址已经核实");
    await expect(page.getByTestId("notifications")).toContainText("您获得了新的身份：志愿者。");
    await page.getByTestId("mark-all-read").click();
    await expect(page.getByTestId("bell")).not.toContainText("2");
  });
});

test("the admin adds a grid and edits a community's support threshold", async ({ page }) => {
  await login(page, "13900000001", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto("/admin/places");
  await hydrated(page);
  await page.locator("#ng-community").selectOption({ label: "东城街道 · 观音井社区" });
  await page.locator("#ng-name").fill("第九网格");
  await page.getByRole("button", { name: "新增网格" }).click();
  await expect(page.getByTestId("places")).toContainText("观音井社区 · 老旧院落型 · 网格 3");

  await page.getByTestId("places").locator("summary", { hasText: "观音井社区" }).click();
  const edit = page.getByTestId("places").locator("details", { hasText: "观音井社区" });
  await edit.getByLabel("附议门槛（人）").fill("12");
  await edit.getByRole("button", { name: "保存" }).click();
  await page.goto("/admin/places");
  await page.getByTestId("places").locator("summary", { hasText: "观音井社区" }).click();
  await expect(edit.getByLabel("附议门槛（人）")).toHaveValue("12");
});
