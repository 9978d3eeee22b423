import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

// A loopback webhook receiver for the browser tests: it keeps every request with whether its
// signature verified under `signingSecret`, and answers 200 when it did, 401 when not.

export type SignedRequest = Readonly<{ path: string; headers: http.IncomingHttpHeaders; body: string; signed: boolean }>;

export type SignedReceiver = Readonly<{
  /** The receiver's base address, `http://127.0.0.1:<port>`; any path is accepted. */
  origin: string;
  received: SignedRequest[];
  close: () => Promise<void>;
}>;

export async function startSignedReceiver(signingSecret: string): Promise<SignedReceiver> {
  const received: SignedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => { body += chunk; });
    req.on("end", () => {
      const header = (name: string) => { const v = req.headers[name]; return typeof v === "string" ? v : null; };
      const signed = verifySignature(signingSecret, header("x-mailflow-timestamp"), header("x-mailflow-signature"), body);
      received.push({ path: req.url ?? "", headers: req.headers, body, signed });
      res.writeHead(signed ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The receiver's check as docs/notifications-channels.md shows it (lib/notify/channels/webhook.ts
 * imports JSON messages, which the test runner's loader does not take).
 */
function verifySignature(secret: string, timestamp: string | null, signature: string | null, body: string): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
