import { Resolver } from "node:dns/promises";
import net from "node:net";
import { parseSmartHost } from "@/lib/probe/address-safety";
import { SMTP_PORT, type ProbeTarget } from "@/lib/probe/types";

// Where mail would go: the recipient domain's MX hosts in preference order, else each smart host;
// then each host's address (IPv4 first). An IP literal needs no look-up. Every look-up is bounded.

export type PlannedHost = Readonly<{ host: string; port: number; literal: boolean; via?: string }>;
export type Resolved = Readonly<{ address: string; seen: string }> | Readonly<{ error: string; seen: string }>;

export class ProbeResolver {
  constructor(private readonly servers: readonly string[] | undefined) {}

  /** The hosts to probe, or the MX look-up's error. */
  async plan(target: ProbeTarget, timeoutMs: number): Promise<readonly PlannedHost[] | Readonly<{ error: string; name: string }>> {
    if (!target.useMxRecord) return target.smartHosts.map((written) => parseSmartHost(written));
    const domain = target.recipientDomain;
    if (!domain) throw new Error("a connector that routes by MX record needs the recipient domain to probe");
    const answer = await this.bounded(timeoutMs, (resolver) => resolver.resolveMx(domain));
    if ("error" in answer) return { error: answer.error, name: domain };
    return [...answer.value]
      .sort((a, b) => a.priority - b.priority)
      .map((mx) => ({ host: mx.exchange.replace(/\.$/, ""), port: SMTP_PORT, literal: net.isIP(mx.exchange) !== 0, via: `MX ${mx.priority} of ${domain}` }));
  }

  /** The address the probe connects to: the first IPv4 address, else the first IPv6 one. */
  async address(host: PlannedHost, timeoutMs: number): Promise<Resolved> {
    const via = host.via ? `${host.via}: ` : "";
    if (host.literal) return { address: host.host, seen: `${via}${host.host} is an IP address, no look-up` };
    const [v4, v6] = await Promise.all([
      this.bounded(timeoutMs, (resolver) => resolver.resolve4(host.host)),
      this.bounded(timeoutMs, (resolver) => resolver.resolve6(host.host)),
    ]);
    const addresses = [...("value" in v4 ? v4.value : []), ...("value" in v6 ? v6.value : [])];
    const first = addresses[0];
    if (first === undefined) return { error: "error" in v4 ? v4.error : "ENODATA", seen: `${via}${host.host}: no address` };
    return { address: first, seen: `${via}${host.host} → ${addresses.join(", ")}` };
  }

  /** Node's error code, or ETIMEOUT when the resolver itself overruns its timeout. */
  private async bounded<T>(timeoutMs: number, ask: (resolver: Resolver) => Promise<T>): Promise<Readonly<{ value: T } | { error: string }>> {
    // tries: 1 so the timeout is the whole wait; the default retries would multiply it.
    const resolver = new Resolver({ timeout: Math.max(1, timeoutMs), tries: 1 });
    if (this.servers && this.servers.length > 0) resolver.setServers([...this.servers]);
    const query = ask(resolver);
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<{ error: string }>((resolve) => {
      timer = setTimeout(() => {
        resolver.cancel();
        resolve({ error: "ETIMEOUT" });
      }, timeoutMs);
    });
    const answered = query.then(
      (value) => ({ value }),
      (error: NodeJS.ErrnoException) => ({ error: error.code ?? error.message }),
    );
    try {
      return await Promise.race([answered, overrun]);
    } finally {
      clearTimeout(timer);
    }
  }
}
