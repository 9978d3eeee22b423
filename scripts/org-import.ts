/** npm run org:import -- FILE [FILE…] [--dry-run] [--keep-product | --take-tenant]: import Exchange Online's connectors and accepted domains */
import { open } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { COMMAND_LINE_ACTOR } from "@/lib/auth/bootstrap";
import { withScriptDatabase } from "@/lib/db/script-database";
import { AppError } from "@/lib/http/errors";
import { IMPORT_LIMITS, type ExchangeFile } from "@/lib/organisation/exchange/read";
import { applyImport, previewImport } from "@/lib/organisation/import-service";
import { previewLines, resultLine } from "@/lib/organisation/import-report";
import type { Resolution } from "@/lib/organisation/import-schemas";

// Prints the preview, then applies it unless --dry-run. A Fix now pending in Exchange Online that
// the files contradict is a conflict: without --keep-product (leave those fields as the product
// has them) or --take-tenant (undo the Fix now, take the tenant's state) nothing is applied.
// Exit codes: 0 done, 1 error, 2 conflicts left unresolved.
const USAGE = "Usage: npm run org:import -- FILE [FILE…] [--dry-run] [--keep-product | --take-tenant]";
const CONFLICTS_UNRESOLVED = 2;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { "dry-run": { type: "boolean" }, "keep-product": { type: "boolean" }, "take-tenant": { type: "boolean" } },
  });
  if (positionals.length === 0 || (values["keep-product"] && values["take-tenant"])) throw new Error(USAGE);
  const choice: Resolution | null = values["keep-product"] ? "keep" : values["take-tenant"] ? "tenant" : null;
  const files = await Promise.all(positionals.map(readInputFile));

  return withScriptDatabase(async (client) => {
    const preview = await previewImport(client, COMMAND_LINE_ACTOR, files);
    console.log(previewLines(preview).join("\n"));
    if (values["dry-run"]) {
      console.log("\nDry run: nothing was changed.");
      return 0;
    }
    if (preview.conflicts.length > 0 && !choice) {
      console.error("\nNothing was applied: choose --keep-product (leave those fields as the product has them) or --take-tenant (undo the Fix now and take Exchange Online's state).");
      return CONFLICTS_UNRESOLVED;
    }
    const resolutions: Record<string, Resolution> = Object.fromEntries(preview.conflicts.map((c) => [String(c.remediationId), choice!]));
    console.log(`\n${resultLine(await applyImport(client, COMMAND_LINE_ACTOR, preview.id, resolutions))}`);
    return 0;
  });
}

/** At most one byte over the reader's limit is read, so an oversized file is refused by the reader's rule without being read whole. */
async function readInputFile(file: string): Promise<ExchangeFile> {
  const handle = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
  try {
    const buffer = Buffer.alloc(IMPORT_LIMITS.fileBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { name: path.basename(file), bytes: buffer.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    if (error instanceof AppError && error.issues && error.issues.length > 1) for (const issue of error.issues) console.error(`  ${issue.message}`);
    process.exit(1);
  },
);
