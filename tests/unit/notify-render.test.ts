import { describe, expect, it } from "vitest";
import { firingPayload, renderAlertmanager, alertsEndpoint, ALERTNAME } from "@/lib/notify/channels/alertmanager";
import { escapeHtml, messageIdOf, renderEmail } from "@/lib/notify/channels/email";
import { renderNotification } from "@/lib/notify/channels/render";
import { renderSlack } from "@/lib/notify/channels/slack";
import { renderTeams } from "@/lib/notify/channels/teams";
import { renderWebhook } from "@/lib/notify/channels/webhook";
import { NOTIFICATION_TRIGGERS, type NotificationMessage, type NotifiedAlert } from "@/lib/notify/types";

const HOSTILE = `450 4.4.316 Connection refused <script>alert("x")</script> & 'more'`;

function buildAlert(overrides: Partial<NotifiedAlert> = {}): NotifiedAlert {
  return {
    alertId: 42,
    connector: "To on-premises Exchange",
    connectorId: 3,
    code: "4.4.316",
    severity: "HIGH",
    status: "ACTIVE",
    firstSeenAt: "2026-12-01T10:00:00.000Z",
    lastSeenAt: "2026-12-01T11:30:00.000Z",
    resolvedAt: null,
    queuedCount: 1234,
    expiredCount: 5,
    latestDetails: HOSTILE,
    url: "https://mailflow.example.com/alerts/42",
    ...overrides,
  };
}

function buildMessage(overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  return { key: "n-42-opened-1", trigger: "opened", at: "2026-12-01T11:30:05.000Z", alerts: [buildAlert()], ...overrides };
}

const en = { name: "Ops mail", language: "en" } as const;
const sv = { name: "Drift", language: "sv" } as const;

