import type { Db } from "@/lib/db/client";
import { traceSearchString, type TraceParam } from "@/lib/trace/search";

// The message-trace searches `npm run bench` times: each kind the page offers, with terms drawn
// from what the bench stored, over the bench's whole week, and the second page of each.

export type TraceSearchKind = "messageId" | "sender" | "recipient" | "domain" | "code";

type Samples = Record<TraceSearchKind, string[]>;

/** Terms that exist in the bench's trace: message ids and recipients spread over the week, every sender, domain and code. */
export async function traceSamples(db: Db, count = 200): Promise<Samples> {
  const rows = await db.$queryRawUnsafe<{ messageId: string; recipient: string }[]>(
    `SELECT "messageId", recipient FROM "TraceMessage" TABLESAMPLE SYSTEM (1) LIMIT ${count}`,
  );
  const distinct = async (column: string) =>
    (await db.$queryRawUnsafe<{ v: string }[]>(`SELECT DISTINCT "${column}" AS v FROM "TraceMessage" WHERE "${column}" IS NOT NULL LIMIT 50`)).map((r) => r.v);
  return {
    messageId: rows.map((r) => r.messageId),
    recipient: rows.map((r) => r.recipient),
    sender: await distinct("sender"),
    domain: (await distinct("recipientDomain")).map((d) => `@${d}`),
    code: await distinct("lastCode"),
  };
}

/** Per kind, the first-page URLs of GET /api/trace over [from, to). */
export function traceSearchUrls(samples: Samples, from: string, to: string): Record<TraceSearchKind, string[]> {
  const url = (param: TraceParam, value: string) => `/api/trace${traceSearchString({ [param]: value, from, to })}`;
  return {
    messageId: samples.messageId.map((v) => url("messageId", v)),
    sender: samples.sender.map((v) => url("sender", v)),
    recipient: samples.recipient.map((v) => url("recipient", v)),
    domain: samples.domain.map((v) => url("recipient", v)),
    code: samples.code.map((v) => url("code", v)),
  };
}
