import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { deliverDue } from "@/lib/notify/deliver";
import { routeTransitions } from "@/lib/notify/router";
import { newSecretKey, parseSecretKey } from "@/lib/notify/secrets";
import { createConnector } from "@/tests/helpers/factories";
import { createChannel, createRule } from "@/tests/helpers/notify";
import { startReceiver, testWebhookSender, type Receiver } from "@/tests/helpers/notify-receiver";
import { createCluster, postgresBin, type Cluster } from "@/tests/helpers/throwaway-cluster";

// A database restart between writing and delivering loses nothing: a cluster of the test's own is
// stopped (as by a crash, then cleanly) after the alert's change committed and again after routing;
// while it is down routing and delivering fail and are tried again; once it is back the
// notification is delivered, once.
const bin = postgresBin();
let cluster: Cluster;
let db: Db;
let receiver: Receiver;
const key = parseSecretKey(newSecretKey());
beforeAll(async () => {
  if (!bin) return;
  cluster = await createCluster(bin);
  await migrate(cluster.url);
  db = createDb(cluster.url, 2);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  if (db) await closeDb(db);
  cluster?.remove();
});

/** Runs `work` until it succeeds: the pool's connections to the stopped server fail first. */
async function eventually<T>(work: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (i > 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe.skipIf(!bin)("a database restart", () => {
  it("between the change and routing, and between routing and delivery, loses no notification", { timeout: 120_000 }, async () => {
    const c = await createConnector(db);
    const ch = await createChannel(db, key, receiver.url);
    await createRule(db, ch.id);
    await db.alert.create({ data: { connectorId: c.id, errorCode: "4.4.316", firstSeenAt: new Date(), lastSeenAt: new Date() } });

    cluster.stop("immediate");
    await expect(routeTransitions(db)).rejects.toThrow();
    cluster.start();
    await eventually(() => routeTransitions(db));
    const written = await db.notification.findFirstOrThrow();
    expect(written.state).toBe("PENDING");

    cluster.stop("fast");
    const options = { senders: { webhook: testWebhookSender }, appUrl: "http://127.0.0.1:3000", secretKey: key };
    await expect(deliverDue(db, options)).rejects.toThrow();
    expect(receiver.keys).toEqual([]);
    cluster.start();
    expect(await eventually(() => deliverDue(db, options))).toBe(1);
    expect(await db.notification.findFirstOrThrow()).toMatchObject({ state: "DELIVERED", attempts: 1 });
    expect(receiver.accepted).toEqual([written.key]);
  });

  it("lost while the receiver accepts: the commit fails, and the notification is sent again with the same key", { timeout: 120_000 }, async () => {
    await db.$executeRawUnsafe(`TRUNCATE "Notification", "NotificationRule", "NotificationChannel" CASCADE`);
    receiver.accepted.length = 0;
    const c = await createConnector(db);
    const ch = await createChannel(db, key, receiver.url);
    await createRule(db, ch.id);
    await db.alert.create({ data: { connectorId: c.id, errorCode: "4.7.320", firstSeenAt: new Date(), lastSeenAt: new Date() } });
    await routeTransitions(db);
    const written = await db.notification.findFirstOrThrow();
    receiver.answers.push((res) => {
      cluster.stop("fast");
      receiver.accepted.push(written.key);
      res.writeHead(200).end("ok");
    });
    const options = { senders: { webhook: testWebhookSender }, appUrl: "http://127.0.0.1:3000", secretKey: key, concurrency: 1 };
    await expect(deliverDue(db, options)).rejects.toThrow();
    cluster.start();
    expect(await eventually(() => deliverDue(db, options))).toBe(1);
    expect(await db.notification.findFirstOrThrow()).toMatchObject({ state: "DELIVERED", attempts: 1 });
    expect(receiver.accepted).toEqual([written.key, written.key]);
  });
});
