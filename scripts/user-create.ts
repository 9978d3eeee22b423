/** npm run user:create -- --email you@example.com --role admin [--name "Your Name"]: asks for the password (or reads it from stdin) */
import { parseArgs } from "node:util";
import { COMMAND_LINE_ACTOR } from "@/lib/auth/bootstrap";
import { parseRole } from "@/lib/auth/roles";
import { createUserBodySchema } from "@/lib/auth/schemas";
import { createUser } from "@/lib/auth/users";
import { withScriptDatabase } from "@/lib/db/script-database";

// DATABASE_URL when set; otherwise the embedded database (the running app's server, if one runs).
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: "string" }, role: { type: "string", default: "viewer" }, name: { type: "string" } } });
  const role = parseRole(values.role ?? "");
  if (!values.email || !role) throw new Error("Usage: npm run user:create -- --email you@example.com --role viewer|operator|admin [--name \"Your Name\"]");
  const password = process.stdin.isTTY ? await askTwice() : await readStdin();
  const input = createUserBodySchema.parse({ email: values.email, name: values.name ?? values.email.split("@")[0], role, password });

  await withScriptDatabase(async (client) => {
    const user = await createUser(client, COMMAND_LINE_ACTOR, input);
    console.log(`Created ${user.role.toLowerCase()} ${user.email}; they can sign in now.`);
  });
}

async function askTwice(): Promise<string> {
  const first = await askHidden("Password (at least 12 characters): ");
  const second = await askHidden("Same password again: ");
  if (first !== second) throw new Error("The two passwords differ; nothing was created.");
  return first;
}

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let typed = "";
    const done = (result: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stdout.write("\n");
      result();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return done(() => resolve(typed));
        if (char === "\u0003") return done(() => reject(new Error("Cancelled; nothing was created.")));
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on("data", onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

main().catch((error: unknown) => {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  console.error(issues ? issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n") : error instanceof Error ? error.message : error);
  process.exit(1);
});
