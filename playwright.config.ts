import { randomBytes } from "node:crypto";
import { defineConfig, devices } from "@playwright/test";
import { EMPTY_ORG, stateFile } from "./tests/e2e/auth-state";
import { LAB_CA_FILE, LAB_DIR } from "./tests/e2e/lab-files";

// Browser tests run Debian's Chromium against the production build, served by the same
// `npm start` script users run, on a throw-away Postgres database made for this run.
// Playwright starts webServer before globalSetup, so the database cannot be made in
// globalSetup: its name is chosen here (workers load this file too and inherit the name through
// the environment), start.ts creates it, and global-setup.ts drops it after the run.

// E2E_PORT lets a second run (or a developer's own server on 3100) coexist; the second server,
// for an organisation that starts empty (no demo data, a first admin from the environment),
// listens on the next port.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const HOST = "127.0.0.1";
const runId = `${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
process.env.E2E_DATABASE_NAME ??= `mf_e2e_${runId}`;
process.env.E2E_EMPTY_DATABASE_NAME ??= `mf_e2e_empty_${runId}`;
process.env.E2E_EMPTY_BASE_URL ??= `http://${HOST}:${PORT + 1}`;

function databaseUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${name}`;
  return url.toString();
}

const server = (port: number, env: Record<string, string>) => ({
  command: "npx tsx --conditions=react-server scripts/start.ts",
  // 503 until migrated and seeded: Playwright waits for a 2xx.
  url: `http://${HOST}:${port}/api/health`,
  timeout: 240_000,
  reuseExistingServer: !process.env.CI,
  gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
  env: {
    DB_POOL_MAX: "5",
    HOST,
    PORT: String(port),
    // Every test signs in from 127.0.0.1: keep the per-address limit out of their way.
    LOGIN_MAX_PER_ADDRESS: "500",
    // Validations reach only the fault lab (tests/lab/serve.ts): smart hosts written as loopback
    // addresses, its CA trusted, and any name lookup sent to a loopback port where nothing answers,
    // so no DNS query can leave the machine. No scheduled probe runs during the tests.
    PROBE_CA_FILE: LAB_CA_FILE,
    PROBE_DNS_SERVERS: "127.0.0.1:9",
    PROBE_INTERVAL_MINUTES: "0",
    // Notification links point here; without it nothing is delivered (docs/notifications.md).
    APP_URL: `http://${HOST}:${port}`,
    ...env,
  },
});

export default defineConfig({
  testDir: "tests/e2e",
  // Maps `server-only` to its empty module: the fixtures open the database through lib/db/client.ts,
  // and the runner does not load modules under the react-server condition.
  tsconfig: "./tests/e2e/tsconfig.json",
  outputDir: "test-results",
  globalSetup: "./tests/e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Generous: the 2-core machine may be busy, and a slow page is a benchmark figure, not a test failure.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://${HOST}:${PORT}`,
    locale: "en-US",
    timezoneId: "UTC",
    // Signed in as the admin (made by global-setup.ts); tests of other roles pick their own state.
    storageState: stateFile("ADMIN"),
    screenshot: "on",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: ["--disable-gpu", "--disable-quic", "--no-sandbox"],
        },
      },
    },
  ],
  webServer: [
    // First, so its CA file and addresses exist before the app servers start.
    {
      name: "lab",
      command: `npx tsx tests/lab/serve.ts ${LAB_DIR}`,
      wait: { stdout: /lab ready/ },
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM" as const, timeout: 5_000 },
    },
    server(PORT, { DATABASE_URL: databaseUrl(process.env.E2E_DATABASE_NAME), DEMO_DATA: "on" }),
    server(PORT + 1, {
      DATABASE_URL: databaseUrl(process.env.E2E_EMPTY_DATABASE_NAME),
      DEMO_DATA: "off",
      ADMIN_EMAIL: EMPTY_ORG.email,
      ADMIN_PASSWORD: EMPTY_ORG.password,
    }),
  ],
});
