import type { ConnectorKind } from "@/lib/db/enums";
import type { EventInput } from "@/lib/events/schemas";

// Pure: a deterministic stream of realistic delivery events for benchmarks — healthy traffic,
// outages of every code with retries and recovery, and one connector refused for good (so
// messages expire after 24 hours). Events come in time order, as a live feed would send them.
export type BenchConnector = { name: string; kind: ConnectorKind };

const CODES = ["450 4.4.312", "450 4.4.315", "450 4.4.316", "450 4.4.317", "450 4.4.318", "450 4.7.320", "451 4.4.0"];
const DOMAINS = ["contoso.example", "fabrikam.example", "northwind.example", "tailspin.example", "woodgrove.example"];

export function benchConnectors(count: number): BenchConnector[] {
  return Array.from({ length: count }, (_, i) => ({
    name: i === 0 ? "Bench on-premises" : `Bench partner ${i}`,
    kind: i === 0 ? "ON_PREMISES" : "PARTNER",
  }));
}

type Outage = { start: number; end: number; code: string };
type Pending = { id: string; recipient: string; first: number };

export function* benchEvents(opts: { total: number; from: number; to: number; connectors: BenchConnector[]; seed: number; idPrefix?: string }): Generator<EventInput> {
  const rand = mulberry32(opts.seed);
  const span = opts.to - opts.from;
  const outages = opts.connectors.map((_, i) => planOutages(rand, opts.from, opts.to, i === 0));
  const pending = opts.connectors.map((): Pending[] => []);
  let messageSeq = 0;
  for (let i = 0; i < opts.total; i++) {
    const at = opts.from + Math.floor((i * span) / opts.total);
    const c = Math.floor(rand() * opts.connectors.length);
    const connector = opts.connectors[c]!;
    const queue = pending[c]!;
    while (queue.length > 0 && at - queue[0]!.first > 24 * 3600_000) queue.shift();
    const outage = outages[c]!.find((o) => at >= o.start && at < o.end);
    const retry = queue.length > 0 && rand() < 0.4;
    const message = retry ? queue[Math.floor(rand() * queue.length)]! : newMessage(opts.idPrefix ?? "bench", ++messageSeq, rand, at);
    const base = {
      id: `${opts.idPrefix ?? "bench"}-${i}`,
      occurredAt: new Date(at).toISOString(),
      connector: connector.name,
      messageId: message.id,
      sender: "sender@contoso.example",
      recipient: message.recipient,
      destination: `mx${c}.partner.example`,
    };
    if (!outage) {
      if (retry) queue.splice(queue.indexOf(message), 1);
      yield { ...base, status: "delivered" };
      continue;
    }
    if (!retry) queue.push(message);
    const permanent = rand() < 0.01;
    if (permanent) queue.splice(queue.indexOf(message), 1);
    yield {
      ...base,
      status: permanent ? "failed" : "deferred",
      errorCode: outage.code,
      errorDetails: `${outage.code} ${detailFor(outage.code)} [${connector.name} attempt at ${base.occurredAt}]`,
    };
  }
}

function planOutages(rand: () => number, from: number, to: number, decommissioned: boolean): Outage[] {
  const outages: Outage[] = [];
  const hour = 3600_000;
  for (let t = from + rand() * 12 * hour; t < to; t += (6 + rand() * 30) * hour) {
    const length = (0.3 + rand() * 5) * hour;
    outages.push({ start: t, end: t + length, code: CODES[Math.floor(rand() * CODES.length)]! });
    t += length;
  }
  if (decommissioned) outages.push({ start: to - 2 * 24 * hour, end: to + hour, code: "450 4.4.316" });
  return outages;
}

function newMessage(prefix: string, seq: number, rand: () => number, at: number): Pending {
  const domain = DOMAINS[Math.floor(rand() * DOMAINS.length)]!;
  return { id: `<${prefix}-${seq}@contoso.example>`, recipient: `user${seq % 5000}@${domain}`, first: at };
}

function detailFor(code: string): string {
  if (code.endsWith("4.4.316")) return "Connection refused";
  if (code.endsWith("4.7.320")) return "Certificate validation failed";
  if (code.endsWith("4.4.312")) return "DNS query failed";
  return "Remote server error";
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
