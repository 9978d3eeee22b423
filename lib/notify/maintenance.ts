import "server-only";
import type { Db } from "@/lib/db/client";
import { expectedWindow, type Window } from "@/lib/notify/rules";

// "Expected" is read, not stored (lib/notify/rules.ts expectedWindow): an alert is expected while
// a maintenance window of its connector is open and the alert is, or when one was open when the
// alert started. A window planned, moved or deleted later changes the answer, with nothing to
// rewrite. One query per page of alerts, on the few windows of its connectors that end after
// the oldest alert started.

export type ExpectedBy = Readonly<{ windowId: number; reason: string; endsAt: Date }>;

export type ExpectableAlert = Readonly<{ id: number; connectorId: number; firstSeenAt: Date; resolvedAt: Date | null }>;

export async function expectedAlerts(db: Db, alerts: readonly ExpectableAlert[], now = new Date()): Promise<Map<number, ExpectedBy>> {
  const expected = new Map<number, ExpectedBy>();
  if (alerts.length === 0) return expected;
  const oldest = new Date(Math.min(...alerts.map((a) => a.firstSeenAt.getTime())));
  const windows = await db.$queryRawUnsafe<(Window & { reason: string })[]>(
    `SELECT id, "connectorId", "startsAt", "endsAt", reason FROM "MaintenanceWindow" WHERE "connectorId" = ANY($1::int[]) AND "endsAt" > $2`,
    [...new Set(alerts.map((a) => a.connectorId))],
    oldest,
  );
  if (windows.length === 0) return expected;
  for (const alert of alerts) {
    const window = expectedWindow(alert, windows, now);
    if (window) expected.set(alert.id, { windowId: window.id, reason: window.reason, endsAt: window.endsAt });
  }
  return expected;
}
