import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { EventInput } from "@/lib/events/schemas";

// Factories instead of copy-pasted fixtures: build* returns plain data, create* writes it.
let seq = 0;
const next = () => ++seq;

export function buildConnector(overrides: Partial<Prisma.ConnectorCreateInput> = {}): Prisma.ConnectorCreateInput {
  const n = next();
  return {
    name: `Connector ${n}`,
    kind: "ON_PREMISES",
    smartHosts: [`mail${n}.example.org`],
    recipientDomains: ["*"],
    tlsMode: "OPPORTUNISTIC",
    ...overrides,
  };
}

export function createConnector(db: Db, overrides: Partial<Prisma.ConnectorCreateInput> = {}) {
  return db.connector.create({ data: buildConnector(overrides) });
}

export function createDomain(db: Db, overrides: Partial<Prisma.AcceptedDomainUncheckedCreateInput> = {}) {
  return db.acceptedDomain.create({ data: { name: `d${next()}.example.org`, type: "INTERNAL_RELAY", ...overrides } });
}

export function buildEvent(overrides: Partial<EventInput> = {}): EventInput {
  const n = next();
  return {
    occurredAt: "2026-11-27T10:00:00.000Z",
    connector: 1,
    messageId: `<m${n}@contoso.example>`,
    sender: "alice@contoso.example",
    recipient: `user${n}@contoso.example`,
    status: "deferred",
    errorCode: "450 4.4.316",
    errorDetails: "450 4.4.316 Connection refused [Message=Socket error code 10061]",
    destination: "mail.contoso.example",
    ...overrides,
  };
}
