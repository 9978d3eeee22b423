/** GET /api/metrics: Prometheus metrics in the text exposition format; needs `Authorization: Bearer <METRICS_TOKEN>`, no session */
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/handler";
import { scrapeMetrics } from "@/lib/metrics/service";

export const GET = route(async (req) => {
  const { body, contentType } = await scrapeMetrics(db(), req.headers.get("authorization"));
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
