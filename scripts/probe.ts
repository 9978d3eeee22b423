/** npm run probe -- "Connector name" [--recipient addr] [--json]: validate a connector; exit 0 when it passes */
import { parseArgs } from "node:util";
import { COMMAND_LINE_ACTOR } from "@/lib/auth/bootstrap";
import { displayCode } from "@/lib/alerts/codes";
import { withScriptDatabase } from "@/lib/db/script-database";
import { AppError } from "@/lib/http/errors";
import { validateConnector, type ValidationRecord } from "@/lib/probe/service";
import type { ProbeStep, TargetAddress } from "@/lib/probe/types";

// Exit status: 0 passed, 1 failed (the code is printed), 2 not validated (usage, unknown or demo
// connector, bad recipient, no database). Steps go to stdout as they pass; --json prints only the
// stored validation, as the API answers it, for scripts.
const USAGE = 'Usage: npm run probe -- "Connector name" [--recipient someone@example.com] [--json]';

async function main(): Promise<number> {
  const { values, positionals } = parseArguments();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !positionals[0]!.trim()) throw new UsageError(USAGE);
  const name = positionals[0]!.trim();

  return withScriptDatabase(async (client) => {
    const known = await client.connector.findUnique({ where: { name }, select: { id: true } });
    const ref = known?.id ?? (/^\d+$/.test(name) ? Number(name) : name);
    const onStep = values.json ? undefined : printStep();
    const record = await validateConnector(client, ref, { trigger: "command-line", actor: COMMAND_LINE_ACTOR, recipient: values.recipient, onStep });
    if (values.json) console.log(JSON.stringify(record, null, 2));
    else printOutcome(record);
    return record.outcome === "passed" ? 0 : 1;
  });
}

function parseArguments() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { recipient: { type: "string" }, json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

function printStep() {
  let current = "";
  return (target: TargetAddress, step: ProbeStep) => {
    const where = `${target.host}${target.address && target.address !== target.host ? ` (${target.address})` : ""} port ${target.port}`;
    if (where !== current) {
      current = where;
      console.log(`\n${where}`);
    }
    const mark = step.ok ? "ok  " : "FAIL";
    console.log(`  ${mark} ${step.name.padEnd(11)} ${String(step.ms).padStart(6)} ms  ${indent(step.seen)}`);
    if (step.error) console.log(`       ${" ".repeat(11)}            ${indent(step.error)}`);
  };
}

function printOutcome(record: ValidationRecord): void {
  console.log("");
  if (record.outcome === "passed") console.log(`Passed in ${record.durationMs} ms.`);
  else console.log(`Failed: ${record.errorCode ? displayCode(record.errorCode) : "unknown"}: ${record.summary ?? ""} (${record.durationMs} ms).`);
  if (record.certExpiresAt) console.log(`The soonest certificate expiry seen: ${record.certExpiresAt}.`);
  console.log(`Kept as validation ${record.id} on the connector's page.`);
}

function indent(text: string): string {
  return text.replace(/\n/g, `\n${" ".repeat(30)}`);
}

class UsageError extends Error {}

// A reader that stops early (`| head`) ends the output, not the validation's record.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error instanceof AppError || error instanceof UsageError || error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
