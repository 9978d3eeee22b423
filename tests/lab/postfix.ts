import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  CA_FILE,
  FAST_TIMING,
  mainCf,
  masterCf,
  resolvConf,
  tlsPolicyTable,
  transportTable,
  type ConfigInput,
  type PostfixLayout,
  type PostfixRoute,
  type PostfixTiming,
} from "./postfix-config";

/**
 * A private Postfix instance for tests: Debian's package, its own config, queue and data
 * directories in a temp dir, relaying each test domain to one lab server on loopback. No smtpd
 * listens; mail comes in through `sendmail -C`. Only the chrooted SMTP client resolves names, and
 * its resolv.conf names the lab's DNS responder, so the host's resolver is never asked.
 *
 * The master runs in the foreground under a watchdog shell tied to the test process by a pipe, so a
 * test process that dies takes its Postfix with it; `stop()` ends the master, sweeps its session
 * and removes the temp dir. Needs root (Postfix drops to mail_owner=postfix itself).
 */

export type PostfixOptions<K extends string> = Readonly<{
  /** One recipient domain per key: `<kebab-key>.lab.test`, routed as given. */
  routes: Readonly<Record<K, PostfixRoute>>;
  /** The only CA the SMTP client trusts (smtp_tls_CAfile). */
  caPem: string;
  /** A loopback IPv4 address with a DNS server on port 53 (libc asks no other port). */
  nameserver: string;
  /** The name verified certificates must carry; the lab's "mail.lab.test" by default. */
  tlsMatch?: string;
  timing?: Partial<PostfixTiming>;
  /** The master exits by itself after this long even if nobody stops it (master -e); 900 s by default. */
  maxLifetimeSeconds?: number;
}>;

export type PostfixInstance<K extends string> = Readonly<{
  /** The temp dir holding everything (config in etc/, queue in spool/, data in data/). */
  root: string;
  configDir: string;
  /** Postfix's own maillog_file, written by postlogd. */
  logPath: string;
  domains: Readonly<Record<K, string>>;
  timing: PostfixTiming;
  /** Queues one message through sendmail; resolves to its Message-ID (without <>), which cleanup logs. */
  send: (from: string, to: string | readonly string[], subject?: string) => Promise<string>;
  /** `postqueue -f`: attempt every queued message now. */
  flush: () => Promise<void>;
  /** `postqueue -p`: the queue listing ("Mail queue is empty" when done). */
  queue: () => Promise<string>;
  readLog: () => Promise<string>;
  stop: () => Promise<void>;
}>;

export const POSTFIX_HOST_NAME = "postfix.lab.test";
const SENDMAIL = "/usr/sbin/sendmail";
const POSTFIX = "/usr/sbin/postfix";
const POSTQUEUE = "/usr/sbin/postqueue";
const POSTCONF = "/usr/sbin/postconf";
const COMMAND_TIMEOUT_MS = 15_000;
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_LIFETIME_SECONDS = 900;

const run = promisify(execFile);

/** Why a private Postfix cannot run here, or null when it can. */
export function postfixUnavailable(): string | null {
  if (![POSTFIX, SENDMAIL, POSTQUEUE, POSTCONF].every((file) => existsSync(file))) return "Debian's postfix package is not installed (apt-get install postfix)";
  if (process.getuid?.() !== 0) return "Postfix's master must run as root";
  return null;
}

export async function startPostfix<K extends string>(options: PostfixOptions<K>): Promise<PostfixInstance<K>> {
  const unavailable = postfixUnavailable();
  if (unavailable) throw new Error(unavailable);
  const root = await mkdtemp(path.join(tmpdir(), "mailflow-postfix-"));
  const layout: PostfixLayout = {
    root,
    configDir: path.join(root, "etc"),
    queueDir: path.join(root, "spool"),
    dataDir: path.join(root, "data"),
    logPath: path.join(root, "maillog"),
  };
  const timing = { ...FAST_TIMING, ...options.timing };
  const domains = Object.fromEntries(Object.keys(options.routes).map((key) => [key, domainOf(key)])) as Record<K, string>;
  const routes = new Map(Object.entries<PostfixRoute>(options.routes).map(([key, route]) => [domainOf(key), route]));
  const input: ConfigInput = { layout, hostName: POSTFIX_HOST_NAME, routes, tlsMatch: options.tlsMatch ?? "mail.lab.test", timing };

  let master: Master | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopMaster(master).finally(() => rm(root, { recursive: true, force: true })));
  try {
    await writeInstance(layout, input, options);
    // Creates the queue's subdirectories with Postfix's owners and modes, and fails on a bad setup.
    await run(POSTFIX, ["-c", layout.configDir, "check"], { timeout: COMMAND_TIMEOUT_MS });
    master = await startMaster(layout, options.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS);
  } catch (error) {
    await stop();
    throw error;
  }

  const configDir = layout.configDir;
  return {
    root,
    configDir,
    logPath: layout.logPath,
    domains,
    timing,
    send: (from, to, subject) => sendmail(configDir, from, typeof to === "string" ? [to] : to, subject),
    flush: async () => void (await run(POSTQUEUE, ["-c", configDir, "-f"], { timeout: COMMAND_TIMEOUT_MS })),
    queue: async () => (await run(POSTQUEUE, ["-c", configDir, "-p"], { timeout: COMMAND_TIMEOUT_MS })).stdout,
    readLog: () => readFile(layout.logPath, "utf8").catch(() => ""),
    stop,
  };
}

