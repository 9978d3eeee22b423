import "server-only";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { metricsAccess } from "@/lib/metrics/access";
import { defineAllMetrics } from "@/lib/metrics/definitions";
import { refreshGauges } from "@/lib/metrics/gauges";
import { metricsRegistry } from "@/lib/metrics/registry";

export type Scrape = { body: string; contentType: string };

/** The metrics in Prometheus' text format, for a scrape that shows the metrics token. */
export async function scrapeMetrics(db: Db, authorization: string | null): Promise<Scrape> {
  const access = metricsAccess(env().METRICS_TOKEN, authorization);
  if (access === "off") {
    throw new AppError({ code: "not_found", status: 404, message: "Metrics are off on this server: set METRICS_TOKEN to serve them (docs/metrics.md)." });
  }
  if (access === "denied") {
    throw new AppError({ code: "unauthorized", status: 401, message: "Send the metrics token as `Authorization: Bearer <METRICS_TOKEN>` (docs/metrics.md)." });
  }
  defineAllMetrics();
  await refreshGauges(db);
  const registry = metricsRegistry();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
