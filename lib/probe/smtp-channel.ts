import net from "node:net";
import tls from "node:tls";

// The probe's own SMTP client over Node's net and tls: it keeps Node's error codes (a refused and a
// timed-out connect, each certificate error) that a library client would replace, and bounds every
// wait and every buffer.

export type Reply = Readonly<{ code: number; lines: readonly string[] }>;
/** A reply, or why none came: the wait ran out, or the connection ended (with Node's error code, if any). */
export type ReplyOutcome = Reply | Readonly<{ lost: "timeout" | "closed"; error?: string }>;

export type ConnectOutcome = Readonly<{ socket: net.Socket } | { error: string }>;
export type UpgradeOutcome = Readonly<{ socket: tls.TLSSocket } | { error: string }>;

const MAX_LINE = 4_096;
const MAX_LINES = 100;

export function connect(address: string, port: number, timeoutMs: number): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ error: "ETIMEDOUT" });
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve({ socket });
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error: error.code ?? error.message });
    });
  });
}

export class SmtpChannel {
  private buffer = "";
  private lines: string[] = [];
  private ended: string | null = null;
  private wake: (() => void) | null = null;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private readonly onEnd = () => this.end("closed");
  private readonly onError = (error: NodeJS.ErrnoException) => this.end(error.code ?? error.message);

  constructor(private socket: net.Socket) {
    this.listen();
  }

  send(line: string): void {
    if (this.ended === null) this.socket.write(`${line}\r\n`);
  }

  /** The next reply (every line of a multi-line one), or why none came within `timeoutMs`. */
  async reply(timeoutMs: number): Promise<ReplyOutcome> {
    const deadline = Date.now() + timeoutMs;
    const lines: string[] = [];
    for (;;) {
      const line = await this.nextLine(deadline);
      if (typeof line !== "string") return line;
      lines.push(line);
      const match = /^(\d{3})(?: |$)/.exec(line);
      if (match) return { code: Number(match[1]), lines };
      if (!/^\d{3}-/.test(line) || lines.length >= MAX_LINES) {
        this.close();
        return { lost: "closed", error: "the server sent a line that is not an SMTP reply" };
      }
    }
  }

  /** STARTTLS's upgrade on the same socket; certificates are checked by the caller. */
  upgrade(options: tls.ConnectionOptions, timeoutMs: number): Promise<UpgradeOutcome> {
    const plain = this.socket;
    this.unlisten();
    return new Promise((resolve) => {
      const secured = tls.connect({ ...options, socket: plain, rejectUnauthorized: false });
      const timer = setTimeout(() => {
        secured.destroy();
        resolve({ error: "ETIMEDOUT" });
      }, timeoutMs);
      secured.once("secureConnect", () => {
        clearTimeout(timer);
        secured.removeAllListeners("error");
        this.socket = secured;
        this.buffer = "";
        this.lines = [];
        this.listen();
        resolve({ socket: secured });
      });
      secured.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        secured.destroy();
        resolve({ error: error.code ?? error.message });
      });
    });
  }

  close(): void {
    this.unlisten();
    this.socket.on("error", () => undefined);
    this.socket.destroy();
    this.end("closed");
  }

  private listen(): void {
    this.socket.on("data", this.onData);
    this.socket.on("end", this.onEnd);
    this.socket.on("close", this.onEnd);
    this.socket.on("error", this.onError);
  }

  private unlisten(): void {
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.socket.off("error", this.onError);
  }

  private receive(chunk: Buffer): void {
    this.buffer += chunk.toString("latin1");
    let end = this.buffer.indexOf("\n");
    while (end >= 0) {
      this.lines.push(this.buffer.slice(0, end).replace(/\r$/, ""));
      this.buffer = this.buffer.slice(end + 1);
      end = this.buffer.indexOf("\n");
    }
    if (this.buffer.length > MAX_LINE || this.lines.length > MAX_LINES) this.end("the server sent more than a reply can hold");
    this.notify();
  }

  private end(reason: string): void {
    if (this.ended === null) this.ended = reason;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async nextLine(deadline: number): Promise<string | Exclude<ReplyOutcome, Reply>> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.ended !== null) return this.ended === "closed" ? { lost: "closed" } : { lost: "closed", error: this.ended };
      const left = deadline - Date.now();
      if (left <= 0) return { lost: "timeout" };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
