/** Captures a real Postfix log of the fault lab: `tsx tests/lab/postfix-capture.ts tests/fixtures/postfix/lab-run.log` (as root). */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runPostfixLab } from "./postfix-run";

const file = process.argv[2];
if (!file) throw new Error("usage: tsx tests/lab/postfix-capture.ts LOG_FILE");

const cpuBefore = process.cpuUsage();
const run = await runPostfixLab();
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, run.log);
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify(
    { file, lines: run.log.split("\n").length - 1, durationMs: run.durationMs, nodeCpuMs: Math.round((cpu.user + cpu.system) / 1000), dnsQueries: run.dnsQueries },
    null,
    2,
  ),
);