async function writeInstance(layout: PostfixLayout, input: ConfigInput, options: PostfixOptions<string>): Promise<void> {
  // mkdtemp makes 0700; the postfix user must be able to reach its queue below it.
  await chmod(layout.root, 0o755);
  await mkdir(path.join(layout.queueDir, "etc"), { recursive: true, mode: 0o755 });
  await mkdir(layout.configDir, { mode: 0o755 });
  await Promise.all([
    writeFile(path.join(layout.configDir, "main.cf"), mainCf(input)),
    writeFile(path.join(layout.configDir, "master.cf"), masterCf()),
    writeFile(path.join(layout.configDir, "transport"), transportTable(input)),
    writeFile(path.join(layout.configDir, "tls_policy"), tlsPolicyTable(input)),
    writeFile(path.join(layout.configDir, CA_FILE), options.caPem),
    // The chroot holds only resolv.conf: next hops carry numeric ports and names go to DNS alone.
    writeFile(path.join(layout.queueDir, "etc", "resolv.conf"), resolvConf(options.nameserver)),
  ]);
}

/**
 * The master runs in the foreground (it never forks itself; it only starts a session of its own)
 * under a shell that holds our end of a pipe: when the pipe closes, on stop() or because the test
 * process died however it died, the shell sends the master SIGTERM, which it passes on to its
 * daemons, and removes the temp dir. (A parent-death signal does not survive: the master changes
 * its effective ids.) `-e` bounds a master whose shell was killed along with us.
 */
const WATCHDOG_SH = `"$0" -c "$1" -e "$2" </dev/null &
master=$!
echo "$master"
read -r line || true
kill -TERM "$master" 2>/dev/null
wait "$master"
rm -rf -- "$3"`;

type Master = Readonly<{ pid: number; watchdog: ChildProcess; exited: Promise<void> }>;

async function startMaster(layout: PostfixLayout, maxLifetimeSeconds: number): Promise<Master> {
  const daemonDir = (await run(POSTCONF, ["-c", layout.configDir, "-h", "daemon_directory"], { timeout: COMMAND_TIMEOUT_MS })).stdout.trim();
  const watchdog = spawn("sh", ["-c", WATCHDOG_SH, path.join(daemonDir, "master"), layout.configDir, String(maxLifetimeSeconds), layout.root], {
    stdio: ["pipe", "pipe", "ignore"],
  });
  const exited = new Promise<void>((resolve) => watchdog.once("exit", () => resolve()));
  const failed = new Promise<string>((resolve) => {
    watchdog.once("error", (error) => resolve(`the master did not start: ${error.message}`));
    void exited.then(() => resolve(`the master exited; see ${layout.logPath}`));
  });
  const pid = await Promise.race([firstLine(watchdog).then(Number), failed.then((failure) => Promise.reject(new Error(failure)))]);
  const master = { pid, watchdog, exited };
  const deadline = Date.now() + START_TIMEOUT_MS;
  let failure: string | null = null;
  while (!failure && Date.now() < deadline) {
    failure = await Promise.race([failed, sleep(200).then(() => null)]);
    const log = await readFile(layout.logPath, "utf8").catch(() => "");
    if (!failure && /postfix\/master\[\d+\]: daemon started/.test(log)) return master;
  }
  await stopMaster(master);
  throw new Error(failure ?? `the master did not say "daemon started" within ${START_TIMEOUT_MS} ms; see ${layout.logPath}`);
}

/** Closes the watchdog's pipe (SIGTERM to the master), SIGKILL if it lingers, then any process left in its session. */
async function stopMaster(master: Master | undefined): Promise<void> {
  if (!master) return;
  const { pid, watchdog, exited } = master;
  if (watchdog.exitCode === null && watchdog.signalCode === null) {
    const killer = setTimeout(() => {
      killPid(pid);
      watchdog.kill("SIGKILL");
    }, STOP_TIMEOUT_MS);
    watchdog.stdin?.end();
    await exited;
    clearTimeout(killer);
  }
  for (const leftover of [pid, ...(await sessionMembers(pid))]) killPid(leftover);
}

function killPid(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const end = output.indexOf("\n");
      if (end >= 0) resolve(output.slice(0, end).trim());
    });
  });
}

/** Processes whose session id is the master's pid: the daemons it forked (the master calls setsid). */
async function sessionMembers(sessionId: number): Promise<number[]> {
  const entries = await readdir("/proc");
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Fields after the parenthesised command: state ppid pgrp session …
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[3]) === sessionId) members.push(Number(entry));
  }
  return members;
}

async function sendmail(configDir: string, from: string, to: readonly string[], subject = "Mailflow lab message"): Promise<string> {
  const messageId = `${randomUUID()}@${POSTFIX_HOST_NAME}`;
  const message = [
    `From: <${from}>`,
    `To: ${to.map((address) => `<${address}>`).join(", ")}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${messageId}>`,
    "",
    "A message of the Mailflow fault lab.",
    "",
  ].join("\r\n");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(SENDMAIL, ["-C", configDir, "-i", "-f", from, "--", ...to], { stdio: ["pipe", "ignore", "pipe"], timeout: COMMAND_TIMEOUT_MS });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`sendmail failed (${signal ?? code}): ${stderr.trim()}`))));
    child.stdin.end(message);
  });
  return messageId;
}

/** "certUntrustedCa" → "cert-untrusted-ca.lab.test". */
function domainOf(key: string): string {
  return `${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}.lab.test`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
