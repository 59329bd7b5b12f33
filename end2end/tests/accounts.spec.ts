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
    await page.getByLabel("当前密码").fill("老巷管家 每周三");
    await page.getByLabel("新密码").fill("银发红盾 守望相助");
    await page.locator("#cp-confirm").fill("银发红盾 守望相助");
    await page.getByRole("button", { name: "修改密码" }).click();
    await expect(page.getByRole("status")).toHaveText("密码已修改，其他设备上的登录已退出。");
  });
});
