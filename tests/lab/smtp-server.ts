import net from "node:net";
import tls from "node:tls";
import type { KeyPair } from "./certificates";
import { LAB_HOST_NAME } from "./certificates";

/**
 * A small SMTP-ish server on an ephemeral loopback port whose behaviour is one fault (or none).
 * It speaks just enough of RFC 5321 for a probe: greeting, EHLO, STARTTLS, MAIL, RCPT, QUIT.
 * DATA is always refused, so no message content is ever accepted.
 */

export type SmtpBehaviour = Readonly<{
  /** The greeting line; null never greets. */
  greeting?: string | null;
  /** Close the connection right after answering EHLO. */
  closeAfterEhlo?: boolean;
  /** "offer" upgrades with `certificate`; "absent" leaves it out of EHLO; "refuse" answers 454; "close-in-handshake" drops the ClientHello. */
  starttls?: "offer" | "absent" | "refuse" | "close-in-handshake";
  certificate?: KeyPair;
  /** The reply to every RCPT TO. */
  rcptReply?: string;
}>;

export type LabServer = Readonly<{ host: string; port: number; stop: () => Promise<void> }>;

export const HEALTHY_GREETING = `220 ${LAB_HOST_NAME} ESMTP Mailflow lab`;
export const HOSTILE_GREETING = `220 ${LAB_HOST_NAME} <script>alert(1)</script> ESMTP`;
const LOOPBACK = "127.0.0.1";
const MAX_LINE = 4096;

export async function startSmtpServer(behaviour: SmtpBehaviour): Promise<LabServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    converse(socket, behaviour, sockets);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    host: LOOPBACK,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function converse(plain: net.Socket, behaviour: SmtpBehaviour, sockets: Set<net.Socket>): void {
  const greeting = behaviour.greeting === undefined ? HEALTHY_GREETING : behaviour.greeting;
  if (greeting === null) return;
  const refused = !greeting.startsWith("2");
  let secure = false;
  let socket: net.Socket = plain;

  const reply = (line: string) => socket.write(`${line}\r\n`);
  const onLine = (line: string): "continue" | "stop" => {
    const verb = line.split(" ", 1)[0]!.toUpperCase();
    if (verb === "QUIT") {
      reply("221 2.0.0 Bye");
      socket.end();
      return "stop";
    }
    if (refused) {
      reply("503 5.5.1 No service");
      return "continue";
    }
    switch (verb) {
      case "EHLO":
      case "HELO":
        reply(ehloReply(verb, behaviour, secure).join("\r\n"));
        if (behaviour.closeAfterEhlo) {
          socket.destroy();
          return "stop";
        }
        return "continue";
      case "STARTTLS":
        return startTls();
      case "MAIL":
        reply("250 2.1.0 Ok");
        return "continue";
      case "RCPT":
        reply(behaviour.rcptReply ?? "250 2.1.5 Ok");
        return "continue";
      case "DATA":
        reply("554 5.7.1 The lab accepts no message content");
        return "continue";
      case "RSET":
      case "NOOP":
        reply("250 2.0.0 Ok");
        return "continue";
      default:
        reply("502 5.5.2 Command not recognised");
        return "continue";
    }
  };

  const startTls = (): "continue" | "stop" => {
    const mode = behaviour.starttls ?? "offer";
    if (secure || mode === "absent") {
      reply("503 5.5.1 STARTTLS not available");
      return "continue";
    }
    if (mode === "refuse") {
      reply("454 4.7.0 TLS not available due to temporary reason");
      return "continue";
    }
    reply("220 2.0.0 Ready to start TLS");
    if (mode === "close-in-handshake" || !behaviour.certificate) {
      plain.once("data", () => plain.destroy());
      return "stop";
    }
    const secured = new tls.TLSSocket(plain, { isServer: true, cert: behaviour.certificate.cert, key: behaviour.certificate.key });
    sockets.add(secured);
    secured.on("close", () => sockets.delete(secured));
    secured.on("error", () => secured.destroy());
    secure = true;
    socket = secured;
    readLines(secured, onLine);
    return "stop";
  };

  reply(greeting);
  readLines(plain, onLine);
}

function ehloReply(verb: string, behaviour: SmtpBehaviour, secure: boolean): string[] {
  if (verb === "HELO") return [`250 ${LAB_HOST_NAME}`];
  const offersTls = !secure && (behaviour.starttls ?? "offer") !== "absent";
  const lines = [LAB_HOST_NAME, "PIPELINING", "SIZE 10240000", ...(offersTls ? ["STARTTLS"] : []), "ENHANCEDSTATUSCODES", "8BITMIME"];
  return lines.map((line, index) => `250${index === lines.length - 1 ? " " : "-"}${line}`);
}

/** Feeds CRLF-terminated lines to `onLine` until it says stop (a protocol switch) or a line grows too long. */
export function readLines(socket: net.Socket, onLine: (line: string) => "continue" | "stop"): void {
  let buffer = "";
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString("latin1");
    let end = buffer.indexOf("\n");
    while (end >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      if (onLine(line) === "stop") {
        socket.off("data", onData);
        return;
      }
      end = buffer.indexOf("\n");
    }
    if (buffer.length > MAX_LINE) socket.destroy();
  };
  socket.on("data", onData);
}