describe("renderNotification", () => {
  it("names the trigger, the connector, the code with its short name and the counts, in English", () => {
    const r = renderNotification(en, buildMessage());
    expect(r.title).toBe("Alert opened");
    expect(r.subject).toBe("[Mailflow] Alert opened: Connection refused on To on-premises Exchange");
    expect(r.alerts[0]?.title).toBe("To on-premises Exchange: Connection refused (450 4.4.316)");
    expect(r.alerts[0]?.facts).toEqual(
      expect.arrayContaining([
        { label: "Severity", value: "High" },
        { label: "Queued messages", value: "1,234" },
        { label: "Expired messages", value: "5" },
        { label: "Error", value: "450 4.4.316 Connection refused" },
      ]),
    );
    expect(r.at).toEqual({ label: "When", value: "Dec 1, 2026, 11:30:05 AM UTC" });
  });

  it("speaks Swedish for a Swedish channel", () => {
    const r = renderNotification(sv, buildMessage({ trigger: "resolved", alerts: [buildAlert({ resolvedAt: "2026-12-01T12:00:00.000Z" })] }));
    expect(r.title).toBe("Aviseringen är löst");
    expect(r.subject).toBe("[Mailflow] Aviseringen är löst: Anslutningen nekades för To on-premises Exchange");
    expect(r.alerts[0]?.facts).toEqual(expect.arrayContaining([{ label: "Allvarlighetsgrad", value: "Hög" }, { label: "Löst", value: "1 dec. 2026 12:00:00 UTC" }]));
    expect(r.openAlert).toBe("Öppna aviseringen");
  });

  it.each(NOTIFICATION_TRIGGERS)("has a title and a summary for %s in both languages", (trigger) => {
    for (const channel of [en, sv]) {
      const r = renderNotification(channel, buildMessage({ trigger }));
      expect(r.title).not.toMatch(/notifyChannels|\{/);
      expect(r.summary).not.toMatch(/notifyChannels|\{/);
    }
  });

  it("names the other codes and the certificate warning", () => {
    const r = renderNotification(en, buildMessage({ trigger: "cert.expiring", alerts: [buildAlert({ code: "cert-expiry" }), buildAlert({ code: "5.1.1" })] }));
    expect(r.alerts.map((a) => a.codeName)).toEqual(["Certificate expires soon", "Other error"]);
    expect(r.subject).toBe("[Mailflow] Certificate expires soon: 2 alerts");
  });

  it("renders a test message without alerts", () => {
    const r = renderNotification(sv, buildMessage({ test: true, alerts: [] }));
    expect(r.subject).toBe("[Mailflow] Testavisering för ”Drift”");
    expect(r.summary).toContain("”Drift” fungerar");
  });

  it("keeps a connector's line break out of the subject", () => {
    expect(renderNotification(en, buildMessage({ alerts: [buildAlert({ connector: "A\r\nBcc: x@y" })] })).subject).not.toMatch(/[\r\n]/);
  });
});

describe("email", () => {
  it("escapes every server text in the HTML part and links the alert", () => {
    const email = renderEmail(en, buildMessage({ alerts: [buildAlert({ connector: `<img src=x onerror=alert(1)>` })] }));
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;");
    expect(email.html).toContain('<a href="https://mailflow.example.com/alerts/42">Open the alert</a>');
    expect(email.html).toContain('<html lang="en">');
  });

  it("has the same content as plain text, with the link", () => {
    const email = renderEmail(sv, buildMessage());
    expect(email.text).toContain("Senaste detaljer: " + HOSTILE);
    expect(email.text).toContain("Öppna aviseringen: https://mailflow.example.com/alerts/42");
    expect(email.text).toContain("Köade meddelanden: 1\u00a0234");
  });

  it("links only http(s) addresses", () => {
    expect(renderEmail(en, buildMessage({ alerts: [buildAlert({ url: "javascript:alert(1)" })] })).html).not.toContain("javascript:");
  });

  it("makes the Message-ID from the notification key", () => {
    expect(renderEmail(en, buildMessage()).messageId).toBe("<n-42-opened-1@mailflow>");
    expect(messageIdOf("a b<c>")).toMatch(/^<[0-9a-f]{64}@mailflow>$/);
    expect(messageIdOf("a b<c>")).toBe(messageIdOf("a b<c>"));
  });

  it("escapes the five HTML characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

describe("webhook payload", () => {
  it("carries the key, the trigger, the rendered texts and each alert with its code name", () => {
    const payload = renderWebhook(sv, buildMessage());
    expect(payload).toMatchObject({ version: 1, id: "n-42-opened-1", trigger: "opened", test: false, language: "sv", channel: "Drift", title: "Avisering öppnad" });
    expect(payload.alerts[0]).toMatchObject({ alertId: 42, code: "4.4.316", displayCode: "450 4.4.316", codeName: "Anslutningen nekades", latestDetails: HOSTILE, url: "https://mailflow.example.com/alerts/42" });
  });
});

describe("Teams", () => {
  it("is a message with one Adaptive Card 1.4 that links the alert", () => {
    const body = renderTeams(en, buildMessage());
    expect(body.type).toBe("message");
    expect(body.attachments).toHaveLength(1);
    const card = body.attachments[0]!;
    expect(card.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.content).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    const json = JSON.stringify(card.content);
    expect(json).toContain('"type":"Action.OpenUrl","title":"Open the alert","url":"https://mailflow.example.com/alerts/42"');
    expect(json).toContain("Connection refused");
  });
});

describe("Slack", () => {
  it("has a fallback text and blocks, with server text unable to form links", () => {
    const body = renderSlack(en, buildMessage({ alerts: [buildAlert({ latestDetails: "<https://evil.example|click> @channel" })] }));
    expect(body.text).toBe("[Mailflow] Alert opened: Connection refused on To on-premises Exchange");
    const json = JSON.stringify(body.blocks);
    expect(json).toContain("&lt;https://evil.example|click&gt;");
    expect(json).toContain("<https://mailflow.example.com/alerts/42|Open the alert>");
    expect(body.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Alert opened", emoji: false } });
  });
});

describe("Alertmanager", () => {
  it("sends one entry per alert with the labels and annotations, firing without endsAt", () => {
    const [alert] = renderAlertmanager(en, buildMessage());
    expect(alert).toEqual({
      labels: { alertname: ALERTNAME, connector: "To on-premises Exchange", code: "4.4.316", severity: "high" },
      annotations: { summary: "To on-premises Exchange: Connection refused (450 4.4.316)", description: expect.stringContaining("Queued messages: 1,234"), url: "https://mailflow.example.com/alerts/42" },
      startsAt: "2026-12-01T10:00:00.000Z",
      generatorURL: "https://mailflow.example.com/alerts/42",
    });
  });

  it("sets endsAt when the alert is resolved", () => {
    const resolved = buildMessage({ trigger: "resolved", alerts: [buildAlert({ resolvedAt: "2026-12-01T12:00:00.000Z" }), buildAlert({ alertId: 43, code: "4.4.318" })] });
    expect(renderAlertmanager(en, resolved).map((a) => a.endsAt)).toEqual(["2026-12-01T12:00:00.000Z", undefined]);
  });

  it("re-sends only the open alerts, still firing", () => {
    const payload = firingPayload(en, [buildAlert(), buildAlert({ alertId: 44, resolvedAt: "2026-12-01T12:00:00.000Z" })], "2026-12-01T12:01:00.000Z");
    expect(payload).toHaveLength(1);
    expect(payload[0]).not.toHaveProperty("endsAt");
  });

  it("posts to {base}/api/v2/alerts, keeping a path prefix", () => {
    expect(alertsEndpoint("http://127.0.0.1:9093")).toBe("http://127.0.0.1:9093/api/v2/alerts");
    expect(alertsEndpoint("https://am.example.com/alertmanager/")).toBe("https://am.example.com/alertmanager/api/v2/alerts");
    expect(alertsEndpoint("ftp://x")).toBeNull();
  });

  it("sends a test as an alert that is resolved on arrival", () => {
    const [test] = renderAlertmanager(en, buildMessage({ test: true }));
    expect(test?.startsAt).toBe(test?.endsAt);
    expect(test?.labels.alertname).toBe("MailflowTest");
  });
});
