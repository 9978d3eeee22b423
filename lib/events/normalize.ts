import type { EventInput } from "@/lib/events/schemas";
import { UNKNOWN_CODE, type EventStatusValue, type FoldEvent } from "@/lib/grouping/event";

// Pure: turns a validated wire event into the event the fold reads (lib/grouping/event.ts).
// No Prisma, no next/*.
const ENHANCED = /\b([245]\d\d)?[\s-]*([245]\.\d{1,3}\.\d{1,3})\b/;

/** `450 4.4.316` → {smtp: 450, code: "4.4.316"}; the first enhanced code found in free text. */
export function parseErrorCode(text: string | undefined | null): { smtpStatus: number | null; code: string } | null {
  if (!text) return null;
  const match = ENHANCED.exec(text);
  if (!match?.[2]) return null;
  return { smtpStatus: match[1] ? Number(match[1]) : null, code: match[2] };
}

/** `occurredAt` may be passed when the caller has already parsed it (validation does). */
export function normalizeEvent(input: EventInput, occurredAt = new Date(input.occurredAt)): FoldEvent {
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
