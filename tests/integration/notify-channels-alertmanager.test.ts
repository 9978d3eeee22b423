import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { senders } from "@/lib/notify/channels";
import { ALERTNAME, firingPayload, postAlerts } from "@/lib/notify/channels/alertmanager";
import type { ChannelConfig, NotificationMessage, NotifiedAlert } from "@/lib/notify/types";
import { alertmanagerUnavailable, startAlertmanager, type Alertmanager } from "@/tests/lab/alertmanager";

// The Alertmanager channel against the real thing: Debian's prometheus-alertmanager on a loopback
// port (tests/lab/alertmanager.ts). Its API shows the alert active while open and re-sent, and
// drops it from the active list once it is sent with endsAt.

const unavailable = alertmanagerUnavailable();
let am: Alertmanager;

beforeAll(async () => {
  if (!unavailable) am = await startAlertmanager();
});

afterAll(async () => {
  await am?.stop();
});

describe.skipIf(unavailable)("the Alertmanager channel", () => {
  it("shows an open alert active, keeps it on a re-send, and resolves it with endsAt", async () => {
    const channel = alertmanagerChannel(am.baseUrl);
    const open = buildAlert();
    expect(await senders.alertmanager(channel, buildMessage({ alerts: [open] }), AbortSignal.timeout(10_000))).toEqual({ ok: true, detail: "HTTP 200" });

    const [active] = await am.alerts({ connector: open.connector });
    expect(active).toMatchObject({
      labels: { alertname: ALERTNAME, connector: "To on-premises Exchange", code: "4.4.316", severity: "high" },
      annotations: { summary: "To on-premises Exchange: Connection refused (450 4.4.316)", url: "http://127.0.0.1:3000/alerts/7" },
      startsAt: "2026-12-01T10:00:00.000Z",
      generatorURL: "http://127.0.0.1:3000/alerts/7",
      status: { state: "active" },
    });
    expect(active?.annotations.description).toContain("Queued messages: 1,234");
    const firstEndsAt = Date.parse(active!.endsAt);

    expect(await postAlerts(channel, firingPayload(channel, [open], new Date().toISOString()), AbortSignal.timeout(10_000))).toMatchObject({ ok: true });
    const [still] = await am.alerts({ connector: open.connector });
    expect(still?.status.state).toBe("active");
    expect(Date.parse(still!.endsAt)).toBeGreaterThanOrEqual(firstEndsAt);

    const resolvedAt = new Date(Date.now() - 1_000).toISOString();
    const resolved = buildMessage({ key: "n-7-resolved", trigger: "resolved", alerts: [buildAlert({ resolvedAt, status: "RESOLVED" })] });
    expect(await senders.alertmanager(channel, resolved, AbortSignal.timeout(10_000))).toMatchObject({ ok: true });
    expect(await am.alerts({ connector: open.connector })).toEqual([]);
  });

  it("keeps two connectors' alerts apart and resolves one of them", async () => {
    const channel = alertmanagerChannel(am.baseUrl);
    const a = buildAlert({ alertId: 8, connector: "To partner", code: "4.7.320", severity: "MEDIUM" });
    const b = buildAlert({ alertId: 9, connector: "To partner B", code: "4.4.315", severity: "LOW" });
    await senders.alertmanager(channel, buildMessage({ alerts: [a, b] }), AbortSignal.timeout(10_000));
    const labels = (await am.alerts({ alertname: ALERTNAME })).map((x) => x.labels);
    expect(labels).toEqual(expect.arrayContaining([expect.objectContaining({ connector: "To partner", severity: "medium" }), expect.objectContaining({ connector: "To partner B", severity: "low" })]));
    await senders.alertmanager(channel, buildMessage({ trigger: "resolved", alerts: [{ ...a, resolvedAt: new Date(Date.now() - 1_000).toISOString() }] }), AbortSignal.timeout(10_000));
    expect((await am.alerts({ alertname: ALERTNAME })).map((x) => x.labels.connector)).toEqual(["To partner B"]);
  });

  it("takes a test message that pages nobody: resolved on arrival", async () => {
    const at = new Date(Date.now() - 1_000).toISOString();
    expect(await senders.alertmanager(alertmanagerChannel(am.baseUrl), buildMessage({ test: true, at }), AbortSignal.timeout(10_000))).toMatchObject({ ok: true });
    expect(await am.alerts({ alertname: "MailflowTest" })).toEqual([]);
  });

  it("gives up when Alertmanager refuses the payload, with its reason", async () => {
    const outcome = await postAlerts(alertmanagerChannel(am.baseUrl), [{ labels: {}, annotations: {}, startsAt: "not a time" }], AbortSignal.timeout(10_000));
    expect(outcome).toMatchObject({ ok: false, retry: false, reason: expect.stringMatching(/^HTTP 400: /) });
  });

  it("gives up on a base URL with the wrong path (404)", async () => {
    const outcome = await senders.alertmanager(alertmanagerChannel(`${am.baseUrl}/wrong-prefix`), buildMessage(), AbortSignal.timeout(10_000));
    expect(outcome).toMatchObject({ ok: false, retry: false, reason: expect.stringMatching(/^HTTP 404/) });
  });
});

function buildAlert(overrides: Partial<NotifiedAlert> = {}): NotifiedAlert {
  return {
    alertId: 7,
    connector: "To on-premises Exchange",
    connectorId: 1,
    code: "4.4.316",
    severity: "HIGH",
    status: "ACTIVE",
    firstSeenAt: "2026-12-01T10:00:00.000Z",
    lastSeenAt: "2026-12-01T11:30:00.000Z",
    resolvedAt: null,
    queuedCount: 1234,
    expiredCount: 0,
    latestDetails: "450 4.4.316 Connection refused",
    url: "http://127.0.0.1:3000/alerts/7",
    ...overrides,
  };
}

function buildMessage(overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  return { key: "n-7-opened", trigger: "opened", at: new Date().toISOString(), alerts: [buildAlert()], ...overrides };
}

function alertmanagerChannel(baseUrl: string): ChannelConfig {
  return { id: 9, name: "Alertmanager", kind: "alertmanager", language: "en", settings: { baseUrl }, secret: null };
}
