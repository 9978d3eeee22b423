import "server-only";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { requireRole, type Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ingestObservations } from "@/lib/events/ingest";
import { PROBE_SOURCE } from "@/lib/grouping/event";
import { AppError, conflict, notFound } from "@/lib/http/errors";
import { applyCertificateObservation } from "@/lib/probe/cert-warning";
import { observationsOf } from "@/lib/probe/observations";
import { probeConnector } from "@/lib/probe/probe";
import type { ProbeOptions, ProbeResult, ProbeStep, TargetAddress, TargetResult } from "@/lib/probe/types";

// "Validate connector" for the dashboard, the CLI and the schedule: refuses what must never be
// probed, runs lib/probe against the connector's own hosts, keeps the run (ConnectorValidation)
// and writes what it observed into the event stream as source "probe", in one transaction, so the
// one fold raises, continues or resolves the connector's alerts; the certificate warning is kept
// beside the fold in the same transaction (docs/probe.md).

export type ValidationTrigger = "manual" | "scheduled" | "command-line";

export type ValidationRecord = {
  id: number;
  connectorId: number;
  trigger: ValidationTrigger;
  actor: string;
  recipient: string | null;
  startedAt: string;
  durationMs: number;
  outcome: ProbeResult["outcome"];
  /** The classified code of the first failure; null when it passed. */
  errorCode: string | null;
  /** The failure's plain words, or null. */
  summary: string | null;
  targets: TargetResult[];
  certExpiresAt: string | null;
};

export type ValidationRequest = {
  trigger: ValidationTrigger;
  /** Who asked; the schedule and the CLI are the system. */
  actor: Actor | null;
  recipient?: string;
  onStep?: (target: TargetAddress, step: ProbeStep) => void;
  /** Tests shorten the probe's waits. */
  probe?: Pick<ProbeOptions, "timeouts" | "now">;
};

/** Why a connector is never probed, in words an admin reads in the dashboard, the CLI and the API. */
export const DEMO_REFUSAL =
  "This is a demo connector: its smart hosts are made-up public names, so validating it would send DNS and SMTP traffic off this machine to servers that are not yours. Nothing was sent. Add your own connector to validate it.";

const RECIPIENT = /^[^\s<>@\u0000-\u001f\u007f]{1,64}@[^\s<>@\u0000-\u001f\u007f]{1,253}$/;

type ConnectorForProbe = {
  id: number;
  name: string;
  demo: boolean;
  retiredAt: Date | null;
  useMxRecord: boolean;
  smartHosts: string[];
  recipientDomains: string[];
  tlsMode: "OPPORTUNISTIC" | "ENCRYPTION_ONLY" | "CERTIFICATE_VALIDATION" | "DOMAIN_VALIDATION";
  tlsDomain: string | null;
};

const CONNECTOR_SELECT = {
  id: true, name: true, demo: true, retiredAt: true, useMxRecord: true, smartHosts: true, recipientDomains: true, tlsMode: true, tlsDomain: true,
} as const;

/** Finds a connector by id or exact name (the CLI's), or answers 404. */
export async function findConnectorForProbe(db: Db, ref: number | string): Promise<ConnectorForProbe> {
  const row = await db.connector.findFirst({ where: typeof ref === "number" ? { id: ref } : { name: ref }, select: CONNECTOR_SELECT });
  if (!row) throw notFound(typeof ref === "number" ? `Connector ${ref}` : `The connector "${ref}"`);
  return row;
}

/**
 * Refusals before anything is sent: a demo connector (made-up public hosts), a retired one, one
 * with nowhere to send to, a malformed test recipient. Thrown as AppErrors (409/400).
 */
export function refusalOf(connector: ConnectorForProbe, recipient: string | undefined): AppError | null {
  if (connector.demo) return new AppError({ code: "conflict", status: 409, message: DEMO_REFUSAL });
  if (connector.retiredAt) return conflict(`"${connector.name}" is retired; restore it before validating it.`);
  if (!connector.useMxRecord && connector.smartHosts.length === 0) return conflict(`"${connector.name}" has no smart host to validate.`);
  if (connector.useMxRecord && !recipient && !mxDomainOf(connector)) {
    return new AppError({
      code: "bad_request",
      status: 400,
      message: `"${connector.name}" routes by MX record for every domain: give a test recipient, whose domain's MX is looked up.`,
    });
  }
  if (recipient !== undefined && !RECIPIENT.test(recipient)) {
    return new AppError({ code: "validation_failed", status: 400, message: `The test recipient "${recipient}" is not an email address.` });
  }
  return null;
}

