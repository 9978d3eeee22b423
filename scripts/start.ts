/** npm start (npm run dev passes --dev): database, migrations, demo data, then Next.js */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { bootstrapFirstAdmin, type BootstrapResult } from "@/lib/auth/bootstrap";
import { ensureAuthSecret } from "@/lib/auth/secret";
import { ensureNotifySecretKey } from "@/lib/notify/secret-key";
import { closeDb, createDb } from "@/lib/db/client";
import { openDatabase, type OpenDatabase } from "@/lib/db/embedded";
import { ensureDatabase, MigrationError, migrate } from "@/lib/db/migrate";
import { seedDemoIfEmpty } from "@/lib/demo/seed";
import { env } from "@/lib/env";

const dev = process.argv.includes("--dev");
const NEXT_BIN = path.join(process.cwd(), "node_modules", ".bin", "next");

let database: OpenDatabase | undefined;
let child: ChildProcess | undefined;
let stopping = false;

async function main(): Promise<void> {
  const started = performance.now();
  forwardSignals();
  database = await openDatabase();
  console.log(database.embedded
    ? `Using the embedded database in ${env().EMBEDDED_DB_DIR} (set DATABASE_URL to use a Postgres server instead).`
    : `Using the database at ${redact(database.url)}.`);
  if (!database.embedded && (await ensureDatabase(database.url))) console.log("Created the database.");

  const applied = await migrate(database.url);
  if (applied.length > 0) console.log(`Applied ${applied.length} migration(s): ${applied.join(", ")}.`);
  if ((await ensureAuthSecret()) === "created") console.log("Made a secret for session cookies in .data/auth-secret (set AUTH_SECRET to choose one).");
  if ((await ensureNotifySecretKey()) === "created") console.log("Made a key for notification channels' secrets in .data/notify-secret-key (set NOTIFY_SECRET_KEY to choose one).");
  const firstAdmin = await createFirstAdmin(database.url);

  // The build needs no database, so it runs while the demo data loads.
  await settleAll([loadDemoData(database.url), buildIfNeeded()]);
  if (stopping) return;

  const { HOST, PORT } = env();
  const url = `http://${HOST === "0.0.0.0" ? "localhost" : HOST}:${PORT}`;
  const nextArgs = dev ? ["dev", "-H", HOST, "-p", String(PORT)] : ["start", "-H", HOST, "-p", String(PORT)];
  child = spawn(NEXT_BIN, nextArgs, { stdio: "inherit", env: process.env });
  const exited = new Promise<number>((resolve) => child!.once("exit", (code) => resolve(code ?? 0)));
  void announceWhenReady(url, started, exited, firstAdmin);
  const code = await exited;
  process.exitCode = stopping ? 0 : code;
}

async function loadDemoData(url: string): Promise<void> {
  if (env().DEMO_DATA === "off") return;
  const client = createDb(url, env().DB_POOL_MAX);
  try {
    if (await seedDemoIfEmpty(client)) console.log("Loaded the demo organisation and a day of delivery events (DEMO_DATA=off skips this).");
  } finally {
    await closeDb(client);
  }
}

async function createFirstAdmin(url: string): Promise<BootstrapResult> {
  const { ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_DATA } = env();
  const client = createDb(url, 1);
  try {
    return await bootstrapFirstAdmin(client, { adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD, demo: DEMO_DATA === "on" });
  } finally {
    await closeDb(client);
  }
}

function signInHelp(result: BootstrapResult): string {
  switch (result.kind) {
    case "demo":
      return `  Sign in as the demo admin: ${result.email} / ${result.password}\n  (shown once; make your own admin with npm run user:create -- --email … --role admin)\n`;
    case "admin":
      return `  Created the first admin ${result.email} from ADMIN_EMAIL and ADMIN_PASSWORD.\n`;
    case "none":
      return "  Nobody can sign in yet: npm run user:create -- --email you@example.com --role admin\n";
    case "existing":
      return "";
  }
}

async function buildIfNeeded(): Promise<void> {
  if (dev || existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) return;
  console.log("No production build yet: running next build (once).");
  child = spawn(NEXT_BIN, ["build"], { stdio: "inherit", env: process.env });
  const code = await new Promise<number | null>((resolve) => child!.once("exit", resolve));
  child = undefined;
  if (code !== 0 && !stopping) throw new Error(`next build failed (exit code ${code}).`);
}

/** Waits for every task, then throws the first failure: nothing is left running behind an error. */
async function settleAll(tasks: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}

async function announceWhenReady(url: string, started: number, exited: Promise<number>, firstAdmin: BootstrapResult): Promise<void> {
  let done = false;
  void exited.then(() => { done = true; });
  while (!done) {
    const reachable = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) }).then(() => true, () => false);
    if (reachable) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`\n  Mailflow Intelligence is ready at ${url} (started in ${seconds} s). Press Ctrl+C to stop.\n${signInHelp(firstAdmin)}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function forwardSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopping = true;
      // Next.js gets the signal and exits; main() then stops the embedded database. Before
      // Next.js runs, stopping the database (in the finally below) is all there is to do.
      if (child && child.exitCode === null) child.kill(signal);
      else void shutdown(130);
    });
  }
}

async function shutdown(code: number): Promise<never> {
  await database?.stop();
  process.exit(code);
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

main()
  .catch((error: unknown) => {
    if (error instanceof MigrationError) console.error(`Not starting: the migrations were refused.\n${error.message}`);
    else console.error(`Not starting: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await database?.stop();
    process.exit();
  });
