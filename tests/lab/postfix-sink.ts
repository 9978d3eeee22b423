import net from "node:net";
import tls from "node:tls";
import type { KeyPair } from "./certificates";
import { HEALTHY_GREETING, readLines, type LabServer } from "./smtp-server";

/**
 * A loopback SMTP server that accepts every message (and forgets its content): the "healthy"
 * destination of the lab's Postfix, which needs DATA to succeed where the lab's own servers refuse
 * it. STARTTLS is offered with `certificate`, so Postfix can verify the lab CA on a delivery.
 */

export type AcceptedMessage = Readonly<{ from: string; to: readonly string[]; bytes: number }>;

export type SinkServer = LabServer & Readonly<{ accepted: () => readonly AcceptedMessage[] }>;

const LOOPBACK = "127.0.0.1";
const MAX_MESSAGE_BYTES = 1_000_000;

export async function startSinkServer(certificate: KeyPair): Promise<SinkServer> {
  const accepted: AcceptedMessage[] = [];
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = net.createServer((socket) => {
    track(socket);
    converse(socket, certificate, track, (message) => accepted.push(message));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    host: LOOPBACK,
    port,
    accepted: () => [...accepted],
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

type Envelope = { from: string; to: string[] };

function converse(plain: net.Socket, certificate: KeyPair, track: (socket: net.Socket) => void, onMessage: (message: AcceptedMessage) => void): void {
  let socket: net.Socket = plain;
  let secure = false;
  let envelope: Envelope = { from: "", to: [] };
  let data: { bytes: number } | null = null;
  const reply = (line: string) => socket.write(`${line}\r\n`);

  const onLine = (line: string): "continue" | "stop" => {
    if (data) {
      if (line !== ".") {
        data.bytes += line.length + 2;
        if (data.bytes > MAX_MESSAGE_BYTES) socket.destroy();
        return "continue";
      }
      onMessage({ ...envelope, bytes: data.bytes });
      reply(`250 2.0.0 Ok: queued as SINK${Date.now()}`);
      data = null;
      envelope = { from: "", to: [] };
      return "continue";
    }
    const verb = line.split(" ", 1)[0]!.toUpperCase();
    switch (verb) {
      case "EHLO": {
        const lines = ["mail.lab.test", "PIPELINING", "SIZE 10240000", ...(secure ? [] : ["STARTTLS"]), "ENHANCEDSTATUSCODES", "8BITMIME"];
        reply(lines.map((text, index) => `250${index === lines.length - 1 ? " " : "-"}${text}`).join("\r\n"));
        return "continue";
      }
      case "HELO":
        reply("250 mail.lab.test");
        return "continue";
      case "STARTTLS":
        if (secure) {
          reply("503 5.5.1 Already in TLS");
          return "continue";
        }
        reply("220 2.0.0 Ready to start TLS");
        socket = new tls.TLSSocket(plain, { isServer: true, cert: certificate.cert, key: certificate.key });
        track(socket);
        secure = true;
        readLines(socket, onLine);
        return "stop";
      case "MAIL":
        envelope = { from: address(line), to: [] };
        reply("250 2.1.0 Ok");
        return "continue";
      case "RCPT":
        envelope.to.push(address(line));
        reply("250 2.1.5 Ok");
        return "continue";
      case "DATA":
        if (envelope.to.length === 0) {
          reply("554 5.5.1 No valid recipients");
          return "continue";
        }
        data = { bytes: 0 };
        reply("354 End data with <CR><LF>.<CR><LF>");
        return "continue";
      case "RSET":
        envelope = { from: "", to: [] };
        reply("250 2.0.0 Ok");
        return "continue";
      case "NOOP":
        reply("250 2.0.0 Ok");
        return "continue";
      case "QUIT":
        reply("221 2.0.0 Bye");
        socket.end();
        return "stop";
      default:
        reply("502 5.5.2 Command not recognised");
        return "continue";
    }
  };

  reply(HEALTHY_GREETING);
  readLines(plain, onLine);
}

/** `MAIL FROM:<a@b> SIZE=…` → `a@b`. */
function address(line: string): string {
  return /<([^>]*)>/.exec(line)?.[1] ?? "";
}
