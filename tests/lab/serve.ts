/** The fault lab as a process of its own, for the browser tests (playwright.config.ts starts it before the app servers). */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startLab, type Fault } from "./lab";

// Writes the lab CA where the app servers' PROBE_CA_FILE points (read at each probe) and the
// servers' addresses as JSON for the specs, then says "lab ready" (what Playwright waits for) and
// runs until SIGTERM. Only the faults the browser tests use; everything on loopback.
const FAULTS: readonly Fault[] = ["healthy", "hostileGreeting", "neverGreets", "refused"];

const dir = process.argv[2];
if (!dir) throw new Error("usage: tsx tests/lab/serve.ts DIRECTORY");

const lab = await startLab({ faults: FAULTS });
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "ca.pem"), lab.caPem);
const addresses = Object.fromEntries(FAULTS.map((fault) => [fault, lab.address(fault)]));
writeFileSync(path.join(dir, "lab.json"), JSON.stringify({ hostName: lab.hostName, dns: lab.dns.server, addresses }, null, 2));
console.log(`lab ready: ${JSON.stringify(addresses)}`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void lab.stop().finally(() => process.exit(0));
  });
}
