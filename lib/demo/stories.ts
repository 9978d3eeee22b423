import { DEMO_SMART_HOST_IPS, demoConnector, type DemoConnectorKey } from "@/lib/demo/organisation";

// What happened to Contoso Nordic's mail flow over the last day, as data. lib/demo/events.ts turns
// it into delivery events. Times are epoch milliseconds, placed relative to `now`.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Failure = {
  status: "deferred" | "failed";
  errorCode: string;
  errorDetails: string;
  destination: string;
};

export type DemoStory = {
  connector: DemoConnectorKey;
  /** New messages run into the problem from `from` until `to`. */
  from: number;
  to: number;
  /** Retries from this moment on get through; null while the problem lasts. */
  recoversAt: number | null;
  /** At least this many messages are affected; an outage takes all the connector's traffic. */
  minMessages: number;
  /** The route is down: no other message of the connector gets through meanwhile. */
  outage: boolean;
  failure: (index: number) => Failure;
};

/** Messages per hour at the busiest office hour, per connector. */
export const HOURLY_RATE: Readonly<Record<DemoConnectorKey, number>> = {
  onPremises: 55,
  archive: 70,
  payroll: 15,
  subsidiary: 90,
};

// Share of the peak rate per local hour: quiet nights, a morning burst, a lunch dip.
const LOCAL_HOUR_WEIGHT = [
  0.05, 0.04, 0.04, 0.04, 0.05, 0.1, 0.3, 0.7, 1.3, 1.4, 1.2, 1.0, 0.8, 1.1, 1.2, 1.0, 0.8, 0.5, 0.3, 0.25, 0.2, 0.15,
  0.1, 0.07,
];
export const MAX_TRAFFIC_WEIGHT = Math.max(...LOCAL_HOUR_WEIGHT);
// The organisation works in Stockholm; winter time is enough for a demo.
const LOCAL_OFFSET = HOUR;

export function trafficWeight(at: number): number {
  const localHour = Math.floor((((at + LOCAL_OFFSET) % DAY) + DAY) % DAY / HOUR);
  return LOCAL_HOUR_WEIGHT[localHour] ?? 0;
}

export function demoStories(now: number): DemoStory[] {
  const ago = (hours: number) => now - hours * HOUR;
  const dnsFrom = morningOutageStart(now);
  const dnsTo = dnsFrom + 2 * HOUR;
  return [
    // 450 4.4.316: The on-premises Exchange server was shut down; its connector still routes mail to it.
    {
      connector: "onPremises",
      from: ago(7.25),
      to: now,
      recoversAt: null,
      minMessages: 260,
      outage: true,
      failure: always(failingOn("onPremises", 0, "450 4.4.316", "Connection refused [Socket error 10061: the server actively refused the connection on port 25]")),
    },
    // 450 4.7.320: The archive provider's TLS certificate expired.
    {
      connector: "archive",
      from: ago(5),
      to: now,
      recoversAt: null,
      minMessages: 60,
      outage: true,
      failure: always(failingOn(
        "archive",
        0,
        "450 4.7.320",
        `Certificate validation failed [The certificate CN=smtp.vault.fabrikam-archive.com expired at ${new Date(ago(5)).toISOString()}]`,
        ),
      ),
    },
    // 450 4.4.312: The payroll partner's DNS host failed for two hours, then recovered.
    {
      connector: "payroll",
      from: dnsFrom,
      to: dnsTo,
      recoversAt: dnsTo,
      minMessages: 30,
      outage: true,
      failure: always(failingOn(
        "payroll",
        0,
        "450 4.4.312",
        "DNS query failed [Looking up mx.northwind-payroll.se returned SERVFAIL from the domain's authoritative name servers]",
        ),
      ),
    },
    // 450 4.4.315: The subsidiary's internet link was down for half an hour.
    {
      connector: "subsidiary",
      from: ago(19),
      to: ago(18.45),
      recoversAt: ago(18.45),
      minMessages: 20,
      outage: true,
      failure: (i) => failingOn("subsidiary", i % 2, "450 4.4.315", "Connection timed out [No answer within 30 seconds]"),
    },
    // 450 4.4.318: A firewall update at the subsidiary cut some SMTP sessions off mid-message.
    {
      connector: "subsidiary",
      from: ago(13),
      to: ago(12.5),
      recoversAt: ago(12.4),
      minMessages: 15,
      outage: false,
      failure: always(failingOn("subsidiary", 0, "450 4.4.318", "Connection was closed abruptly [The remote server reset the connection after the DATA command]")),
    },
    // 450 4.4.317: One of the subsidiary's relays stopped offering TLS and turns connections away.
    {
      connector: "subsidiary",
      from: ago(0.9),
      to: now,
      recoversAt: null,
      minMessages: 14,
      outage: false,
      failure: (i) =>
        failingOn(
          "subsidiary",
          1,
          "450 4.4.317",
          i % 2 === 0
            ? "Cannot connect to remote server [The connector requires TLS but the server did not offer STARTTLS]"
            : "Cannot connect to remote server [The server answered: 421 4.3.2 Service not available, closing transmission channel]",
        ),
    },
    // 451 4.4.0: The payroll partner's mail server ran out of disk space.
    {
      connector: "payroll",
      from: ago(0.6),
      to: now,
      recoversAt: null,
      minMessages: 6,
      outage: false,
      failure: always(failingOn("payroll", 0, "451 4.4.0", "Temporary server error [The server answered: 452 4.3.1 Insufficient system storage]")),
    },
    // 550 5.1.1: Two messages went to people who left the subsidiary.
    {
      connector: "subsidiary",
      from: ago(6),
      to: ago(3),
      recoversAt: null,
      minMessages: 2,
      outage: false,
      failure: always({
        ...failingOn("subsidiary", 0, "550 5.1.1", "Recipient not found [The server answered: 550 5.1.1 User unknown]"),
        status: "failed",
      }),
    },
    // 554 5.7.1: The payroll partner refused an attachment type.
    {
      connector: "payroll",
      from: ago(9),
      to: ago(8),
      recoversAt: null,
      minMessages: 1,
      outage: false,
      failure: always({
        ...failingOn("payroll", 0, "554 5.7.1", "Message rejected [The server answered: 554 5.7.1 Attachments of type .exe are not accepted]"),
        status: "failed",
      }),
    },
  ];
}

/**
 * The DNS outage starts at 06:30 local time on the latest morning that leaves time for every
 * queued message to be retried after recovery (so its alert has resolved by `now`); when no such
 * morning lies in the last day, twelve hours ago.
 */
export function morningOutageStart(now: number): number {
  const localMidnight = Math.floor((now + LOCAL_OFFSET) / DAY) * DAY - LOCAL_OFFSET;
  let start = localMidnight + 6.5 * HOUR;
  if (start > now - 4.5 * HOUR) start -= DAY;
  return start >= now - 22 * HOUR ? start : now - 12 * HOUR;
}

function failingOn(connector: DemoConnectorKey, hostIndex: number, errorCode: string, text: string): Failure {
  const { smartHosts } = demoConnector(connector);
  const host = smartHosts[hostIndex] ?? smartHosts[0] ?? "";
  const ip = DEMO_SMART_HOST_IPS[host] ?? "";
  return { status: "deferred", errorCode, errorDetails: `${errorCode} ${text} [Server=${host}] [IP=${ip}:25]`, destination: host };
}

function always(failure: Failure): () => Failure {
  return () => failure;
}
