import { closeDb, createDb } from "@/lib/db/client";
import { deliverDue } from "@/lib/notify/deliver";
import { parseSecretKey } from "@/lib/notify/secrets";
import type { ChannelSender } from "@/lib/notify/types";
import { testWebhookSender } from "@/tests/helpers/notify-receiver";

// A delivering process for the kill -9 test (notify-crash.test.ts): delivers what is due once and
// prints "done". With HANG_AFTER_ACCEPT=1 it prints "accepted" once the receiver answered 2xx and
// then waits, before the deliverer commits, for the test to kill it there.
const db = createDb(process.env.DATABASE_URL ?? "", 2);
const sender: ChannelSender = async (channel, message, signal) => {
  const outcome = await testWebhookSender(channel, message, signal);
  if (outcome.ok && process.env.HANG_AFTER_ACCEPT === "1") {
    process.stdout.write("accepted\n");
    await new Promise(() => setInterval(() => undefined, 1_000));
  }
  return outcome;
};
await deliverDue(db, { senders: { webhook: sender }, appUrl: "http://127.0.0.1:3000", secretKey: parseSecretKey(process.env.NOTIFY_SECRET_KEY ?? ""), concurrency: 1 });
process.stdout.write("done\n");
await closeDb(db);
