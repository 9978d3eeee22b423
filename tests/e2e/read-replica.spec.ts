import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { closeDb, createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { READ_AFTER_COOKIE, parseLsn } from "@/lib/db/read-routing";
import { createConnector, createDomain } from "@/tests/helpers/factories";
import { pauseReplay, replayed, resumeReplay } from "@/tests/helpers/replication";
import { createCluster, createReplica, freePort, postgresBin, type Cluster } from "@/tests/helpers/throwaway-cluster";

// The pages read from a streaming replica (docs/replica.md), in a browser against the production
// build: a server of this spec's own (`npm start`'s script) on a throwaway primary with
// DATABASE_READ_URL set to its streaming replica. With the replica's replay paused, the domains
// page after Fix now shows the change (the write's cookie sends the page's read to the primary);
// without that cookie the same page shows the replica's state from before.
test.describe.configure({ mode: "serial", timeout: 120_000 });

const bin = postgresBin();
const SHOTS = "test-results/screenshots";
const ADMIN = { email: "replica-admin@example.test", password: "replica admin password 1" };
let primary: Cluster | undefined;
let replica: Cluster | undefined;
let pdb: Db;
let rdb: Db;
let server: ChildProcess | undefined;
let baseURL: string;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.skip(!bin, "no Postgres installation to make a primary and its replica");
  test.setTimeout(300_000);
  primary = await createCluster(bin!);
  await migrate(primary.url);
  replica = await createReplica(bin!, primary);
  pdb = createDb(primary.url, 2);
  rdb = createDb(replica.url, 2);
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  server = startServer(port);
  await waitForHealth(`${baseURL}/api/health`, 180_000);
  const context = await browser.newContext({ baseURL, locale: "en-US", timezoneId: "UTC", storageState: { cookies: [], origins: [] } });
  page = await context.newPage();
  await page.goto("/sign-in");
  await page.locator("input[type=email]").fill(ADMIN.email);
  await page.locator("input[type=password]").fill(ADMIN.password);
  await page.locator("form button[type=submit]").click();
  await expect(page).toHaveURL(`${baseURL}/`);
});

test.afterAll(async () => {
  try {
    await page?.context().close();
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      process.kill(-server.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    if (pdb) await closeDb(pdb);
    if (rdb) await closeDb(rdb);
  } finally {
    replica?.remove();
    primary?.remove();
  }
});

test("after Fix now the pages show the change at once, while the replica has not replayed it", async () => {
  const onPrem = await createConnector(pdb, { name: "To contoso on-premises", kind: "ON_PREMISES" });
  const relay = await createDomain(pdb, { name: "a.contoso.example", type: "INTERNAL_RELAY", connectorId: onPrem.id });
  const at = new Date();
  const alert = await pdb.alert.create({
    data: { connectorId: onPrem.id, errorCode: "4.4.316", firstSeenAt: at, lastSeenAt: at, eventCount: 3, messageCount: 3, queuedCount: 3, oldestQueuedAt: at },
  });
  await replayed(pdb, rdb);
  await pauseReplay(rdb);
  try {
    // The replica answers the page (no write of this browser's yet): the domain is Internal relay.
    await page.goto("/domains");
    await expect(domainRow(relay.name)).toContainText("Internal relay");

    await page.goto(`/alerts/${alert.id}`);
    await page.getByTestId("fix-now-button").click();
    await page.getByRole("dialog").getByRole("button", { name: "Apply Fix now" }).click();
    await expect(page.getByTestId("remediated-by")).toContainText(/Remediated by /);
    const readAfter = (await page.context().cookies()).find((c) => c.name === READ_AFTER_COOKIE);
    expect(parseLsn(readAfter?.value)).not.toBeNull();
    expect(readAfter).toMatchObject({ httpOnly: true, sameSite: "Lax" });

    // A fresh load of the alert's page and of the domains page: read on the primary.
    await page.reload();
    await expect(page.getByTestId("remediated-by")).toContainText(/Remediated by /);
    await page.goto("/domains");
    await expect(domainRow(relay.name)).toContainText("Authoritative");
    await page.screenshot({ path: `${SHOTS}/replica-domains-after-fix-now.png`, fullPage: true });
    expect((await rdb.acceptedDomain.findUniqueOrThrow({ where: { id: relay.id } })).type).toBe("INTERNAL_RELAY");

    // Without the write's cookie the same page is the paused replica's: before Fix now.
    await page.context().clearCookies({ name: READ_AFTER_COOKIE });
    await page.goto("/domains");
    await expect(domainRow(relay.name)).toContainText("Internal relay");
    await page.screenshot({ path: `${SHOTS}/replica-domains-stale-replica.png`, fullPage: true });
  } finally {
    await resumeReplay(rdb);
  }
  // Replayed, the replica has it too.
  await replayed(pdb, rdb);
  await page.goto("/domains");
  await expect(domainRow(relay.name)).toContainText("Authoritative");
});

function domainRow(name: string) {
  return page.getByRole("row", { name: new RegExp(name.replace(/\./g, "\\.")) });
}

function startServer(port: number): ChildProcess {
  mkdirSync("test-results", { recursive: true });
  const log = createWriteStream(`test-results/read-replica-server-${port}.log`);
  // Its own process group, so the script and the Next server it starts are stopped together.
  const child = spawn("npx", ["tsx", "--conditions=react-server", "scripts/start.ts"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: primary!.url,
      DATABASE_READ_URL: replica!.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      DEMO_DATA: "off",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      DB_POOL_MAX: "5",
      PROBE_INTERVAL_MINUTES: "0",
      LOGIN_MAX_PER_ADDRESS: "500",
      APP_URL: `http://127.0.0.1:${port}`,
    },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function waitForHealth(url: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (server?.exitCode !== null) throw new Error(`the server exited (${server?.exitCode}); see test-results/read-replica-server-*.log`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${withinMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

