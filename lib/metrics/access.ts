import { createHash, timingSafeEqual } from "node:crypto";
import { bearerToken } from "@/lib/auth/token-format";

// Pure: whether a scrape may read the metrics. METRICS_TOKEN is a token of its own, not an
// ingest token nor a session: Prometheus holds it, and it opens nothing but GET /api/metrics.

export type MetricsAccess = "allowed" | "off" | "denied";

/**
 * "off" when no token is configured, "denied" when the header is missing, malformed or names
 * another token. Both sides are hashed to 32 bytes before the constant-time comparison, so the
 * time taken tells nothing about the token, its length included.
 */
export function metricsAccess(configured: string | undefined, authorization: string | null): MetricsAccess {
  if (!configured) return "off";
  const given = bearerToken(authorization);
  if (given === null) return "denied";
  return timingSafeEqual(sha256(given), sha256(configured)) ? "allowed" : "denied";
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
