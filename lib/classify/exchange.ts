import { classifySourceText, type Classification } from "@/lib/classify/classify";
import type { Observation } from "@/lib/classify/observation";

// Pure: Exchange's deferral texts. Exchange has already classified the fault (`LED=450 4.4.317 …`,
// and it files a certificate name mismatch under 4.4.317), so its code is kept as given: the
// record says what the service reported, and the admin compares it with the service.

/**
 * The code of a message-trace detail or tracking-log status, in either layout:
 * `Reason: [{LED=450 4.4.316 Connection refused [Message=…] [LastAttemptedServerName=…]};{MSG=…}…]` or
 * `[{LED=450 4.4.316 Connection refused};{MSG=Socket error code 10061};{Last attempted server name=…}]`.
 */
export function classifyExchangeDetail(text: string): Classification {
  const observation = readExchangeDetail(text);
  const detail = observation.kind === "reported" ? observation.text : text.trim();
  return classifySourceText(refineGeneric(observation) ?? observation, detail);
}

/**
 * Exchange Server on premises reports a failed connection under the generic `441 4.4.1` and names
 * the fault only by its Winsock error (`Failed to connect. Winsock error code: 10061`), as Postfix
 * names it by its reason under dsn=4.4.1: that error decides the code, by the one table.
 */
function refineGeneric(observation: Observation): Observation | null {
  if (observation.kind !== "reported" || observation.code !== "4.4.1") return null;
  const winsock = /(?:Winsock|Socket) error code:?\s*(\d{5})/i.exec(observation.text)?.[1];
  const error = winsock ? WINSOCK_ERRORS[winsock] : undefined;
  return error ? { kind: "connect", error } : null;
}

/** Windows' socket errors as the errno names the one table reads. */
const WINSOCK_ERRORS: Readonly<Record<string, string>> = {
  "10061": "ECONNREFUSED",
  "10060": "ETIMEDOUT",
  "10065": "EHOSTUNREACH",
  "10051": "ENETUNREACH",
  "10054": "ECONNRESET",
};

/** What the Exchange text reports: its code with the words around it, else the text unrecognised. */
export function readExchangeDetail(text: string): Observation {
  const parts = [...text.matchAll(/\{([^=}]+)=([^}]*)\}/g)].map((m) => ({ key: (m[1] ?? "").trim(), value: (m[2] ?? "").trim() }));
  const led = parts.find((part) => part.key === "LED");
  const coded = CODED.exec(led?.value ?? text);
  if (!coded) return { kind: "unrecognised", text: text.trim() };
  const extras = led ? parts.filter((part) => part !== led && part.value !== "").map((part) => ` [${label(part.key)}=${part.value}]`) : [];
  return { kind: "reported", smtp: Number(coded[1]), code: coded[2] ?? "", text: `${(coded[3] ?? "").trim()}${extras.join("")}` };
}

/** `450 4.4.316 Connection refused …`, also bare as in `550 4.4.7 QUEUE.Expired`. */
const CODED = /\b([245]\d\d)\s+([245]\.\d{1,3}\.\d{1,3})\b\s*(.*)$/s;

function label(key: string): string {
  return key === "MSG" ? "Message" : key;
}
