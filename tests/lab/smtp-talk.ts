import net from "node:net";
import tls from "node:tls";

/**
 * A minimal SMTP client for tests that check the lab itself: it keeps Node's own error codes and
 * bounds every wait. The probe under test has its own client; this one only proves the lab.
 */

export type Target = Readonly<{ host: string; port: number }>;

export class SmtpTalk {
  private buffer = "";
  private lines: string[] = [];
  private closed: Error | null = null;
  private wake: (() => void) | null = null;

  private constructor(private socket: net.Socket) {
    this.listen(socket);
  }

  static connect(target: Target, timeoutMs: number): Promise<SmtpTalk> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error(`connect timed out after ${timeoutMs} ms`), { code: "LAB_CONNECT_TIMEOUT" }));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new SmtpTalk(socket));
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** The next reply's lines (a multi-line reply ends at "NNN "). */
  async reply(timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    const reply: string[] = [];
    for (;;) {
      const line = await this.nextLine(deadline);
      reply.push(line);
      if (/^\d{3}(?: |$)/.test(line)) return reply;
    }
  }

  async command(line: string, timeoutMs: number): Promise<string[]> {
    this.socket.write(`${line}\r\n`);
    return this.reply(timeoutMs);
  }

  /** Upgrades after a 220 to STARTTLS; rejects with Node's TLS error (code kept). */
  startTls(options: tls.ConnectionOptions, timeoutMs: number): Promise<tls.TLSSocket> {
    const plain = this.socket;
    plain.removeAllListeners("data");
    return new Promise((resolve, reject) => {
      const secured = tls.connect({ ...options, socket: plain });
      const timer = setTimeout(() => {
        secured.destroy();
        reject(Object.assign(new Error(`TLS handshake timed out after ${timeoutMs} ms`), { code: "LAB_TLS_TIMEOUT" }));
      }, timeoutMs);
      secured.once("secureConnect", () => {
        clearTimeout(timer);
        secured.removeAllListeners("error");
        this.socket = secured;
        this.buffer = "";
        this.lines = [];
        this.listen(secured);
        resolve(secured);
      });
      secured.once("error", (error) => {
        clearTimeout(timer);
        secured.destroy();
        reject(error);
      });
    });
  }

  /** The certificate of a connection upgraded with `startTls`. */
  peerCertificate(): tls.PeerCertificate {
    if (!(this.socket instanceof tls.TLSSocket)) throw new Error("not upgraded to TLS");
    return this.socket.getPeerCertificate();
  }

  close(): void {
    this.socket.destroy();
  }

  private listen(socket: net.Socket): void {
    socket.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString("latin1");
      let end = this.buffer.indexOf("\n");
      while (end >= 0) {
        this.lines.push(this.buffer.slice(0, end).replace(/\r$/, ""));
        this.buffer = this.buffer.slice(end + 1);
        end = this.buffer.indexOf("\n");
      }
      this.wake?.();
    });
    socket.on("error", (error) => {
      this.closed = error;
      this.wake?.();
    });
    socket.on("close", () => {
      this.closed ??= Object.assign(new Error("connection closed"), { code: "LAB_CLOSED" });
      this.wake?.();
    });
  }

  private async nextLine(deadline: number): Promise<string> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.closed) throw this.closed;
      const wait = deadline - Date.now();
      if (wait <= 0) throw Object.assign(new Error("no reply in time"), { code: "LAB_REPLY_TIMEOUT" });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}
