import { createLabCertificates, LAB_HOST_NAME, type LabCertificates } from "./certificates";
import { startDnsResponder, type DnsResponder, type DnsTable } from "./dns-responder";
import { HOSTILE_GREETING, startSmtpServer, type LabServer } from "./smtp-server";
import { blackholePort, closedPort } from "./tcp-faults";

/**
 * The fault lab: every fault on its own loopback port, certificates made for this run, and a DNS
 * responder for `lab.test`. Start it once per test file; `stop()` ends every server and child.
 */

export type Fault =
  | "healthy"
  | "refused"
  | "connectTimeout"
  | "neverGreets"
  | "greetingRefused"
  | "hostileGreeting"
  | "closesAfterEhlo"
  | "closesInTlsHandshake"
  | "noStarttls"
  | "starttlsRefused"
  | "rcptBusy"
  | "certExpired"
  | "certSelfSigned"
  | "certWrongName"
  | "certUntrustedCa"
  | "certExpiringSoon";

export const FAULTS: readonly Fault[] = [
  "healthy", "refused", "connectTimeout", "neverGreets", "greetingRefused", "hostileGreeting", "closesAfterEhlo",
  "closesInTlsHandshake", "noStarttls", "starttlsRefused", "rcptBusy", "certExpired", "certSelfSigned", "certWrongName",
  "certUntrustedCa", "certExpiringSoon",
];

export type Lab = Readonly<{
  certificates: LabCertificates;
  /** The lab CA's PEM: what the probe is told to trust. */
  caPem: string;
  /** The name every lab certificate (but the wrong-name one) is for: use it as the TLS servername. */
  hostName: string;
  dns: DnsResponder;
  target: (fault: Fault) => Readonly<{ host: string; port: number }>;
  /** "127.0.0.1:<port>", as a smart host is written. */
  address: (fault: Fault) => string;
  stop: () => Promise<void>;
}>;

export type LabOptions = Readonly<{
  /** Only these faults get a server (all by default); e.g. skip "connectTimeout" where python3 is missing. */
  faults?: readonly Fault[];
  expiringInDays?: number;
  /** Extra DNS names (the lab always has mail.lab.test → 127.0.0.1 / ::1 and lab.test MX → mail.lab.test). */
  dns?: DnsTable;
}>;

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const certificates = await createLabCertificates({ expiringInDays: options.expiringInDays });
  const servers = new Map<Fault, LabServer>();
  let dns: DnsResponder | undefined;
  const stop = async () => {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    await dns?.stop();
    await certificates.remove();
  };
  try {
    dns = await startDnsResponder({
      [LAB_HOST_NAME]: { A: ["127.0.0.1"], AAAA: ["::1"] },
      "lab.test": { MX: [{ priority: 10, exchange: LAB_HOST_NAME }] },
      ...options.dns,
    });
    const wanted = options.faults ?? FAULTS;
    await Promise.all(
      wanted.map(async (fault) => {
        servers.set(fault, await startFault(fault, certificates));
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const target = (fault: Fault) => {
    const server = servers.get(fault);
    if (!server) throw new Error(`the lab was started without the fault "${fault}"`);
    return { host: server.host, port: server.port };
  };
  return {
    certificates,
    caPem: certificates.caPem,
    hostName: LAB_HOST_NAME,
    dns,
    target,
    address: (fault) => `${target(fault).host}:${target(fault).port}`,
    stop,
  };
}

/** Starts the one server that shows `fault`. */
export function startFault(fault: Fault, certificates: LabCertificates): Promise<LabServer> {
  const { leaves } = certificates;
  switch (fault) {
    case "healthy":
      return startSmtpServer({ certificate: leaves.healthy });
    case "refused":
      return closedPort();
    case "connectTimeout":
      return blackholePort();
    case "neverGreets":
      return startSmtpServer({ greeting: null });
    case "greetingRefused":
      return startSmtpServer({ greeting: "554 5.7.1 mail.lab.test refuses to talk to you" });
    case "hostileGreeting":
      return startSmtpServer({ greeting: HOSTILE_GREETING, certificate: leaves.healthy });
    case "closesAfterEhlo":
      return startSmtpServer({ closeAfterEhlo: true });
    case "closesInTlsHandshake":
      return startSmtpServer({ starttls: "close-in-handshake" });
    case "noStarttls":
      return startSmtpServer({ starttls: "absent" });
    case "starttlsRefused":
      return startSmtpServer({ starttls: "refuse" });
    case "rcptBusy":
      return startSmtpServer({ certificate: leaves.healthy, rcptReply: "450 4.2.0 Mailbox busy" });
    case "certExpired":
      return startSmtpServer({ certificate: leaves.expired });
    case "certSelfSigned":
      return startSmtpServer({ certificate: leaves.selfSigned });
    case "certWrongName":
      return startSmtpServer({ certificate: leaves.wrongName });
    case "certUntrustedCa":
      return startSmtpServer({ certificate: leaves.untrustedCa });
    case "certExpiringSoon":
      return startSmtpServer({ certificate: leaves.expiringSoon });
  }
}
