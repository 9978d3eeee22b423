import { describe, expect, it } from "vitest";
import { fieldsBefore, planAlertAction, type ActionAlert } from "@/lib/alerts/action-rules";
import { alertActionBodySchema } from "@/lib/alerts/action-schemas";
import { AppError } from "@/lib/http/errors";

const now = new Date("2026-11-27T12:00:00Z");
const active: ActionAlert = {
  status: "ACTIVE",
  queuedCount: 12,
  acknowledgedBy: null,
  acknowledgedAt: null,
  dismissedBy: null,
  dismissedReason: null,
  snoozedUntil: null,
  snoozedQueued: null,
};
const snoozed: ActionAlert = { ...active, status: "SNOOZED", snoozedUntil: new Date("2026-11-27T18:00:00Z"), snoozedQueued: 12 };

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("alert actions", () => {
  it("acknowledge makes the alert Investigating under the actor's name, ending a snooze", () => {
    expect(planAlertAction(active, { action: "acknowledge" }, "ada", now)).toEqual({ status: "INVESTIGATING", acknowledgedBy: "ada", acknowledgedAt: now });
    expect(planAlertAction(snoozed, { action: "acknowledge" }, "ada", now)).toMatchObject({ status: "INVESTIGATING", snoozedUntil: null, snoozedQueued: null });
  });

  it("acknowledging twice says who did it first", () => {
    const acked = { ...active, status: "INVESTIGATING", acknowledgedBy: "bo", acknowledgedAt: now };
    const e = refusal(() => planAlertAction(acked, { action: "acknowledge" }, "ada", now));
    expect(e.status).toBe(409);
    expect(e.message).toMatch(/already acknowledged by bo at 2026-11-27T12:00:00.000Z/);
  });

  it("dismiss keeps the reason and the actor", () => {
    expect(planAlertAction(active, { action: "dismiss", reason: "test connector" }, "ada", now)).toEqual({
      status: "DISMISSED",
      dismissedBy: "ada",
      dismissedReason: "test connector",
    });
  });

  it("snooze stores the time and the queued count it was snoozed at", () => {
    expect(planAlertAction(active, { action: "snooze", until: "2026-11-27T18:00:00Z" }, "ada", now)).toEqual({
      status: "SNOOZED",
      snoozedUntil: new Date("2026-11-27T18:00:00Z"),
      snoozedQueued: 12,
    });
  });

  it("snooze must end in the future and within 30 days", () => {
    expect(refusal(() => planAlertAction(active, { action: "snooze", until: "2026-11-27T12:00:00Z" }, "ada", now)).status).toBe(400);
    expect(refusal(() => planAlertAction(active, { action: "snooze", until: "2027-01-27T12:00:00Z" }, "ada", now)).message).toMatch(/at most 30 days/);
  });

  it("unsnooze makes a snoozed alert active; anything else is a conflict", () => {
    expect(planAlertAction(snoozed, { action: "unsnooze" }, "ada", now)).toEqual({ status: "ACTIVE", snoozedUntil: null, snoozedQueued: null });
    expect(refusal(() => planAlertAction(active, { action: "unsnooze" }, "ada", now)).status).toBe(409);
  });

  it("a snooze that has ended reads as active, so acknowledge works on it", () => {
    const woke = { ...snoozed, queuedCount: 20 };
    expect(planAlertAction(woke, { action: "acknowledge" }, "ada", now).status).toBe("INVESTIGATING");
  });

  it.each(["RESOLVED", "DISMISSED"])("refuses every action on a %s alert", (status) => {
    for (const action of [{ action: "acknowledge" as const }, { action: "dismiss" as const, reason: "why not" }, { action: "unsnooze" as const }]) {
      expect(refusal(() => planAlertAction({ ...active, status }, action, "ada", now)).status).toBe(409);
    }
  });

  it("reports the changed fields as they were before", () => {
    const changes = planAlertAction(snoozed, { action: "dismiss", reason: "known" }, "ada", now);
    expect(fieldsBefore(snoozed, changes)).toEqual({
      status: "SNOOZED",
      dismissedBy: null,
      dismissedReason: null,
      snoozedUntil: snoozed.snoozedUntil,
      snoozedQueued: 12,
    });
  });

  it("the body schema requires a reason to dismiss and a time to snooze, and nothing extra", () => {
    expect(alertActionBodySchema.safeParse({ action: "dismiss" }).success).toBe(false);
    expect(alertActionBodySchema.safeParse({ action: "dismiss", reason: "  " }).success).toBe(false);
    expect(alertActionBodySchema.safeParse({ action: "snooze" }).success).toBe(false);
    expect(alertActionBodySchema.safeParse({ action: "snooze", until: "tomorrow" }).success).toBe(false);
    expect(alertActionBodySchema.safeParse({ action: "acknowledge", reason: "x" }).success).toBe(false);
    expect(alertActionBodySchema.safeParse({ action: "delete" }).success).toBe(false);
    expect(alertActionBodySchema.parse({ action: "dismiss", reason: "  duplicate  " })).toEqual({ action: "dismiss", reason: "duplicate" });
  });
});
