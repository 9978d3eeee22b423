import type { ConnectorRecord } from "@/lib/connectors/schemas";
import type { ConnectorKind, TlsMode } from "@/lib/db/enums";
import { DEFAULT_QUEUE_LIFETIME_MINUTES } from "@/lib/organisation/connector-fields";
import type { ConnectorBody } from "@/lib/organisation/schemas";

// Pure: the connector form's values (what the inputs hold) to and from the API's body, and the
// API's per-field issues to the inputs they belong to.

export type ConnectorFormValues = {
  name: string;
  comment: string;
  kind: ConnectorKind;
  enabled: boolean;
  routing: "smartHosts" | "mx";
  /** One per line, as typed. */
  smartHosts: string;
  recipientDomains: string;
  tlsMode: TlsMode;
  tlsDomain: string;
  /** The queue lifetime in hours, as typed (a decimal point or comma): MTAs state it in hours or days. */
  queueLifetimeHours: string;
};

export const CONNECTOR_FORM_FIELDS = ["name", "comment", "kind", "enabled", "smartHosts", "recipientDomains", "tlsMode", "tlsDomain", "queueLifetimeMinutes"] as const;

export type ConnectorFormField = (typeof CONNECTOR_FORM_FIELDS)[number];

export function connectorFormValues(connector: ConnectorRecord | null): ConnectorFormValues {
  if (!connector) {
    return {
      name: "", comment: "", kind: "ON_PREMISES", enabled: true, routing: "smartHosts", smartHosts: "", recipientDomains: "", tlsMode: "OPPORTUNISTIC", tlsDomain: "",
      queueLifetimeHours: minutesToHours(DEFAULT_QUEUE_LIFETIME_MINUTES),
    };
  }
  return {
    name: connector.name,
    comment: connector.comment ?? "",
    kind: connector.kind,
    enabled: connector.enabled,
    routing: connector.useMxRecord ? "mx" : "smartHosts",
    smartHosts: connector.smartHosts.join("\n"),
    recipientDomains: connector.recipientDomains.join("\n"),
    tlsMode: connector.tlsMode,
    tlsDomain: connector.tlsDomain ?? "",
    queueLifetimeHours: minutesToHours(connector.queueLifetimeMinutes),
  };
}

/**
 * The body the API takes: lists split by line (or comma), fields the choices leave out empty, the
 * queue lifetime in whole minutes. Null when the queue lifetime is not a number of hours: there is
 * no body to send (the API checks the range).
 */
export function connectorBody(values: ConnectorFormValues): ConnectorBody | null {
  const mx = values.routing === "mx";
  const queueLifetimeMinutes = hoursToMinutes(values.queueLifetimeHours);
  if (queueLifetimeMinutes === null) return null;
  return {
    name: values.name,
    comment: values.comment.trim() === "" ? null : values.comment,
    kind: values.kind,
    enabled: values.enabled,
    useMxRecord: mx,
    smartHosts: mx ? [] : entries(values.smartHosts),
    recipientDomains: entries(values.recipientDomains),
    tlsMode: values.tlsMode,
    tlsDomain: values.tlsMode === "DOMAIN_VALIDATION" && values.tlsDomain.trim() !== "" ? values.tlsDomain : null,
    queueLifetimeMinutes,
  };
}

/** Minutes as hours with up to three decimals: enough for every whole minute to come back as itself. */
export function minutesToHours(minutes: number): string {
  return String(Math.round((minutes / 60) * 1000) / 1000);
}

/** Hours as typed (`120`, `0.5`, `1,5`) to the nearest whole minute; null when it is not a number of hours. */
export function hoursToMinutes(text: string): number | null {
  const hours = text.trim().replace(",", ".");
  if (!/^(\d+\.?\d*|\.\d+)$/.test(hours)) return null;
  return Math.round(Number(hours) * 60);
}

/**
 * The API's issues by the input they belong to (`smartHosts.3` to smartHosts, `useMxRecord` to
 * the smart hosts, whose rule it is); issues of no input stay in `other`.
 */
export function issuesByField<F extends string>(
  issues: readonly { field: string; message: string }[],
  fields: readonly F[],
  aliases: Readonly<Record<string, F>> = {},
): { byField: Partial<Record<F, string>>; other: string[] } {
  const byField: Partial<Record<F, string>> = {};
  const other: string[] = [];
  for (const issue of issues) {
    const head = issue.field.split(".")[0]!;
    const field = aliases[head] ?? (fields as readonly string[]).find((f) => f === head);
    if (field === undefined) other.push(`${issue.field}: ${issue.message}`);
    else byField[field as F] ??= issue.message;
  }
  return { byField, other };
}

function entries(text: string): string[] {
  return text.split(/[\n,]/).map((line) => line.trim()).filter((line) => line !== "");
}
