// next-intl re-exports use-intl/core as is; importing it directly keeps this free of React, so it
// also runs under the react-server condition outside Next (tsx --conditions=react-server scripts).
import { createFormatter, createTranslator } from "use-intl/core";
import { codeKey, displayCode } from "@/lib/alerts/codes";
import { formats } from "@/lib/i18n/formats";
import type { ChannelConfig, ChannelLanguage, NotificationMessage, NotificationTrigger, NotifiedAlert } from "@/lib/notify/types";
import enCommon from "@/messages/en/common.json";
import enNotifications from "@/messages/en/notifications.json";
import svCommon from "@/messages/sv/common.json";
import svNotifications from "@/messages/sv/notifications.json";

// Pure: what every channel says, in the channel's language, from the same messages files the
// dashboard reads (next-intl's createTranslator, so no request is needed). Channels only lay it out.

export type RenderedFact = Readonly<{ label: string; value: string }>;

export type RenderedAlert = Readonly<{
  /** "To on-premises Exchange: Connection refused (450 4.4.316)" */
  title: string;
  /** The code's short name in the channel's language. */
  codeName: string;
  /** "450 4.4.316" for the known codes, the stored code otherwise. */
  code: string;
  facts: readonly RenderedFact[];
  /** The latest server text, verbatim (a channel escapes it for its own markup). */
  details: string | null;
  detailsLabel: string;
  url: string;
  alert: NotifiedAlert;
}>;

export type RenderedNotification = Readonly<{
  language: ChannelLanguage;
  /** The trigger's heading ("Alert opened"). */
  title: string;
  /** One sentence on what happened. */
  summary: string;
  subject: string;
  /** "When": the commit time of the change, formatted. */
  at: RenderedFact;
  alerts: readonly RenderedAlert[];
  openAlert: string;
  footer: string;
}>;

const MESSAGES = {
  en: { ...enCommon, ...enNotifications },
  sv: { ...svCommon, ...svNotifications },
} as const;

/** A channel's subject line is short; one alert is named, several are counted. */
export function renderNotification(channel: Pick<ChannelConfig, "name" | "language">, message: NotificationMessage): RenderedNotification {
  const locale = channel.language;
  const t = createTranslator({ locale, messages: MESSAGES[locale], timeZone: "UTC", formats });
  const format = createFormatter({ locale, timeZone: "UTC", formats });
  const when = (iso: string) => format.dateTime(new Date(iso), "long");
  const key = message.test ? "test" : triggerKey(message.trigger);

  const alerts = message.alerts.map((alert): RenderedAlert => {
    const codeName = t(`codes.${codeKey(alert.code)}`);
    const code = displayCode(alert.code);
    const facts: RenderedFact[] = [
      { label: t("notifyChannels.field.connector"), value: alert.connector },
      { label: t("notifyChannels.field.error"), value: `${code} ${codeName}` },
      { label: t("notifyChannels.field.severity"), value: t(`severity.${alert.severity}`) },
      { label: t("notifyChannels.field.queued"), value: format.number(alert.queuedCount, "integer") },
      { label: t("notifyChannels.field.expired"), value: format.number(alert.expiredCount, "integer") },
      { label: t("notifyChannels.field.firstSeen"), value: when(alert.firstSeenAt) },
      { label: t("notifyChannels.field.lastSeen"), value: when(alert.lastSeenAt) },
      ...(alert.resolvedAt ? [{ label: t("notifyChannels.field.resolved"), value: when(alert.resolvedAt) }] : []),
    ];
    return {
      title: t("notifyChannels.alertTitle", { connector: alert.connector, codeName, code }),
      codeName,
      code,
      facts,
      details: alert.latestDetails,
      detailsLabel: t("notifyChannels.field.details"),
      url: alert.url,
      alert,
    };
  });

  const title = t(`notifyChannels.trigger.${key}`);
  const first = alerts[0];
  let subject: string;
  if (message.test) subject = t("notifyChannels.subjectTest", { channel: channel.name });
  else if (alerts.length === 1 && first) subject = t("notifyChannels.subject", { trigger: title, codeName: first.codeName, connector: first.alert.connector });
  else subject = t("notifyChannels.subjectMany", { trigger: title, count: alerts.length });

  return {
    language: locale,
    title,
    summary: key === "test" ? t("notifyChannels.summary.test", { channel: channel.name }) : t(`notifyChannels.summary.${key}`),
    subject: oneLine(subject),
    at: { label: t("notifyChannels.field.at"), value: when(message.at) },
    alerts,
    openAlert: t("notifyChannels.openAlert"),
    footer: t("notifyChannels.footer", { channel: channel.name }),
  };
}

type TriggerKey = "opened" | "high" | "regressed" | "resolved" | "expired" | "fixnowApplied" | "fixnowUndone" | "certExpiring";

const TRIGGER_KEYS: Readonly<Record<NotificationTrigger, TriggerKey>> = {
  opened: "opened",
  high: "high",
  regressed: "regressed",
  resolved: "resolved",
  expired: "expired",
  "fixnow.applied": "fixnowApplied",
  "fixnow.undone": "fixnowUndone",
  "cert.expiring": "certExpiring",
};

function triggerKey(trigger: NotificationTrigger): TriggerKey {
  return TRIGGER_KEYS[trigger];
}

/** A connector name with a line break must not add a header line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
