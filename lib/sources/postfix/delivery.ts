// Pure: the fields of a Postfix delivery line (log_adhoc.c): `to=<r>, [orig_to=<o>, ]relay=R,
// [conn_use=N, ]delay=…, delays=…, [tls=…, ]dsn=X.Y.Z, status=S (reason)`. The reason may hold
// parentheses of its own (`… (in reply to RCPT TO command)`), so it runs to the line's last `)`.

export type Delivery = Readonly<{
  recipient: string;
  /** `host[ip]:port`; null for `relay=none` (a deferral the queue manager or the error agent logged). */
  relay: string | null;
  dsn: string;
  status: string;
  reason: string;
}>;

/** The delivery a line's text (after `QUEUEID: `) reports, or null when it is cut short. */
export function readDelivery(text: string): Delivery | null {
  const m = DELIVERY.exec(text);
  if (!m) return null;
  const [, recipient = "", relay = "", dsn = "", status = "", reason = ""] = m;
  return { recipient, relay: relay === "none" ? null : relay, dsn, status, reason };
}

/**
 * The server a reason names (`connect to mail.contoso.se[203.0.113.25]:25: …`, `host … said: …`),
 * for a `relay=none` line: where the mail was going when delivery was suspended.
 */
export function readPeer(reason: string): string | null {
  const text = reason.replace(SUSPENDED, "");
  for (const pattern of PEERS) {
    const m = pattern.exec(text);
    if (m?.[1]) return m[1];
  }
  return null;
}

const DELIVERY = /^to=<(.*?)>, (?:orig_to=<.*?>, )?relay=(\S+?), .*?dsn=(\d\.\d{1,3}\.\d{1,3}), status=([a-z-]+) \((.*)\)$/;
const SUSPENDED = /^delivery temporarily suspended: /;
const PEERS = [
  /^connect to (\S+): /,
  /^host (\S+) (?:said|refused to talk to me): /,
  /^(?:lost connection|conversation) with (\S+) /,
  /^TLS is required, but (?:was not offered by )?host (\S+)/,
];
