import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ChannelSender } from "@/lib/notify/types";

// A real loopback webhook receiver for the delivery tests, and a plain webhook sender standing in
// for lib/notify/channels until it exists: POST the message as JSON to the channel's secret URL
// with its key in an Idempotency-Key header; 2xx delivered, 408/429/5xx and network errors
// retried, any other status given up.

export type Answer = "accept" | "fail" | "reject" | "hang" | ((res: http.ServerResponse) => void);

export type Receiver = {
  url: string;
  /** Idempotency keys of every request, in arrival order. */
  keys: string[];
  /** Keys of the requests answered 2xx. */
  accepted: string[];
  /** Answers for the next requests, in order; "accept" once they run out. */
  answers: Answer[];
  /** Resolves at the next request's arrival. */
  nextRequest: () => Promise<void>;
  close: () => Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  let waiting: (() => void)[] = [];
  const hanging = new Set<http.ServerResponse>();
  const receiver: Omit<Receiver, "url" | "close"> = {
    keys: [],
    accepted: [],
    answers: [],
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const key = String(req.headers["idempotency-key"] ?? "");
      receiver.keys.push(key);
      const answer = receiver.answers.shift() ?? "accept";
      const notify = waiting;
      waiting = [];
      if (answer === "accept") {
        receiver.accepted.push(key);
        res.writeHead(200).end("ok");
      } else if (answer === "fail") res.writeHead(500).end("upstream broke");
      else if (answer === "reject") res.writeHead(400).end("bad payload");
      else if (answer === "hang") hanging.add(res);
      else answer(res);
      for (const resolve of notify) resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    ...receiver,
    get answers() { return receiver.answers; },
    set answers(value) { receiver.answers = value; },
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port on loopback where nothing listens: connections are refused. */
export async function refusingUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/hook`;
}

export const testWebhookSender: ChannelSender = async (channel, message, signal) => {
  try {
    const res = await fetch(channel.secret ?? "", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": message.key },
      body: JSON.stringify(message),
      signal,
    });
    await res.arrayBuffer();
    if (res.ok) return { ok: true };
    const retry = res.status >= 500 || res.status === 408 || res.status === 429;
    return { ok: false, retry, reason: `HTTP ${res.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ok: false, retry: true, reason: cause?.code ?? (error as Error).message };
  }
};
