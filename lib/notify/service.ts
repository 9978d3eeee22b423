import "server-only";
import { writeAudit, auditJson } from "@/lib/audit/write";
import { requireRole, type Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import type { NotificationChannel, Prisma } from "@/lib/generated/prisma/client";
import { AppError, invalidFields, notFound } from "@/lib/http/errors";
import { channelTarget, validateChannel } from "@/lib/notify/channels";
import {
  channelCreateSchema, channelPatchSchema, ruleCreateSchema, rulePatchSchema, windowCreateSchema,
  type ChannelCreate, type ChannelPatch, type ChannelRecord, type RuleCreate, type RulePatch, type WindowCreate,
} from "@/lib/notify/schemas";
import { notifySecretKey } from "@/lib/notify/secret-key";
import { decryptSecret, encryptSecret, secretHint } from "@/lib/notify/secrets";
import type { ChannelKind } from "@/lib/notify/types";

// Channels, rules and maintenance windows: admins change them, each change audited in its
// transaction. A channel's secret is encrypted on the way in and never comes out: records and
// audit entries carry the hint only, and "secret replaced" when it changed.

type Tx = Prisma.TransactionClient;

export async function createChannel(db: Db, actor: Actor, body: ChannelCreate): Promise<ChannelRecord> {
  requireRole(actor, "manage");
  const input = channelCreateSchema.parse(body);
  refuseInvalid(input.kind, input.settings, input.secret);
  return db.$transaction(async (tx) => {
    const row = await tx.notificationChannel.create({
      data: { name: input.name, kind: input.kind, language: input.language, settings: auditJson(input.settings), enabled: input.enabled, ...sealed(input.kind, input.settings, input.secret) },
    });
    await audit(tx, actor, "notification-channel.create", "notification-channel", row.id, null, channelRecord(row));
    return channelRecord(row);
  });
}

export async function updateChannel(db: Db, actor: Actor, id: number, body: ChannelPatch): Promise<ChannelRecord> {
  requireRole(actor, "manage");
  const patch = channelPatchSchema.parse(body);
  return db.$transaction(async (tx) => {
    const before = await lockChannel(tx, id);
    const kind = before.kind as ChannelKind;
    const settings = patch.settings ?? (before.settings as Record<string, unknown>);
    const secretChanged = patch.secret !== undefined;
    const secret = secretChanged ? (patch.secret ?? null) : before.secret ? decryptSecret(before.secret, requireKey()) : null;
    refuseInvalid(kind, settings, secret);
    const row = await tx.notificationChannel.update({
      where: { id },
      data: { name: patch.name, language: patch.language, settings: auditJson(settings), enabled: patch.enabled, ...(secretChanged ? sealed(kind, settings, secret) : {}) },
    });
    await audit(tx, actor, "notification-channel.update", "notification-channel", id, channelRecord(before), channelRecord(row), secretChanged ? "secret replaced" : undefined);
    return channelRecord(row);
  });
}

export async function deleteChannel(db: Db, actor: Actor, id: number): Promise<void> {
  requireRole(actor, "manage");
  await db.$transaction(async (tx) => {
    const before = await lockChannel(tx, id);
    await tx.notificationChannel.delete({ where: { id } });
    await audit(tx, actor, "notification-channel.delete", "notification-channel", id, channelRecord(before), null);
  });
}

export async function listChannels(db: Db): Promise<ChannelRecord[]> {
  return (await db.notificationChannel.findMany({ orderBy: { name: "asc" } })).map(channelRecord);
}

export async function createRule(db: Db, actor: Actor, body: RuleCreate) {
  requireRole(actor, "manage");
  const input = ruleCreateSchema.parse(body);
  return db.$transaction(async (tx) => {
    await requireChannel(tx, input.channelId);
    const row = await tx.notificationRule.create({ data: input });
    await audit(tx, actor, "notification-rule.create", "notification-rule", row.id, null, auditJson(row));
    return row;
  });
}

export async function updateRule(db: Db, actor: Actor, id: number, body: RulePatch) {
  requireRole(actor, "manage");
  const patch = rulePatchSchema.parse(body);
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "NotificationRule" WHERE id = ${id} FOR UPDATE`;
    if (!locked) throw notFound("The rule");
    const before = await tx.notificationRule.findUniqueOrThrow({ where: { id } });
    if (patch.channelId !== undefined) await requireChannel(tx, patch.channelId);
    const row = await tx.notificationRule.update({ where: { id }, data: patch });
    await audit(tx, actor, "notification-rule.update", "notification-rule", id, auditJson(before), auditJson(row));
    return row;
  });
}

export async function deleteRule(db: Db, actor: Actor, id: number): Promise<void> {
  requireRole(actor, "manage");
  await db.$transaction(async (tx) => {
    const before = await tx.notificationRule.findUnique({ where: { id } });
    if (!before) throw notFound("The rule");
    await tx.notificationRule.delete({ where: { id } });
    await audit(tx, actor, "notification-rule.delete", "notification-rule", id, auditJson(before), null);
  });
}

export function listRules(db: Db) {
  return db.notificationRule.findMany({ orderBy: { id: "asc" } });
}

/** A maintenance window, planned ahead or open now: its connector's alerts are expected and notify nobody. */
export async function createWindow(db: Db, actor: Actor, body: WindowCreate) {
  requireRole(actor, "manage");
  const input = windowCreateSchema.parse(body);
  return db.$transaction(async (tx) => {
    if (!(await tx.connector.findUnique({ where: { id: input.connectorId } }))) throw invalidFields([{ field: "connectorId", message: "No connector has this id." }]);
    const row = await tx.maintenanceWindow.create({ data: { ...input, createdBy: actor.name } });
    await audit(tx, actor, "maintenance-window.create", "maintenance-window", row.id, null, auditJson(row));
    return row;
  });
}

export async function deleteWindow(db: Db, actor: Actor, id: number): Promise<void> {
  requireRole(actor, "manage");
  await db.$transaction(async (tx) => {
    const before = await tx.maintenanceWindow.findUnique({ where: { id } });
    if (!before) throw notFound("The maintenance window");
    await tx.maintenanceWindow.delete({ where: { id } });
    await audit(tx, actor, "maintenance-window.delete", "maintenance-window", id, auditJson(before), null);
  });
}

export function listWindows(db: Db, connectorId?: number) {
  return db.maintenanceWindow.findMany({ where: connectorId ? { connectorId } : {}, orderBy: [{ startsAt: "desc" }, { id: "desc" }] });
}

function channelRecord(row: NotificationChannel): ChannelRecord {
  return {
    id: row.id, name: row.name, kind: row.kind, language: row.language, settings: row.settings as Record<string, unknown>,
    hasSecret: row.secret !== null, secretHint: row.secretHint, enabled: row.enabled, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

function refuseInvalid(kind: ChannelKind, settings: Record<string, unknown>, secret: string | null): void {
  const issues = validateChannel(kind, settings, secret);
  if (issues.length > 0) throw invalidFields(issues);
}

function sealed(kind: ChannelKind, settings: Record<string, unknown>, secret: string | null): { secret: string | null; secretHint: string | null } {
  if (secret === null) return { secret: null, secretHint: null };
  const target = channelTarget(kind, settings, secret);
  return { secret: encryptSecret(secret, requireKey()), secretHint: target ? secretHint(target) : "…" };
}

function requireKey(): Buffer {
  const key = notifySecretKey();
  if (!key) throw new AppError({ code: "internal", status: 500, message: "Channel secrets cannot be saved or read: NOTIFY_SECRET_KEY is not set (npm start makes one)." });
  return key;
}

async function requireChannel(tx: Tx, id: number): Promise<void> {
  if (!(await tx.notificationChannel.findUnique({ where: { id } }))) throw invalidFields([{ field: "channelId", message: "No channel has this id." }]);
}

async function lockChannel(tx: Tx, id: number): Promise<NotificationChannel> {
  const [row] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "NotificationChannel" WHERE id = ${id} FOR UPDATE`;
  if (!row) throw notFound("The channel");
  return tx.notificationChannel.findUniqueOrThrow({ where: { id } });
}

async function audit(tx: Tx, actor: Actor, action: string, targetType: "notification-channel" | "notification-rule" | "maintenance-window", id: number, before: unknown, after: unknown, note?: string) {
  await writeAudit(tx, actor, [{ action, targetType, targetId: id, before: before === null ? null : auditJson(before as Record<string, unknown>), after: after === null ? null : auditJson(after as Record<string, unknown>), note }]);
}
