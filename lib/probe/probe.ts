import { hostname } from "node:os";
import tls from "node:tls";
import type { Classification } from "@/lib/classify/classify";
import { refusalOf } from "@/lib/probe/address-safety";
import { certificateError, certificateInfo, describeCertificate } from "@/lib/probe/certificate";
import { ProbeResolver, type PlannedHost } from "@/lib/probe/resolve";
import { connect, SmtpChannel, type Reply, type ReplyOutcome } from "@/lib/probe/smtp-channel";
import { StepLog } from "@/lib/probe/step-log";
import {
  DEFAULT_TIMEOUTS,
  SMTP_PORT,
  type CertificateInfo,
  type ProbeOptions,
  type ProbeResult,
  type ProbeTarget,
  type ProbeTimeouts,
  type TargetResult,
} from "@/lib/probe/types";

// Validate connector: follow the conversation a connector's mail would have, step by step, and
// name the first failure with lib/classify's one table (docs/probe.md).

export async function probeConnector(target: ProbeTarget, options: ProbeOptions = {}): Promise<ProbeResult> {
  checkAddresses(options);
  const started = Date.now();
  const timeouts: ProbeTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const context: Context = {
    target,
    options,
    timeouts,
    deadline: started + timeouts.overallMs,
    resolver: new ProbeResolver(options.resolver),
    failure: null,
  };
  const targets: TargetResult[] = [];
  const planned = await context.resolver.plan(target, within(context, timeouts.dnsMs));
  if ("error" in planned) {
    const log = new StepLog({ host: planned.name, address: null, port: SMTP_PORT }, context, options.onStep, started);
    log.fail("resolve", `MX of ${planned.name}`, planned.error, { kind: "dns", error: planned.error, name: planned.name });
    targets.push(log.result(null));
  } else {
    for (const host of planned) targets.push(await probeHost(host, context));
  }
  const certificates = targets.flatMap((result) => (result.certificate ? [result.certificate] : []));
  const classification = context.failure;
  return { targets, outcome: classification ? "failed" : "passed", classification, certificates, durationMs: Date.now() - started };
}

export type Context = {
  readonly target: ProbeTarget;
  readonly options: ProbeOptions;
  readonly timeouts: ProbeTimeouts;
  readonly deadline: number;
  readonly resolver: ProbeResolver;
  /** The first failure of the whole validation. */
  failure: Classification | null;
};

async function probeHost(host: PlannedHost, context: Context): Promise<TargetResult> {
  const started = Date.now();
  const resolved = await context.resolver.address(host, within(context, context.timeouts.dnsMs));
  const address = "address" in resolved ? resolved.address : null;
  const log = new StepLog({ host: host.host, address, port: host.port }, context, context.options.onStep, started);
  if ("error" in resolved) {
    log.fail("resolve", resolved.seen, resolved.error, { kind: "dns", error: resolved.error, name: host.host });
    return log.result(null);
  }
  log.pass("resolve", resolved.seen);
  const refusal = refusalOf(resolved.address);
  if (refusal) {
    log.fail("safety", `not probed: ${refusal}`, refusal, { kind: "unrecognised", text: `not probed: ${refusal}` });
    return log.result(null);
  }
  const connected = await connect(resolved.address, host.port, within(context, context.timeouts.connectMs));
  if ("error" in connected) {
    log.fail("connect", `${resolved.address} port ${host.port}`, connected.error, { kind: "connect", error: connected.error, address: resolved.address });
    return log.result(null);
  }
  log.pass("connect", `${resolved.address} port ${host.port}`);
  const channel = new SmtpChannel(connected.socket);
  try {
    return log.result(await converse(channel, host, log, context));
  } finally {
    channel.close();
  }
}

/** Greeting to QUIT; the certificate seen, if the conversation got that far. */
async function converse(channel: SmtpChannel, host: PlannedHost, log: StepLog, context: Context): Promise<CertificateInfo | null> {
  const greeting = await channel.reply(within(context, context.timeouts.greetingMs));
  if (!isReply(greeting)) {
    log.fail("greeting", greeting.error ?? "", greeting.lost, { kind: "greeting", reply: greeting.lost });
    return null;
  }
  if (!log.check("greeting", greeting.lines, { kind: "greeting", reply: smtpReply(greeting) })) return null;
  const ehloName = context.options.ehloName ?? hostname();
  let extensions = await ehlo(channel, ehloName, log, context);
  if (!extensions) return null;
  const required = context.target.tlsMode !== "OPPORTUNISTIC";
  let certificate: CertificateInfo | null = null;
  if (!extensions.includes("STARTTLS")) {
    if (!log.record("starttls", "STARTTLS not offered", { kind: "starttls", outcome: "not-offered", required }, "continuing without TLS")) return null;
  } else {
    channel.send("STARTTLS");
    const answer = await command(channel, "starttls", log, context);
    if (!answer) return null;
    if (answer.code !== 220) {
      if (!log.record("starttls", text(answer), { kind: "starttls", outcome: smtpReply(answer), required }, "continuing without TLS")) return null;
    } else {
      log.pass("starttls", text(answer));
      certificate = await handshake(channel, host, log, context);
      if (!certificate) return null;
      extensions = await ehlo(channel, ehloName, log, context);
      if (!extensions) return null;
    }
  }
  if (!(await envelope(channel, log, context))) return certificate;
  channel.send("QUIT");
  const bye = await command(channel, "quit", log, context);
  if (bye) log.pass("quit", text(bye));
  return certificate;
}

