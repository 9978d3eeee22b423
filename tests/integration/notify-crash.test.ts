import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { routeTransitions } from "@/lib/notify/router";
import { newSecretKey, parseSecretKey } from "@/lib/notify/secrets";
import { createConnector } from "@/tests/helpers/factories";
import { createChannel, createRule } from "@/tests/helpers/notify";
import { startReceiver, type Receiver } from "@/tests/helpers/notify-receiver";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

// kill -9 of a delivering process: before the receiver accepted, the notification is sent again
// and accepted once; between the receiver's acceptance and our commit, it is accepted twice, with
// the same key; after the commit, never again.
let t: TestDatabase;
let db: Db;
let receiver: Receiver;
const secretKey = newSecretKey();
beforeAll(async () => { t = await createTestDatabase(); db = t.db; });
afterAll(async () => { await t?.drop(); });
beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "Notification", "NotificationRule", "NotificationChannel", "AlertTransition", "Alert", "Connector" RESTART IDENTITY CASCADE`);
  receiver = await startReceiver();
});
afterEach(async () => { await receiver.close(); });

async function oneNotification() {
  const c = await createConnector(db);
  const ch = await createChannel(db, parseSecretKey(secretKey), receiver.url);
  await createRule(db, ch.id);
  await db.alert.create({ data: { connectorId: c.id, errorCode: "4.4.316", firstSeenAt: new Date(), lastSeenAt: new Date() } });
  await routeTransitions(db);
  return db.notification.findFirstOrThrow();
}

function deliverer(hangAfterAccept = false): { child: ChildProcess; output: Promise<string> } {
  // node with tsx's loader, not the tsx command, which runs the script in a second process that a kill of the first would leave behind.
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/helpers/notify-deliver-child.ts"], {
    env: { ...process.env, DATABASE_URL: t.url, NOTIFY_SECRET_KEY: secretKey, HANG_AFTER_ACCEPT: hangAfterAccept ? "1" : "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => { text += chunk.toString(); });
  return { child, output: once(child, "exit").then(() => text) };
}

async function killed(child: ChildProcess) {
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

/** Runs the deliverer until the notification is delivered: the killed process's lock goes when Postgres sees its connection close. */
async function deliverUntilDone() {
  for (let i = 0; i < 50; i++) {
    await deliverer().output;
    if ((await db.notification.findFirstOrThrow()).state === "DELIVERED") return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("never delivered");
}

it("killed before the receiver accepted: sent again with the same key, accepted once", { timeout: 60_000 }, async () => {
  const n = await oneNotification();
  receiver.answers.push("hang");
  const arrived = receiver.nextRequest();
  const { child } = deliverer();
  await arrived;
  await killed(child);
  await deliverUntilDone();
  expect(receiver.keys).toEqual([n.key, n.key]);
  expect(receiver.accepted).toEqual([n.key]);
  expect(await db.notification.findFirstOrThrow()).toMatchObject({ state: "DELIVERED", attempts: 1 });
});

it("killed between the receiver's acceptance and the commit: accepted twice, with the same key; after the commit, never again", { timeout: 60_000 }, async () => {
  const n = await oneNotification();
  const { child } = deliverer(true);
  await new Promise<void>((resolve) => child.stdout?.on("data", (chunk: Buffer) => { if (chunk.toString().includes("accepted")) resolve(); }));
  await killed(child);
  expect(await db.notification.findFirstOrThrow()).toMatchObject({ state: "PENDING", attempts: 0 });
  await deliverUntilDone();
  expect(receiver.accepted).toEqual([n.key, n.key]);
  expect(await deliverer().output).toContain("done");
  expect(receiver.keys).toHaveLength(2);
});
