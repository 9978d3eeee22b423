import type { EventInput } from "@/lib/events/schemas";

// Pure: turns a validated wire event into the stored shape. No Prisma, no next/*.
export type EventStatusValue = "DEFERRED" | "DELIVERED" | "FAILED";

export type NormalizedEvent = {
  clientId: string | null;
  occurredAt: Date;
  messageId: string;
  sender: string | null;
  recipient: string | null;
  recipientDomain: string | null;
  status: EventStatusValue;
  smtpStatus: number | null;
  errorCode: string | null;
  errorDetails: string | null;
  destination: string | null;
};

export const UNKNOWN_CODE = "unknown";

const ENHANCED = /\b([245]\d\d)?[\s-]*([245]\.\d{1,3}\.\d{1,3})\b/;

/** `450 4.4.316` → {smtp: 450, code: "4.4.316"}; the first enhanced code found in free text. */
export function parseErrorCode(text: string | undefined | null): { smtpStatus: number | null; code: string } | null {
  if (!text) return null;
  const match = ENHANCED.exec(text);
  if (!match?.[2]) return null;
  return { smtpStatus: match[1] ? Number(match[1]) : null, code: match[2] };
}

/** `occurredAt` may be passed when the caller has already parsed it (validation does). */
export function normalizeEvent(input: EventInput, occurredAt = new Date(input.occurredAt)): NormalizedEvent {
  const status = input.status.toUpperCase() as EventStatusValue;
  const recipient = input.recipient ? input.recipient.toLowerCase() : null;
  let smtpStatus: number | null = null;
  let errorCode: string | null = null;
  if (status !== "DELIVERED") {
    const parsed = parseErrorCode(input.errorCode) ?? parseErrorCode(input.errorDetails);
    errorCode = parsed?.code ?? UNKNOWN_CODE;
    smtpStatus = parsed?.smtpStatus ?? null;
  }
  return {
    clientId: input.id ?? null,
    occurredAt,
    messageId: input.messageId,
    sender: input.sender ? input.sender.toLowerCase() : null,
    recipient,
    recipientDomain: recipient ? recipient.slice(recipient.lastIndexOf("@") + 1) : null,
    status,
    smtpStatus,
    errorCode,
    errorDetails: input.errorDetails ?? null,
    destination: input.destination ?? null,
  };
}

const STATUS_RANK: Record<EventStatusValue, number> = { DEFERRED: 0, FAILED: 1, DELIVERED: 2 };

/**
 * The one total order every fold uses, so results never depend on arrival order:
 * time, then failures before deliveries, then message, recipient, client id, details.
 */
export function compareEvents(a: NormalizedEvent, b: NormalizedEvent): number {
  return (
    a.occurredAt.getTime() - b.occurredAt.getTime() ||
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    cmp(a.messageId, b.messageId) ||
    cmp(a.recipient ?? "", b.recipient ?? "") ||
    cmp(a.errorCode ?? "", b.errorCode ?? "") ||
    cmp(a.clientId ?? "", b.clientId ?? "") ||
    cmp(a.errorDetails ?? "", b.errorDetails ?? "") ||
    cmp(a.destination ?? "", b.destination ?? "")
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
