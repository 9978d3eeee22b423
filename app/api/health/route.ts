/** GET /api/health: database reachability and migration state (200 when healthy, 503 with a reason) */
import { db } from "@/lib/db/client";
import { checkHealth } from "@/lib/db/health";
import { env } from "@/lib/env";
import { route } from "@/lib/http/handler";

export const GET = route(async () => {
  const health = await checkHealth(env().DATABASE_URL ? db() : undefined);
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
});
