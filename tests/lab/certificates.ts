import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Certificates made at test time with the `openssl` command line (Node cannot sign X.509 by itself).
 * Keys live in a temp dir that `remove()` deletes; nothing here is ever committed.
 */

export const LAB_HOST_NAME = "mail.lab.test";

export type LeafName = "healthy" | "expired" | "selfSigned" | "wrongName" | "untrustedCa" | "expiringSoon";

export type KeyPair = Readonly<{ cert: string; key: string }>;

export type LabCertificates = Readonly<{
  /** The lab CA's PEM: the only CA a probe under test should trust. */
  caPem: string;
  leaves: Readonly<Record<LeafName, KeyPair>>;
  /** notAfter of the `expiringSoon` leaf. */
  expiringSoonAt: Date;
  remove: () => Promise<void>;
}>;

const run = promisify(execFile);
const DAY_MS = 86_400_000;
const LAB_SANS = `DNS:${LAB_HOST_NAME},DNS:localhost,IP:127.0.0.1,IP:::1`;

export async function createLabCertificates(options: { expiringInDays?: number } = {}): Promise<LabCertificates> {
  const expiringInDays = options.expiringInDays ?? 10;
  const dir = await mkdtemp(path.join(tmpdir(), "mailflow-lab-certs-"));
  try {
    const now = Date.now();
    const [labCa, otherCa, selfSigned] = await Promise.all([
      selfSignedCertificate(dir, "lab-ca", "/CN=Mailflow Lab CA", { ca: true }),
      selfSignedCertificate(dir, "other-ca", "/CN=Untrusted Lab CA", { ca: true }),
      selfSignedCertificate(dir, "self-signed", `/CN=${LAB_HOST_NAME}`, { ca: false }),
    ]);
    const lastWeek = new Date(now - 7 * DAY_MS);
    const nextMonth = new Date(now + 30 * DAY_MS);
    const expiringSoonAt = new Date(now + expiringInDays * DAY_MS);
    const [healthy, expired, wrongName, expiringSoon, untrustedCa] = await Promise.all([
      signedLeaf(dir, labCa, "healthy", LAB_SANS, lastWeek, nextMonth),
      signedLeaf(dir, labCa, "expired", LAB_SANS, new Date(now - 30 * DAY_MS), new Date(now - DAY_MS)),
      signedLeaf(dir, labCa, "wrong-name", "DNS:other.lab.test", lastWeek, nextMonth),
      signedLeaf(dir, labCa, "expiring-soon", LAB_SANS, lastWeek, expiringSoonAt),
      signedLeaf(dir, otherCa, "untrusted", LAB_SANS, lastWeek, nextMonth),
    ]);
    return {
      caPem: labCa.cert,
      leaves: { healthy, expired, selfSigned, wrongName, untrustedCa, expiringSoon },
      expiringSoonAt,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

type Authority = KeyPair & Readonly<{ name: string; certFile: string; keyFile: string }>;

async function selfSignedCertificate(dir: string, name: string, subject: string, { ca }: { ca: boolean }): Promise<Authority> {
  const certFile = path.join(dir, `${name}.pem`);
  const keyFile = path.join(dir, `${name}.key`);
  const extensions = ca
    ? ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
    : ["-addext", `subjectAltName=${LAB_SANS}`];
  await openssl(["req", "-x509", ...newKey(keyFile), "-out", certFile, "-subj", subject, "-days", "30", ...extensions]);
  return { name, certFile, keyFile, ...(await readPair(certFile, keyFile)) };
}

async function signedLeaf(dir: string, ca: Authority, name: string, sans: string, notBefore: Date, notAfter: Date): Promise<KeyPair> {
  const keyFile = path.join(dir, `${name}.key`);
  const csrFile = path.join(dir, `${name}.csr`);
  const certFile = path.join(dir, `${name}.pem`);
  const extFile = path.join(dir, `${name}.ext`);
  await openssl(["req", "-new", ...newKey(keyFile), "-out", csrFile, "-subj", `/CN=${name}.lab.test`]);
  await writeFile(extFile, `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`);
  const config = await caConfig(dir, ca, name);
  await openssl([
    "ca", "-batch", "-notext", "-config", config, "-cert", ca.certFile, "-keyfile", ca.keyFile,
    "-in", csrFile, "-out", certFile, "-extfile", extFile,
    "-startdate", opensslTime(notBefore), "-enddate", opensslTime(notAfter),
  ]);
  return readPair(certFile, keyFile);
}

/** `openssl ca` keeps state (index, serial) in files: one set per leaf lets leaves be signed at once. */
async function caConfig(dir: string, ca: Authority, leaf: string): Promise<string> {
  const config = path.join(dir, `${leaf}-by-${ca.name}.cnf`);
  const database = path.join(dir, `${leaf}-by-${ca.name}.index`);
  const serial = path.join(dir, `${leaf}-by-${ca.name}.serial`);
  await writeFile(database, "");
  await writeFile(serial, `${randomSerial()}\n`);
  await writeFile(
    config,
    [
      "[ca]", "default_ca = lab",
      "[lab]", `database = ${database}`, `serial = ${serial}`, `new_certs_dir = ${dir}`,
      "default_md = sha256", "policy = any", "unique_subject = no",
      "[any]", "commonName = supplied",
    ].join("\n") + "\n",
  );
  return config;
}

function newKey(keyFile: string): string[] {
  return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile];
}

async function openssl(args: string[]): Promise<void> {
  await run("openssl", args, { timeout: 10_000 });
}

async function readPair(certFile: string, keyFile: string): Promise<KeyPair> {
  const [cert, key] = await Promise.all([readFile(certFile, "utf8"), readFile(keyFile, "utf8")]);
  return { cert, key };
}

/** `openssl ca` wants YYYYMMDDHHMMSSZ. */
function opensslTime(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").replace(/\.\d+Z$/, "Z");
}

/** Even-length hex with a non-zero, positive first byte: what `openssl ca` reads back. */
function randomSerial(): string {
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString("hex").toUpperCase();
}
