import "server-only";
import type { Db } from "@/lib/db/client";
import { openWindow, type Window } from "@/lib/notify/rules";

// "Expected" is read, not stored: an alert is expected when a maintenance window of its connector
// was open when it started (the router applies the same rule to each change, lib/notify/rules.ts).
// A window planned, moved or deleted later changes the answer, with nothing to rewrite.

export type ExpectedBy = Readonly<{ windowId: number; reason: string; endsAt: Date }>;

export async function expectedAlerts(db: Db, alerts: readonly { id: number; connectorId: number; firstSeenAt: Date }[]): Promise<Map<number, ExpectedBy>> {
  const expected = new Map<number, ExpectedBy>();
  if (alerts.length === 0) return expected;
  const windows = await db.$queryRawUnsafe<(Window & { reason: string })[]>(
    `SELECT id, "connectorId", "startsAt", "endsAt", reason FROM "MaintenanceWindow" WHERE "connectorId" = ANY($1::int[])`,
    [...new Set(alerts.map((a) => a.connectorId))],
  );
  for (const alert of alerts) {
    const window = openWindow(alert.connectorId, alert.firstSeenAt, windows);
    const found = window && windows.find((w) => w.id === window.id);
    if (found) expected.set(alert.id, { windowId: found.id, reason: found.reason, endsAt: found.endsAt });
  }
  return expected;
}