async function handshake(channel: SmtpChannel, host: PlannedHost, log: StepLog, context: Context): Promise<CertificateInfo | null> {
  const { options, target } = context;
  const upgraded = await channel.upgrade(
    {
      servername: host.literal ? undefined : host.host,
      ca: [...tls.rootCertificates, ...(options.trustedCa ?? [])],
    },
    within(context, context.timeouts.tlsMs),
  );
  if ("error" in upgraded) {
    log.fail("tls", "", upgraded.error, { kind: "tls-handshake", error: upgraded.error });
    return null;
  }
  const info = certificateInfo(host.host, upgraded.socket);
  log.pass("tls", describeCertificate(info));
  const expected = target.tlsMode === "DOMAIN_VALIDATION" && target.tlsDomain ? target.tlsDomain : host.host;
  const error = certificateError(upgraded.socket, expected, (options.now ?? (() => new Date()))());
  const validationRequired = target.tlsMode === "CERTIFICATE_VALIDATION" || target.tlsMode === "DOMAIN_VALIDATION";
  if (!error) {
    log.pass("certificate", `trusted, in date, and for ${expected}`);
    return info;
  }
  const passed = log.record("certificate", `checked for ${expected}`, { kind: "certificate", error, validationRequired }, `not validated (${error}); the TLS setting does not require it`);
  return passed ? info : null;
}

/** EHLO's extension keywords (upper case), or null when it failed. */
async function ehlo(channel: SmtpChannel, name: string, log: StepLog, context: Context): Promise<string[] | null> {
  channel.send(`EHLO ${name}`);
  const answer = await command(channel, "ehlo", log, context);
  if (!answer || !log.check("ehlo", answer.lines, { kind: "reply", stage: "ehlo", reply: smtpReply(answer) })) return null;
  return answer.lines.slice(1).map((line) => line.slice(4).split(" ", 1)[0]!.toUpperCase());
}

/** MAIL FROM and RCPT TO when a test recipient is given; false when one failed. */
async function envelope(channel: SmtpChannel, log: StepLog, context: Context): Promise<boolean> {
  const { recipient, sender } = context.options;
  if (!recipient) return true;
  channel.send(`MAIL FROM:<${sender ?? ""}>`);
  const mail = await command(channel, "mail", log, context);
  if (!mail || !log.check("mail", mail.lines, { kind: "reply", stage: "mail", reply: smtpReply(mail) })) return false;
  channel.send(`RCPT TO:<${recipient}>`);
  const rcpt = await command(channel, "rcpt", log, context);
  return Boolean(rcpt && log.check("rcpt", rcpt.lines, { kind: "reply", stage: "rcpt", reply: smtpReply(rcpt) }));
}

/** A command's reply; a lost connection or a reply that never came is logged as the step's failure. */
async function command(channel: SmtpChannel, stage: "ehlo" | "starttls" | "mail" | "rcpt" | "quit", log: StepLog, context: Context): Promise<Reply | null> {
  const answer: ReplyOutcome = await channel.reply(within(context, context.timeouts.replyMs));
  if (isReply(answer)) return answer;
  log.fail(stage, answer.error ?? "", answer.lost, { kind: "lost", during: stage, reason: answer.lost, text: answer.error });
  return null;
}

/** A step's timeout, cut to what is left of the whole validation. */
function within(context: Context, stepMs: number): number {
  return Math.max(1, Math.min(stepMs, context.deadline - Date.now()));
}

function isReply(outcome: ReplyOutcome): outcome is Reply {
  return "code" in outcome;
}

function smtpReply(reply: Reply): { code: number; text: string } {
  return { code: reply.code, text: reply.lines.map((line) => line.slice(4)).join(" ") };
}

function text(reply: Reply): string {
  return reply.lines.join("\n");
}

/** The addresses go into SMTP commands: nothing that could end a command line or an address. */
function checkAddresses(options: ProbeOptions): void {
  for (const [what, value] of [["recipient", options.recipient], ["sender", options.sender]] as const) {
    if (value !== undefined && !/^[^\s<>\u0000-\u001f\u007f]+@[^\s<>@\u0000-\u001f\u007f]+$/.test(value)) throw new Error(`the ${what} "${value}" is not an email address`);
  }
}
