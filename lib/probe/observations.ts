import type { FoldEvent } from "@/lib/grouping/event";
import type { CertificateInfo, ProbeResult } from "@/lib/probe/types";

// Pure: what one validation tells the alerts (docs/probe.md, "Probes and alerts"):
// - its outcome, as an event of source "probe" (FoldEvent.probe) for the one fold: a failure of
//   the classified code, or a pass (which recovers open alerts like a delivery; one with queued
//   messages still waits for them). A refusal of ours (an address we never connect to) says
//   nothing about the server: no event;
// - what it saw of certificates, for the certificate warning the probe keeps beside the fold
//   (lib/probe/cert-warning.ts): the soonest one expiring within `warnDays` (an expired one
//   included) is a warning, a soonest one beyond that means the certificates were renewed.

const DAY_MS = 86_400_000;

export type CertificateObservation =
  | Readonly<{ expiring: true; host: string; details: string; validTo: Date }>
  | Readonly<{ expiring: false; host: string; validTo: Date }>;

export type ValidationObservations = Readonly<{
  events: FoldEvent[];
  /** What the soonest-expiring certificate seen means; null when none was seen. */
  certificate: CertificateObservation | null;
  /** The soonest expiry among the certificates seen, for the history. */
  certExpiresAt: Date | null;
}>;

export function observationsOf(result: ProbeResult, input: { id: string; at: Date; warnDays: number }): ValidationObservations {
  const { id, at, warnDays } = input;
  const base = { clientId: null, occurredAt: at, messageId: `probe:${id}`, sender: null, recipient: null, recipientDomain: null, smtpStatus: null, probe: true };
  const events: FoldEvent[] = [];
  const failing = failingTarget(result);
  if (result.outcome === "passed") {
    events.push({ ...base, status: "DELIVERED", errorCode: null, errorDetails: null, destination: null });
  } else if (result.classification && failing?.step.name !== "safety") {
    const { classification } = result;
    events.push({
      ...base,
      status: "DEFERRED",
      smtpStatus: classification.smtp ?? null,
      errorCode: classification.code,
      errorDetails: `Validate connector, ${failing ? `${failing.step.name} step: ` : ""}${classification.detail}`,
      destination: failing ? `${failing.target.host}:${failing.target.port}` : null,
    });
  }
  const soonest = soonestExpiring(result.certificates);
  let certificate: CertificateObservation | null = null;
  if (soonest) {
    const validTo = new Date(soonest.validTo);
    certificate = validTo.getTime() - at.getTime() <= warnDays * DAY_MS
      ? { expiring: true, host: soonest.host, details: certificateWarning(soonest, at), validTo }
      : { expiring: false, host: soonest.host, validTo };
  }
  return { events, certificate, certExpiresAt: soonest ? new Date(soonest.validTo) : null };
}

/** "mail.contoso.se: certificate CN=mail.contoso.se (issued by CN=R11) expires 2026-12-10T08:00:00.000Z, in 9 days". */
export function certificateWarning(cert: CertificateInfo, at: Date): string {
  const expires = new Date(cert.validTo);
  const days = Math.floor((expires.getTime() - at.getTime()) / DAY_MS);
  const when = days < 0 ? `expired ${expires.toISOString()}` : `expires ${expires.toISOString()}, in ${days} day${days === 1 ? "" : "s"}`;
  return `${cert.host}: certificate ${cert.subject} (issued by ${cert.issuer}) ${when}`;
}

function soonestExpiring(certificates: readonly CertificateInfo[]): CertificateInfo | null {
  let soonest: CertificateInfo | null = null;
  for (const cert of certificates) {
    if (Number.isNaN(Date.parse(cert.validTo))) continue;
    if (!soonest || Date.parse(cert.validTo) < Date.parse(soonest.validTo)) soonest = cert;
  }
  return soonest;
}

function failingTarget(result: ProbeResult) {
  for (const target of result.targets) {
    const step = target.steps.find((s) => !s.ok);
    if (step) return { target, step };
  }
  return null;
}
