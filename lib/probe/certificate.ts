import tls from "node:tls";
import type { CertificateInfo } from "@/lib/probe/types";

// The certificate checks a probe reports even where the TLS setting does not enforce them: the
// chain to a trusted CA (OpenSSL's verdict), the validity dates against the probe's clock, and the
// name (the TLS domain under domain validation, else the host the probe connected to).

/** Node's X509 code of the first failed check, or null when the certificate passes all three. */
export function certificateError(socket: tls.TLSSocket, expectedName: string, now: Date): string | null {
  const certificate = socket.getPeerCertificate();
  const chain = chainError(socket);
  if (chain) return chain;
  if (now.getTime() > Date.parse(certificate.valid_to)) return "CERT_HAS_EXPIRED";
  if (now.getTime() < Date.parse(certificate.valid_from)) return "CERT_NOT_YET_VALID";
  return nameError(expectedName, certificate);
}

export function certificateInfo(host: string, socket: tls.TLSSocket): CertificateInfo {
  const certificate = socket.getPeerCertificate();
  return {
    host,
    subject: distinguishedName(certificate.subject),
    names: (certificate.subjectaltname ?? "").split(", ").filter((name) => name !== ""),
    issuer: distinguishedName(certificate.issuer),
    validFrom: isoDate(certificate.valid_from),
    validTo: isoDate(certificate.valid_to),
    tlsVersion: socket.getProtocol() ?? "unknown",
    cipher: socket.getCipher().name,
  };
}

export function describeCertificate(info: CertificateInfo): string {
  return `${info.tlsVersion} ${info.cipher}; subject ${info.subject}; names ${info.names.join(", ") || "none"}; issuer ${info.issuer}; valid to ${info.validTo}`;
}

/** OpenSSL judges the dates by the real clock; the probe judges them by its own, so those two are left to it. */
function chainError(socket: tls.TLSSocket): string | null {
  if (socket.authorized) return null;
  const error = socket.authorizationError as (Error & { code?: string }) | string | null;
  const code = typeof error === "string" ? error : (error?.code ?? error?.message ?? "CERT_UNTRUSTED");
  return code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID" ? null : code;
}

function nameError(expected: string, certificate: tls.PeerCertificate): string | null {
  // A wildcard TLS domain (*.contoso.com) is met by a certificate for that wildcard or any one name under it.
  if (expected.startsWith("*.")) {
    const base = expected.slice(1);
    const names = dnsNames(certificate);
    return names.some((name) => name === expected || (name.endsWith(base) && !name.slice(0, -base.length).includes("."))) ? null : "ERR_TLS_CERT_ALTNAME_INVALID";
  }
  const error = tls.checkServerIdentity(expected, certificate) as (Error & { code?: string }) | undefined;
  return error ? (error.code ?? "ERR_TLS_CERT_ALTNAME_INVALID") : null;
}

function dnsNames(certificate: tls.PeerCertificate): string[] {
  return (certificate.subjectaltname ?? "")
    .split(", ")
    .filter((name) => name.startsWith("DNS:"))
    .map((name) => name.slice(4).toLowerCase());
}

/** "" when the server sent no certificate (or a date Node cannot read), rather than a RangeError. */
function isoDate(text: string | undefined): string {
  const time = Date.parse(text ?? "");
  return Number.isNaN(time) ? "" : new Date(time).toISOString();
}

function distinguishedName(name: tls.Certificate | undefined): string {
  if (!name) return "";
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join("+") : String(value)}`)
    .join(", ");
}
