import { CERT_EXPIRY_CODE } from "@/lib/grouping/event";

// The catalogue of the enhanced status codes DOMAIN.md describes. Each is a temporary SMTP
// failure (450); anything else falls into the "other" group. Texts live in the messages files
// under `codes.<key>`, so the same catalogue serves both languages. The probe's certificate-expiry
// warning (CERT_EXPIRY_CODE) is no SMTP code: it has a name of its own and falls in "other".
export const KNOWN_CODES = ["4.4.312", "4.4.315", "4.4.316", "4.4.317", "4.4.318", "4.7.320"] as const;

export type KnownCode = (typeof KNOWN_CODES)[number];
export type CodeGroup = KnownCode | "other";

export const CODE_GROUPS: readonly CodeGroup[] = [...KNOWN_CODES, "other"];

export type CodeInfo = { code: KnownCode; smtp: 450; key: CodeKey };

export type CodeKey =
  | "dnsQueryFailed"
  | "connectionTimedOut"
  | "connectionRefused"
  | "cannotConnect"
  | "connectionClosed"
  | "certificateInvalid"
  | "certificateExpiring"
  | "other";

export const CODE_CATALOGUE: Readonly<Record<KnownCode, CodeInfo>> = {
  "4.4.312": { code: "4.4.312", smtp: 450, key: "dnsQueryFailed" },
  "4.4.315": { code: "4.4.315", smtp: 450, key: "connectionTimedOut" },
  "4.4.316": { code: "4.4.316", smtp: 450, key: "connectionRefused" },
  "4.4.317": { code: "4.4.317", smtp: 450, key: "cannotConnect" },
  "4.4.318": { code: "4.4.318", smtp: 450, key: "connectionClosed" },
  "4.7.320": { code: "4.7.320", smtp: 450, key: "certificateInvalid" },
};

export function isKnownCode(code: string): code is KnownCode {
  return (KNOWN_CODES as readonly string[]).includes(code);
}

/** The tile/filter group of a stored code ("4.4.316", "5.1.1", "unknown"…). */
export function codeGroup(code: string): CodeGroup {
  return isKnownCode(code) ? code : "other";
}

/** The message key of a code's short name: `codes.<key>`. */
export function codeKey(code: string): CodeKey {
  if (code === CERT_EXPIRY_CODE) return "certificateExpiring";
  return isKnownCode(code) ? CODE_CATALOGUE[code].key : "other";
}

/** "450 4.4.316" for the known codes, the bare code otherwise. */
export function displayCode(code: string): string {
  return isKnownCode(code) ? `${CODE_CATALOGUE[code].smtp} ${code}` : code;
}
