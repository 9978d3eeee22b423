import { z } from "zod";
import { auditEntrySchema } from "@/lib/alerts/schemas";
import type { AuditTargetType } from "@/lib/audit/write";

// The contract of the audit log's read API (GET /api/audit and its CSV export).

// A record, so adding a target type to write.ts without listing it here fails to compile.
const TARGET_TYPES: Record<AuditTargetType, true> = {
  alert: true,
  connector: true,
  domain: true,
  user: true,
  token: true,
  import: true,
  source: true,
  "notification-channel": true,
  "notification-rule": true,
  "maintenance-window": true,
  export: true,
  trace: true,
};

export const AUDIT_TARGET_TYPES = Object.keys(TARGET_TYPES) as AuditTargetType[];

export const AUDIT_PAGE_SIZE = 50;

const dateParam = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-11-27T10:00:00Z" });

export const auditQuerySchema = z
  .object({
    from: dateParam.optional(),
    to: dateParam.optional(),
    /** Exactly as recorded (a user's name, or `system`); `%` and `_` are plain characters. */
    actor: z.string().trim().min(1).max(200).optional(),
    action: z.string().trim().min(1).max(100).optional(),
    targetType: z.enum(AUDIT_TARGET_TYPES as [AuditTargetType, ...AuditTargetType[]]).optional(),
    cursor: z.string().max(1000).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(AUDIT_PAGE_SIZE),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ["to"], message: "must be after from" });

export type AuditQuery = z.infer<typeof auditQuerySchema>;
export type AuditFilter = Omit<AuditQuery, "cursor" | "limit">;

/** The filter of a query: what the page shows and an export records, without the page's cursor and size. */
export function auditFilterOf(query: AuditQuery): AuditFilter {
  return { from: query.from, to: query.to, actor: query.actor, action: query.action, targetType: query.targetType };
}

export const auditPageSchema = z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() });

export type AuditPage = z.infer<typeof auditPageSchema>;
