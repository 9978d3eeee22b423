/** npm run token:create -- --name "Edge relay": create an ingest token for POST /api/events and print it once */
import { parseArgs } from "node:util";
import { COMMAND_LINE_ACTOR } from "@/lib/auth/bootstrap";
import { createTokenBodySchema } from "@/lib/auth/schemas";
import { createApiToken } from "@/lib/auth/tokens";
import { withScriptDatabase } from "@/lib/db/script-database";

// DATABASE_URL when set; otherwise the embedded database (the running app's server, if one runs).
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { name: { type: "string" } } });
  if (!values.name) throw new Error('Usage: npm run token:create -- --name "where the token is used"');
  const { name } = createTokenBodySchema.parse({ name: values.name });

  await withScriptDatabase(async (client) => {
    const { token, record } = await createApiToken(client, COMMAND_LINE_ACTOR, name);
    console.error(`Created the ingest token "${record.name}" (${record.prefix}…). It is shown once, below; store it now.`);
    console.log(token);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
