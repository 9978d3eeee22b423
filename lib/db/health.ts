import { migrationStatus, type MigrationStatus } from "@/lib/db/migrate";

// What GET /api/health reports: can we reach the database, and is its schema the one this
// code expects (every migration applied, none changed after the fact)?

export type Health =
  | { status: "ok"; database: "reachable"; migrations: { applied: number; pending: string[] } }
  | { status: "error"; database: "reachable" | "unreachable" | "not configured"; reason: string; migrations?: { applied: number; pending: string[] } };

export async function checkHealth(connectionString: string | undefined): Promise<Health> {
  if (!connectionString) {
    return { status: "error", database: "not configured", reason: "DATABASE_URL is not set: start the app with npm start, which provides one." };
  }
  let state: MigrationStatus;
  try {
    state = await migrationStatus(connectionString);
  } catch (error) {
    return { status: "error", database: "unreachable", reason: `The database is unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
  const migrations = { applied: state.applied.length, pending: state.pending };
  if (state.problems.length > 0) {
    return { status: "error", database: "reachable", migrations, reason: `The migration history needs attention: ${state.problems.join(" ")}` };
  }
  if (state.pending.length > 0) {
    return {
      status: "error", database: "reachable", migrations,
      reason: `${state.pending.length} migration(s) not applied yet: ${state.pending.join(", ")}. Run npm run db:migrate (npm start does this).`,
    };
  }
  return { status: "ok", database: "reachable", migrations };
}
