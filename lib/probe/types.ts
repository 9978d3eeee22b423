import type { Classification } from "@/lib/classify/classify";
import type { TlsMode } from "@/lib/db/enums";

// Pure: the probe's contract. A target is a connector's routing fields; the result is every step
// of every conversation as plain text (the caller renders it as text, never as markup).

export type ProbeTarget = Readonly<{
  useMxRecord: boolean;
  /** As written on the connector: a host name, an IPv4 address or a bracketed IPv6 address, each with an optional `:port`. */
  smartHosts: readonly string[];
  /** The domain whose MX is looked up when the connector routes by MX record. */
  recipientDomain?: string | null;
  tlsMode: TlsMode;
  tlsDomain?: string | null;
}>;

export type ProbeTimeouts = Readonly<{
  dnsMs: number;
  connectMs: number;
  greetingMs: number;
  replyMs: number;
  tlsMs: number;
  /** The whole validation, every target included. */
  overallMs: number;
}>;

export type ProbeOptions = Readonly<{
  /** DNS servers ("127.0.0.1:5353"); the system's when absent. */
  resolver?: readonly string[];
  /** PEMs trusted in addition to Node's default CA set. */
  trustedCa?: readonly string[];
  /** With a recipient the probe also sends MAIL FROM and RCPT TO (never DATA). */
  recipient?: string;
  /** The MAIL FROM address; the null sender when absent. */
  sender?: string;
  /** The name the probe gives in EHLO. */
  ehloName?: string;
  timeouts?: Partial<ProbeTimeouts>;
  /** Called after each step, for live progress. */
  onStep?: (target: TargetAddress, step: ProbeStep) => void;
  /** The clock the certificate's validity dates are checked against. */
  now?: () => Date;
}>;

export type StepName = "resolve" | "safety" | "connect" | "greeting" | "ehlo" | "starttls" | "tls" | "certificate" | "mail" | "rcpt" | "quit";

export type ProbeStep = Readonly<{
  name: StepName;
  ok: boolean;
  ms: number;
  /** What was seen, as plain text with control characters replaced. */
  seen: string;
  error?: string;
}>;

export type TargetAddress = Readonly<{ host: string; address: string | null; port: number }>;

export type CertificateInfo = Readonly<{
  host: string;
  subject: string;
  names: readonly string[];
  issuer: string;
  validFrom: string;
  validTo: string;
  tlsVersion: string;
  cipher: string;
}>;

export type TargetResult = TargetAddress & Readonly<{ steps: readonly ProbeStep[]; certificate: CertificateInfo | null }>;

export type ProbeResult = Readonly<{
  targets: readonly TargetResult[];
  outcome: "passed" | "failed";
  /** The first failure's classification; null when the probe passed. */
  classification: Pick<Classification, "code" | "name" | "detail" | "smtp"> | null;
  certificates: readonly CertificateInfo[];
  durationMs: number;
}>;

export const DEFAULT_TIMEOUTS: ProbeTimeouts = {
  dnsMs: 5_000,
  connectMs: 10_000,
  greetingMs: 15_000,
  replyMs: 10_000,
  tlsMs: 10_000,
  overallMs: 60_000,
};

export const SMTP_PORT = 25;