/** Validates a connector and keeps the run; its observations go to the alerts in the same transaction. */
export async function validateConnector(db: Db, connectorRef: number | string, request: ValidationRequest): Promise<ValidationRecord> {
  if (request.actor) requireRole(request.actor, "remediate");
  const connector = await findConnectorForProbe(db, connectorRef);
  const recipient = request.recipient?.trim() || undefined;
  const refusal = refusalOf(connector, recipient);
  if (refusal) throw refusal;

  const startedAt = new Date();
  const result = await probeConnector(
    {
      useMxRecord: connector.useMxRecord,
      smartHosts: connector.smartHosts,
      recipientDomain: recipient ? recipient.slice(recipient.lastIndexOf("@") + 1) : mxDomainOf(connector),
      tlsMode: connector.tlsMode,
      tlsDomain: connector.tlsDomain,
    },
    { ...probeOptionsFromEnv(), recipient, onStep: request.onStep, ...request.probe },
  );
  const { events, certificate, certExpiresAt } = observationsOf(result, { id: randomUUID(), at: startedAt, warnDays: env().CERT_WARN_DAYS });
  const record: Omit<ValidationRecord, "id"> = {
    connectorId: connector.id,
    trigger: request.trigger,
    actor: request.actor?.email || request.actor?.name || (request.trigger === "scheduled" ? "schedule" : "command line"),
    recipient: recipient ?? null,
    startedAt: startedAt.toISOString(),
    durationMs: result.durationMs,
    outcome: result.outcome,
    errorCode: result.classification?.code ?? null,
    summary: result.classification?.detail ?? null,
    targets: [...result.targets],
    certExpiresAt: certExpiresAt?.toISOString() ?? null,
  };
  let id = 0;
  await ingestObservations(db, connector.id, events, PROBE_SOURCE, {
    alsoWrite: async (tx) => {
      if (certificate) await applyCertificateObservation(tx, connector.id, certificate, startedAt);
      const [row] = await tx.$queryRawUnsafe<{ id: number }[]>(
        `INSERT INTO "ConnectorValidation" ("connectorId","trigger","actor","recipient","startedAt","durationMs","outcome","errorCode","summary","targets","certExpiresAt")
         VALUES ($1,$2,$3,$4,$5::timestamptz,$6,$7,$8,$9,$10::jsonb,$11::timestamptz) RETURNING id`,
        record.connectorId, record.trigger, record.actor, record.recipient, record.startedAt, record.durationMs, record.outcome,
        record.errorCode, record.summary, JSON.stringify(record.targets), record.certExpiresAt,
      );
      id = row!.id;
    },
  });
  return { id, ...record };
}

export type ValidationPage = { items: ValidationRecord[]; nextBefore: number | null };

/** A connector's validations, newest first, `limit` a page; `before` is the last id of the page before. */
export async function listValidations(db: Db, connectorId: number, page: { limit: number; before?: number }): Promise<ValidationPage> {
  const rows = await db.connectorValidation.findMany({
    where: { connectorId, ...(page.before ? await startedBefore(db, connectorId, page.before) : {}) },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
  });
  const items = rows.slice(0, page.limit).map((row) => ({
    id: row.id,
    connectorId: row.connectorId,
    trigger: row.trigger as ValidationTrigger,
    actor: row.actor,
    recipient: row.recipient,
    startedAt: row.startedAt.toISOString(),
    durationMs: row.durationMs,
    outcome: row.outcome as ProbeResult["outcome"],
    errorCode: row.errorCode,
    summary: row.summary,
    targets: row.targets as unknown as TargetResult[],
    certExpiresAt: row.certExpiresAt?.toISOString() ?? null,
  }));
  return { items, nextBefore: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * The keyset after `before` in the order (startedAt desc, id desc). Ids follow the end of a run,
 * not its start (a slow run started first is stored last), so `id < before` alone would skip runs.
 */
async function startedBefore(db: Db, connectorId: number, before: number): Promise<Prisma.ConnectorValidationWhereInput> {
  const cursor = await db.connectorValidation.findFirst({ where: { id: before, connectorId }, select: { startedAt: true } });
  if (!cursor) return { id: { lt: before } };
  return { OR: [{ startedAt: { lt: cursor.startedAt } }, { startedAt: cursor.startedAt, id: { lt: before } }] };
}

/** The probe's resolver, extra trusted CAs and sender, from the environment. */
export function probeOptionsFromEnv(): Pick<ProbeOptions, "resolver" | "trustedCa" | "sender"> {
  const { PROBE_DNS_SERVERS, PROBE_CA_FILE, PROBE_SENDER } = env();
  const servers = PROBE_DNS_SERVERS?.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return {
    ...(servers && servers.length > 0 ? { resolver: servers } : {}),
    ...(PROBE_CA_FILE ? { trustedCa: [readFileSync(PROBE_CA_FILE, "utf8")] } : {}),
    ...(PROBE_SENDER ? { sender: PROBE_SENDER } : {}),
  };
}

/** The domain whose MX a connector routing by MX is probed with: its first recipient domain that is not a wildcard. */
function mxDomainOf(connector: Pick<ConnectorForProbe, "recipientDomains">): string | null {
  const named = connector.recipientDomains.find((d) => d !== "*");
  return named ? named.replace(/^\*\./, "") : null;
}
