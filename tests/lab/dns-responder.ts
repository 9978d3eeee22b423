import dgram from "node:dgram";
import net from "node:net";

/**
 * An authoritative-only DNS responder on loopback UDP for names under `lab.test`, from a table the
 * test gives. It never forwards: names outside the lab zone are REFUSED. Point a resolver at it with
 * `resolver.setServers([lab.dns.server])`.
 */

export const LAB_ZONE = "lab.test";

export type DnsFault = "servfail" | "nxdomain" | "silence";

export type DnsEntry = Readonly<{
  A?: readonly string[];
  AAAA?: readonly string[];
  MX?: readonly Readonly<{ priority: number; exchange: string }>[];
}>;

export type DnsTable = Readonly<Record<string, DnsEntry | DnsFault>>;

/** Where to listen: loopback only. Postfix (libc) asks port 53 only, so its lab resolver binds e.g. 127.53.0.1:53 (root). */
export type DnsResponderOptions = Readonly<{ host?: string; port?: number }>;

export type DnsResponder = Readonly<{
  host: string;
  port: number;
  /** "127.0.0.1:<port>", for `Resolver.setServers`. */
  server: string;
  /** Adds or replaces one name's answer (or fault). */
  set: (name: string, entry: DnsEntry | DnsFault) => void;
  /** How many queries asked about a name, whatever the answer. */
  queriesFor: (name: string) => number;
  stop: () => Promise<void>;
}>;

const LOOPBACK = "127.0.0.1";
const TYPE = { A: 1, MX: 15, AAAA: 28 } as const;
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const TTL_SECONDS = 60;

export async function startDnsResponder(initial: DnsTable = {}, options: DnsResponderOptions = {}): Promise<DnsResponder> {
  const host = options.host ?? LOOPBACK;
  if (!isLoopback(host)) throw new Error(`the lab's DNS responder listens on loopback only, not ${host}`);
  const table = new Map<string, DnsEntry | DnsFault>();
  const queries = new Map<string, number>();
  for (const [name, entry] of Object.entries(initial)) table.set(normalise(name), entry);

  const socket = dgram.createSocket("udp4");
  socket.on("message", (message, remote) => {
    const response = answer(message, table, queries);
    if (response) socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port ?? 0, host, () => resolve());
  });
  const { port } = socket.address();
  return {
    host,
    port,
    server: `${host}:${port}`,
    set: (name, entry) => void table.set(normalise(name), entry),
    queriesFor: (name) => queries.get(normalise(name)) ?? 0,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

type Question = Readonly<{ name: string; type: number; class: number; end: number }>;

/** The response to one query, or null to stay silent. */
function answer(message: Buffer, table: Map<string, DnsEntry | DnsFault>, queries: Map<string, number>): Buffer | null {
  if (message.length < 12 || (message[2]! & 0x80) !== 0) return null;
  const question = readQuestion(message);
  if (!question) return header(message, RCODE.FORMERR, 0, 0);
  const questionBytes = message.subarray(12, question.end);
  queries.set(question.name, (queries.get(question.name) ?? 0) + 1);

  if (question.name !== LAB_ZONE && !question.name.endsWith(`.${LAB_ZONE}`)) return reply(message, questionBytes, RCODE.REFUSED);
  const entry = table.get(question.name);
  if (entry === "silence") return null;
  if (entry === "servfail") return reply(message, questionBytes, RCODE.SERVFAIL);
  if (entry === undefined || entry === "nxdomain") return reply(message, questionBytes, RCODE.NXDOMAIN);
  return reply(message, questionBytes, RCODE.NOERROR, records(question.type, entry));
}

function reply(query: Buffer, questionBytes: Buffer, rcode: number, answers: Buffer[] = []): Buffer {
  return Buffer.concat([header(query, rcode, 1, answers.length), questionBytes, ...answers]);
}

/** Header: same id, QR + AA, the query's opcode and RD, RA set. */
function header(query: Buffer, rcode: number, questions: number, answers: number): Buffer {
  const out = Buffer.alloc(12);
  query.copy(out, 0, 0, 2);
  out[2] = 0x80 | 0x04 | (query[2]! & 0x79);
  out[3] = 0x80 | rcode;
  out.writeUInt16BE(questions, 4);
  out.writeUInt16BE(answers, 6);
  return out;
}

function records(type: number, entry: DnsEntry): Buffer[] {
  if (type === TYPE.A) return (entry.A ?? []).map((address) => record(TYPE.A, Buffer.from(address.split(".").map(Number))));
  if (type === TYPE.AAAA) return (entry.AAAA ?? []).map((address) => record(TYPE.AAAA, ipv6Bytes(address)));
  if (type === TYPE.MX) {
    return (entry.MX ?? []).map(({ priority, exchange }) => {
      const preference = Buffer.alloc(2);
      preference.writeUInt16BE(priority);
      return record(TYPE.MX, Buffer.concat([preference, encodeName(exchange)]));
    });
  }
  return [];
}

/** One answer whose owner is the question's name (a pointer to offset 12). */
function record(type: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0);
  fixed.writeUInt16BE(type, 2);
  fixed.writeUInt16BE(1, 4);
  fixed.writeUInt32BE(TTL_SECONDS, 6);
  fixed.writeUInt16BE(data.length, 10);
  return Buffer.concat([fixed, data]);
}

/** The first question; queries carry their name uncompressed. */
function readQuestion(message: Buffer): Question | null {
  if (message.readUInt16BE(4) < 1) return null;
  const labels: string[] = [];
  let offset = 12;
  for (let guard = 0; guard < 128; guard++) {
    const length = message[offset];
    if (length === undefined || length > 63) return null;
    offset += 1;
    if (length === 0) {
      if (offset + 4 > message.length) return null;
      return { name: normalise(labels.join(".")), type: message.readUInt16BE(offset), class: message.readUInt16BE(offset + 2), end: offset + 4 };
    }
    labels.push(message.toString("latin1", offset, offset + length));
    offset += length;
  }
  return null;
}

function encodeName(name: string): Buffer {
  const labels = normalise(name).split(".").filter(Boolean);
  return Buffer.concat([...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, "latin1")])), Buffer.from([0])]);
}

function ipv6Bytes(address: string): Buffer {
  if (!net.isIPv6(address)) throw new Error(`not an IPv6 address: ${address}`);
  const [head = "", tail] = address.split("::");
  const words = (part: string) => (part ? part.split(":").map((word) => parseInt(word, 16)) : []);
  const left = words(head);
  const right = tail === undefined ? [] : words(tail);
  const all = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((word, index) => out.writeUInt16BE(word, index * 2));
  return out;
}

function isLoopback(host: string): boolean {
  return net.isIPv4(host) && host.startsWith("127.");
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}
