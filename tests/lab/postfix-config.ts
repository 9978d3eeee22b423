/**
 * The files of the lab's private Postfix instance: main.cf, master.cf, the transport and TLS policy
 * tables, and the resolv.conf its chrooted SMTP client reads. Pure text; `postfix.ts` writes them.
 */

export type TlsPolicy = "none" | "may" | "encrypt" | "verify" | "secure";

/** Where one recipient domain goes: `[127.0.0.1]:PORT`, or `[name.lab.test]:PORT` to resolve through the lab's DNS. */
export type PostfixRoute = Readonly<{ nexthop: string; tls?: TlsPolicy }>;

/** Retry and timeout settings; Postfix accepts any number of seconds for each. */
export type PostfixTiming = Readonly<{
  queueRunDelay: number;
  minimalBackoff: number;
  maximalBackoff: number;
  /** maximal_queue_lifetime and bounce_queue_lifetime; 0 would mean a single attempt. */
  queueLifetime: number;
  connectTimeout: number;
  heloTimeout: number;
}>;

export const FAST_TIMING: PostfixTiming = {
  queueRunDelay: 8,
  minimalBackoff: 8,
  maximalBackoff: 16,
  queueLifetime: 40,
  connectTimeout: 3,
  heloTimeout: 3,
};

export type PostfixLayout = Readonly<{
  root: string;
  configDir: string;
  queueDir: string;
  dataDir: string;
  logPath: string;
}>;

export type ConfigInput = Readonly<{
  layout: PostfixLayout;
  hostName: string;
  /** domain → route */
  routes: ReadonlyMap<string, PostfixRoute>;
  /** The name every verified certificate must carry (`match=` of verify and secure). */
  tlsMatch: string;
  timing: PostfixTiming;
}>;

export const CA_FILE = "lab-ca.pem";

export function mainCf({ layout, hostName, timing }: ConfigInput): string {
  const seconds = (value: number) => `${value}s`;
  const settings: Record<string, string> = {
    compatibility_level: "3.6",
    queue_directory: layout.queueDir,
    data_directory: layout.dataDir,
    mail_owner: "postfix",
    setgid_group: "postdrop",
    myhostname: hostName,
    mydomain: "lab.test",
    myorigin: "$myhostname",
    // Nothing is local: a stray address fails here instead of reaching a mailbox or the host's resolver.
    mydestination: "",
    local_transport: "error:5.1.1 local delivery is off in the lab",
    default_transport: "error:5.1.2 not a lab destination",
    relayhost: "",
    alias_maps: "",
    alias_database: "",
    biff: "no",
    append_dot_mydomain: "no",
    inet_interfaces: "loopback-only",
    inet_protocols: "ipv4",
    transport_maps: `texthash:${layout.configDir}/transport`,
    // Names are looked up in DNS only (libc's resolver, port 53), and only by the chrooted smtp,
    // whose /etc/resolv.conf is the queue directory's etc/resolv.conf: the lab's responder.
    smtp_dns_support_level: "enabled",
    smtp_host_lookup: "dns",
    smtp_connection_cache_on_demand: "no",
    maillog_file: layout.logPath,
    maillog_file_prefixes: layout.root,
    queue_run_delay: seconds(timing.queueRunDelay),
    minimal_backoff_time: seconds(timing.minimalBackoff),
    maximal_backoff_time: seconds(timing.maximalBackoff),
    maximal_queue_lifetime: seconds(timing.queueLifetime),
    bounce_queue_lifetime: seconds(timing.queueLifetime),
    smtp_connect_timeout: seconds(timing.connectTimeout),
    smtp_helo_timeout: seconds(timing.heloTimeout),
    smtp_starttls_timeout: seconds(timing.heloTimeout),
    smtp_mail_timeout: seconds(timing.heloTimeout),
    smtp_rcpt_timeout: seconds(timing.heloTimeout),
    smtp_tls_security_level: "may",
    smtp_tls_CAfile: `${layout.configDir}/${CA_FILE}`,
    smtp_tls_policy_maps: `texthash:${layout.configDir}/tls_policy`,
    smtp_tls_loglevel: "1",
  };
  return Object.entries(settings).map(([name, value]) => `${name} = ${value}`).join("\n") + "\n";
}

/** Only the services a relay-only instance uses; no smtpd listener (mail comes in through sendmail). */
export function masterCf(): string {
  const services: readonly (readonly string[])[] = [
    // service  type  private unpriv chroot wakeup maxproc command
    ["pickup", "unix", "n", "-", "n", "60", "1", "pickup"],
    ["cleanup", "unix", "n", "-", "n", "-", "0", "cleanup"],
    ["qmgr", "unix", "n", "-", "n", "300", "1", "qmgr"],
    ["tlsmgr", "unix", "-", "-", "n", "1000?", "1", "tlsmgr"],
    ["rewrite", "unix", "-", "-", "n", "-", "-", "trivial-rewrite"],
    ["bounce", "unix", "-", "-", "n", "-", "0", "bounce"],
    ["defer", "unix", "-", "-", "n", "-", "0", "bounce"],
    ["trace", "unix", "-", "-", "n", "-", "0", "bounce"],
    ["verify", "unix", "-", "-", "n", "-", "1", "verify"],
    ["flush", "unix", "n", "-", "n", "1000?", "0", "flush"],
    ["proxymap", "unix", "-", "-", "n", "-", "-", "proxymap"],
    // The one chrooted service: its resolver reads <queue_directory>/etc/resolv.conf.
    ["smtp", "unix", "-", "-", "y", "-", "-", "smtp"],
    ["showq", "unix", "n", "-", "n", "-", "-", "showq"],
    ["error", "unix", "-", "-", "n", "-", "-", "error"],
    ["retry", "unix", "-", "-", "n", "-", "-", "error"],
    ["discard", "unix", "-", "-", "n", "-", "-", "discard"],
    ["anvil", "unix", "-", "-", "n", "-", "1", "anvil"],
    ["scache", "unix", "-", "-", "n", "-", "1", "scache"],
    ["postlog", "unix-dgram", "n", "-", "n", "-", "1", "postlogd"],
  ];
  return services.map((fields) => fields.join(" ")).join("\n") + "\n";
}

export function transportTable({ routes }: ConfigInput): string {
  return [...routes].map(([domain, route]) => `${domain} smtp:${route.nexthop}`).join("\n") + "\n";
}

/** Keyed by next hop, as the SMTP client looks it up (`[127.0.0.1]:PORT`). */
export function tlsPolicyTable({ routes, tlsMatch }: ConfigInput): string {
  const lines = [...routes.values()].flatMap(({ nexthop, tls }) => {
    if (!tls) return [];
    const verifying = tls === "verify" || tls === "secure";
    return [`${nexthop} ${tls}${verifying ? ` match=${tlsMatch}` : ""}`];
  });
  return lines.join("\n") + "\n";
}

/** One attempt of one second: a silent DNS server costs a delivery attempt a second, not ten. */
export function resolvConf(nameserver: string): string {
  return `nameserver ${nameserver}\noptions timeout:1 attempts:1\n`;
}
