import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import type { LabServer } from "./smtp-server";

/** Faults below SMTP: a port nothing listens on, and a listener that never completes a connect. */

const LOOPBACK = "127.0.0.1";
const START_TIMEOUT_MS = 5_000;
const SYSTEM_PYTHON = "/usr/bin/python3";

/** A port that was just free: bound, noted and closed, so a connect is refused (RST). */
export async function closedPort(): Promise<LabServer> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { host: LOOPBACK, port, stop: async () => {} };
}

/**
 * A listener whose accept queue is full and is never drained, so Linux drops further SYNs and a
 * connect neither succeeds nor is refused: it times out. Node's own servers always accept, hence a
 * Python child with `listen(0)` (room for one) that fills its queue itself and never calls accept().
 * The child also exits when its stdin closes, so it dies with the test process.
 */
export async function blackholePort(): Promise<LabServer> {
  const child = spawn(python(), ["-c", BLACKHOLE_PY], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the blackhole listener did not start in time"));
    }, START_TIMEOUT_MS);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^READY (\d+)\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the blackhole listener exited (${code})`));
    });
  });
  return {
    host: LOOPBACK,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin.end();
        child.kill("SIGKILL");
      }),
  };
}

/** Debian's own python3 when present: a version manager's shim on PATH can take over a second to start. */
function python(): string {
  return existsSync(SYSTEM_PYTHON) ? SYSTEM_PYTHON : "python3";
}

const BLACKHOLE_PY = `
import socket, sys
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(0)
address = listener.getsockname()
fillers = []
first = socket.create_connection(address, timeout=2)
fillers.append(first)
for _ in range(2):
    extra = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    extra.setblocking(False)
    extra.connect_ex(address)
    fillers.append(extra)
sys.stdout.write("READY %d\\n" % address[1])
sys.stdout.flush()
sys.stdin.read()
`;
