import { defineConfig } from "@playwright/test";

// Tests run against the release binary on a fresh SQLite database with the demo data,
// in Debian's Chromium (never a downloaded browser).
const port = Number(process.env.E2E_PORT ?? 3100);
const db = "../target/e2e/e2e.db";
const bin = process.env.LINLI_BIN ?? "../target/release/linli";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "zh-CN",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command:
      `rm -rf ../target/e2e && mkdir -p ../target/e2e && ` +
      `DATABASE_URL=sqlite://${db} ${bin} seed-demo && ` +
      `DATABASE_URL=sqlite://${db} LINLI_ADDR=127.0.0.1:${port} LEPTOS_SITE_ROOT=../target/site ` +
      `${bin} serve`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
  },
});
