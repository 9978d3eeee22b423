import { readFileSync } from "node:fs";
import path from "node:path";
import type { Fault } from "@/tests/lab/lab";

// Where tests/lab/serve.ts (a webServer of playwright.config.ts) leaves the lab's CA, which the app
// servers trust as PROBE_CA_FILE, and the addresses of its servers, which the specs read.
export const LAB_DIR = path.resolve(".data", "e2e", "lab");
export const LAB_CA_FILE = path.join(LAB_DIR, "ca.pem");

export type LabAddresses = { hostName: string; dns: string; addresses: Partial<Record<Fault, string>> };

/** "127.0.0.1:PORT" of a fault's server, as a smart host is written. */
export function labAddress(fault: Fault): string {
  const lab = JSON.parse(readFileSync(path.join(LAB_DIR, "lab.json"), "utf8")) as LabAddresses;
  const address = lab.addresses[fault];
  if (!address) throw new Error(`tests/lab/serve.ts was started without the fault "${fault}"`);
  return address;
}
