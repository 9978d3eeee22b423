import { z } from "zod";
import { CONNECTOR_KINDS, DOMAIN_TYPES, TLS_MODES } from "@/lib/db/enums";

// Pure: what a connector's and an accepted domain's fields may hold, as Exchange Online allows
// them (docs/organisation.md, "Field rules"). The API, the forms and the Exchange import all
// check fields here, so a value is refused with the same message wherever it comes from.

export const MAX_CONNECTOR_NAME = 64;
export const MAX_COMMENT = 1024;
export const MAX_SMART_HOSTS = 20;
export const MAX_RECIPIENT_DOMAINS = 100;
export const MAX_DOMAIN_NAME = 253;
/** The hosted service's queue lifetime: Exchange Online retries a message for 24 hours. */
export const DEFAULT_QUEUE_LIFETIME_MINUTES = 1440;
/** 30 days: above any MTA's sensible retry time (Postfix's maximal_queue_lifetime default is 5 days). */
export const MAX_QUEUE_LIFETIME_MINUTES = 43_200;

// C0 and C1 control characters, and the Unicode line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A DNS name of two or more labels (`mail.contoso.com`); lower case; no trailing dot. */
export function isDomainName(value: string): boolean {
  if (value.length > MAX_DOMAIN_NAME) return false;
  const labels = value.split(".");
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1)!);
}

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** An IPv6 address in its textual forms (full, `::`-compressed, with an embedded IPv4 tail). */
export function isIpv6(value: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(value) || value.split("::").length > 2) return false;
  let text = value;
  if (value.includes(".")) {
    // An IPv4 tail stands for the last two groups.
    const lastColon = value.lastIndexOf(":");
    if (!isIpv4(value.slice(lastColon + 1))) return false;
    text = `${value.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const parts = [...groups(head), ...(rest === undefined ? [] : groups(rest))];
  if (!parts.every((p) => /^[0-9a-f]{1,4}$/i.test(p))) return false;
  return rest === undefined ? parts.length === 8 : parts.length < 8;
}

export type SmartHostCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * A smart host: a host name, an IPv4 address or an IPv6 address in brackets, each with an
 * optional `:port`. Returned in canonical form (lower case). Not a URL: no scheme, path or user.
 */
export function checkSmartHost(input: string): SmartHostCheck {
  const value = input.trim().toLowerCase();
  if (value === "") return { ok: false, message: "is empty" };
  if (CONTROL.test(value)) return { ok: false, message: "contains a control character" };
  if (value.includes("://") || /^[a-z][a-z0-9+.-]*:\/\//.test(value)) return { ok: false, message: `"${short(input)}" is a URL; give only the host name or IP address` };
  if (/[/?#@\\\s]/.test(value)) return { ok: false, message: `"${short(input)}" is not a host: no path, user, spaces or query allowed` };
  let host = value;
  let port: string | null = null;
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    if (end < 0) return { ok: false, message: `"${short(input)}" opens a bracket it does not close` };
    host = value.slice(1, end);
    const after = value.slice(end + 1);
    if (after !== "" && !after.startsWith(":")) return { ok: false, message: `"${short(input)}" has text after its IPv6 address` };
    port = after === "" ? null : after.slice(1);
    if (!isIpv6(host)) return { ok: false, message: `"${short(input)}" is not a valid IPv6 address` };
  } else {
    if (value.split(":").length > 2) return { ok: false, message: `"${short(input)}": write an IPv6 address in brackets, e.g. [2001:db8::25]` };
    [host, port = null] = value.split(":") as [string, string | undefined];
    if (!isIpv4(host) && !isDomainName(host)) return { ok: false, message: `"${short(input)}" is neither a host name nor an IP address` };
  }
  if (port !== null && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    return { ok: false, message: `"${short(input)}" has a port outside 1–65535` };
  }
  return { ok: true, value };
}

/** A recipient domain of a connector: `contoso.com`, `*.contoso.com` or `*`; lower case. */
export function checkRecipientDomain(input: string): SmartHostCheck {
  const value = input.trim().toLowerCase();
  if (value === "*") return { ok: true, value };
  const domain = value.startsWith("*.") ? value.slice(2) : value;
  if (CONTROL.test(value) || !isDomainName(domain)) return { ok: false, message: `"${short(input)}" is not a domain, a wildcard such as *.contoso.com, or *` };
  return { ok: true, value };
}

const text = (max: number, pattern: RegExp) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !pattern.test(v), "must not contain control characters");

export const connectorNameSchema = text(MAX_CONNECTOR_NAME, CONTROL).pipe(z.string().min(1, "must not be empty"));
export const commentSchema = text(MAX_COMMENT, CONTROL_EXCEPT_LINES);

/** A list checked entry by entry with `check`; repeats dropped; the first bad entry is named. */
const listOf = (check: (v: string) => SmartHostCheck, max: number, what: string) =>
  z
    .array(z.string().max(300, `an entry is longer than 300 characters`))
    .max(max, `at most ${max} ${what}`)
    .transform((values, ctx) => {
      const out: string[] = [];
      for (const v of values) {
        const checked = check(v);
        if (!checked.ok) {
          ctx.addIssue({ code: "custom", message: checked.message });
          return z.NEVER;
        }
        if (!out.includes(checked.value)) out.push(checked.value);
      }
      return out;
    });

export const smartHostsSchema = listOf(checkSmartHost, MAX_SMART_HOSTS, "smart hosts");
export const recipientDomainsSchema = listOf(checkRecipientDomain, MAX_RECIPIENT_DOMAINS, "recipient domains");

export const tlsDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => isDomainName(v.startsWith("*.") ? v.slice(2) : v), "must be a domain such as contoso.com or *.contoso.com");

/** Every field of a connector; `connectorRules` checks how they fit together. */
export const connectorFieldsSchema = z
  .object({
    name: connectorNameSchema,
    comment: commentSchema.nullable().default(null),
    kind: z.enum(CONNECTOR_KINDS),
    enabled: z.boolean().default(true),
    useMxRecord: z.boolean().default(false),
    smartHosts: smartHostsSchema.default([]),
    recipientDomains: recipientDomainsSchema.default([]),
    tlsMode: z.enum(TLS_MODES).default("OPPORTUNISTIC"),
    tlsDomain: tlsDomainSchema.nullable().default(null),
  })
  .strict();

export type ConnectorFields = z.output<typeof connectorFieldsSchema>;

/** How long the MTA behind a connector retries a message, in whole minutes (1 minute to 30 days). */
export const queueLifetimeMinutesSchema = z
  .number({ error: `must be a whole number of minutes from 1 to ${MAX_QUEUE_LIFETIME_MINUTES}` })
  .int("must be a whole number of minutes")
  .min(1, "must be at least 1 minute")
  .max(MAX_QUEUE_LIFETIME_MINUTES, `must be at most ${MAX_QUEUE_LIFETIME_MINUTES} minutes (30 days)`);

/**
 * A connector's fields and the product's own settings of it. The queue lifetime is not an
 * Exchange connector's field (the hosted service's is fixed at 24 hours), so it stays out of
 * `ConnectorFields`, which the Exchange import reads and compares: an import neither changes it
 * nor reports it as a difference.
 */
export const connectorSettingsSchema = connectorFieldsSchema.extend({
  queueLifetimeMinutes: queueLifetimeMinutesSchema.default(DEFAULT_QUEUE_LIFETIME_MINUTES),
});

export type ConnectorSettings = z.output<typeof connectorSettingsSchema>;

/** How a connector's fields fit together; issues name the field they are about. */
export function connectorRuleIssues(c: Pick<ConnectorFields, "useMxRecord" | "smartHosts" | "tlsMode" | "tlsDomain">): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  if (!c.useMxRecord && c.smartHosts.length === 0) issues.push({ field: "smartHosts", message: "give at least one smart host, or route by the recipient domain's MX record" });
  if (c.useMxRecord && c.smartHosts.length > 0) issues.push({ field: "smartHosts", message: "a connector that routes by MX record has no smart hosts" });
  if (c.tlsMode === "DOMAIN_VALIDATION" && !c.tlsDomain) issues.push({ field: "tlsDomain", message: "domain validation needs the domain the certificate must name" });
  if (c.tlsMode !== "DOMAIN_VALIDATION" && c.tlsDomain) issues.push({ field: "tlsDomain", message: "a TLS domain is used only with domain validation" });
  return issues;
}

/** An accepted domain's name: a domain, lower case (Exchange also allows `*.contoso.com`). */
export const domainNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(MAX_DOMAIN_NAME, `must be at most ${MAX_DOMAIN_NAME} characters`)
  .refine((v) => !CONTROL.test(v) && isDomainName(v.startsWith("*.") ? v.slice(2) : v), "must be a domain such as contoso.com");

export const domainFieldsSchema = z
  .object({
    name: domainNameSchema,
    type: z.enum(DOMAIN_TYPES),
    connectorId: z.number().int().positive().nullable().default(null),
  })
  .strict();

export type DomainFields = z.output<typeof domainFieldsSchema>;

function short(value: string): string {
  const clean = value.replace(new RegExp(CONTROL.source, "g"), "?");
  return clean.length > 60 ? `${clean.slice(0, 57)}…` : clean;
}
