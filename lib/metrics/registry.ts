import { collectDefaultMetrics, Registry } from "prom-client";

// The one Prometheus registry of this process. Next.js bundles instrumentation.ts (where the
// sweep and the notification jobs run) apart from the route handlers, so a module-level value
// could exist twice in one process and the jobs' counters would never reach GET /api/metrics:
// the registry and its metrics live on globalThis under a key of ours instead.
const KEY = Symbol.for("mailflow.metrics.registry");

type Holder = { registry: Registry; metrics: Map<string, unknown> };

function holder(): Holder {
  const g = globalThis as { [KEY]?: Holder };
  if (!g[KEY]) {
    const registry = new Registry();
    // prom-client's process metrics (CPU, memory, event loop lag, handles, GC), in the same scrape.
    collectDefaultMetrics({ register: registry });
    g[KEY] = { registry, metrics: new Map() };
  }
  return g[KEY];
}

export function metricsRegistry(): Registry {
  return holder().registry;
}

/**
 * The metric registered under `name`, made by `create` on first use: however many copies of a
 * module define it, the process has one metric per name (prom-client refuses a second).
 */
export function defineMetric<T>(name: string, create: (registry: Registry) => T): T {
  const { registry, metrics } = holder();
  if (!metrics.has(name)) metrics.set(name, create(registry));
  return metrics.get(name) as T;
}
