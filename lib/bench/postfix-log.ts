// Pure: a Postfix log (maillog_file format, UTC) for benchmarks and tests. Message i is queued,
// deferred once (a refused connect to the on-premises server, or a partner's full mailbox), then
// delivered 400 s later, or, every third one, expired by Postfix 500 s later; each ends "removed".
// Lines come in time order, as Postfix writes them.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The connectors the log's recipients route to: their recipient domains and smart hosts. */
export const POSTFIX_BENCH_CONNECTORS = [
  { name: "To on-premises", kind: "ON_PREMISES" as const, smartHosts: ["mail.contoso.se"], recipientDomains: ["contoso.se"] },
  { name: "To Fabrikam", kind: "PARTNER" as const, smartHosts: ["mail.fabrikam.example"], recipientDomains: ["fabrikam.example"] },
];

/** `Dec 01 13:55:14`, Postfix's maillog_file stamp, in UTC. */
export function postfixStamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Message i's lines, each with its time, starting at `start` + 2 s × i. */
export function postfixMessageLines(i: number, start: number): [number, string][] {
  const q = `${(0xa0000 + i).toString(16).toUpperCase()}F`;
  const ms = (s: number) => start + i * 2_000 + s * 1_000;
  const line = (s: number, text: string): [number, string] => [ms(s), `${postfixStamp(ms(s))} mx1 postfix/${text}`];
  const onPremises = i % 2 === 0;
  const to = onPremises ? `user${i}@contoso.se` : `user${i}@fabrikam.example`;
  const relay = onPremises ? "mail.contoso.se[192.0.2.10]:25" : "mail.fabrikam.example[198.51.100.20]:25";
  const reason = onPremises
    ? "connect to mail.contoso.se[192.0.2.10]:25: Connection refused"
    : "host mail.fabrikam.example[198.51.100.20] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)";
  const sender = `sender${i % 7}@contoso-nordic.se`;
  const lines = [
    line(0, `cleanup[900]: ${q}: message-id=<m${i}@contoso-nordic.se>`),
    line(0, `qmgr[901]: ${q}: from=<${sender}>, size=2048, nrcpt=1 (queue active)`),
    line(1, `smtp[902]: ${q}: to=<${to}>, relay=${onPremises ? "none" : relay}, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (${reason})`),
    i % 3 === 0
      ? line(500, `qmgr[901]: ${q}: from=<${sender}>, status=expired, returned to sender`)
      : line(400, `smtp[903]: ${q}: to=<${to}>, relay=${relay}, delay=400, delays=399/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X${i})`),
    line(501, `qmgr[901]: ${q}: removed`),
  ];
  return lines;
}

/** Messages [from, to) as one log text, in time order. */
export function postfixLog(from: number, to: number, start: number): string {
  const lines: [number, string][] = [];
  for (let i = from; i < to; i++) lines.push(...postfixMessageLines(i, start));
  return `${lines.sort((a, b) => a[0] - b[0]).map(([, text]) => text).join("\n")}\n`;
}

/**
 * Messages [0, count) as chunks of log text, in time order, without holding the whole log: a
 * message's lines span at most 501 s, so lines are released once no later message can precede them.
 */
export function* postfixLogChunks(count: number, start: number, perChunk = 5_000): Generator<string> {
  let pending: [number, string][] = [];
  for (let from = 0; from < count; from += perChunk) {
    const to = Math.min(count, from + perChunk);
    for (let i = from; i < to; i++) pending.push(...postfixMessageLines(i, start));
    pending.sort((a, b) => a[0] - b[0]);
    // Every later message starts at start + 2 s × to or later.
    const safe = to === count ? Infinity : start + to * 2_000;
    const cut = pending.findIndex(([at]) => at >= safe);
    const ready = cut < 0 ? pending : pending.slice(0, cut);
    pending = cut < 0 ? [] : pending.slice(cut);
    if (ready.length > 0) yield `${ready.map(([, text]) => text).join("\n")}\n`;
  }
}
