// The API's routes and the methods each answers, so a wrong method or an unknown path gets a
// problem+json answer from the proxy instead of Next's empty 404/405.
// Keep in step with app/api/**/route.ts (tests/integration/hostile-input.test.ts checks both).
const SEGMENT = "[^/]+";

export const API_ROUTES: readonly (readonly [pattern: string, methods: readonly string[]])[] = [
  ["/api/alerts", ["GET"]],
  ["/api/alerts/export", ["GET"]],
  [`/api/alerts/${SEGMENT}`, ["GET"]],
  [`/api/alerts/${SEGMENT}/actions`, ["POST"]],
  [`/api/alerts/${SEGMENT}/fix-now`, ["GET", "POST"]],
  [`/api/alerts/${SEGMENT}/fix-now/undo`, ["POST"]],
  ["/api/audit", ["GET"]],
  ["/api/audit/export", ["GET"]],
  ["/api/connectors", ["GET", "POST"]],
  [`/api/connectors/${SEGMENT}`, ["PATCH", "DELETE"]],
  [`/api/connectors/${SEGMENT}/retire`, ["POST", "DELETE"]],
  [`/api/connectors/${SEGMENT}/history`, ["GET"]],
  [`/api/connectors/${SEGMENT}/events`, ["GET"]],
  [`/api/connectors/${SEGMENT}/events/export`, ["GET"]],
  [`/api/connectors/${SEGMENT}/validations`, ["GET", "POST"]],
  ["/api/domains", ["GET", "POST"]],
  [`/api/domains/${SEGMENT}`, ["PATCH", "DELETE"]],
  ["/api/events", ["POST"]],
  ["/api/health", ["GET"]],
  ["/api/metrics", ["GET"]],
  ["/api/notifications/channels", ["GET", "POST"]],
  [`/api/notifications/channels/${SEGMENT}`, ["PATCH", "DELETE"]],
  [`/api/notifications/channels/${SEGMENT}/test`, ["POST"]],
  ["/api/notifications/rules", ["GET", "POST"]],
  [`/api/notifications/rules/${SEGMENT}`, ["PATCH", "DELETE"]],
  ["/api/notifications/maintenance", ["GET", "POST"]],
  [`/api/notifications/maintenance/${SEGMENT}`, ["DELETE"]],
  ["/api/notifications/log", ["GET"]],
  ["/api/organisation/import", ["POST"]],
  [`/api/organisation/import/${SEGMENT}/apply`, ["POST"]],
  ["/api/sources/trace-import", ["POST"]],
  ["/api/trace", ["GET"]],
  ["/api/trace/export", ["GET"]],
  [`/api/trace/messages/${SEGMENT}`, ["GET"]],
  ["/api/tokens", ["GET", "POST"]],
  [`/api/tokens/${SEGMENT}`, ["DELETE"]],
  ["/api/users", ["GET", "POST"]],
  [`/api/users/${SEGMENT}`, ["PATCH"]],
  ["/api/auth/.+", ["GET", "POST"]],
];

const COMPILED = API_ROUTES.map(([pattern, methods]) => [new RegExp(`^${pattern}/?$`), methods] as const);

/** The methods a path answers (HEAD with GET, OPTIONS never), or null for an unknown API path. */
export function allowedMethods(pathname: string): readonly string[] | null {
  return COMPILED.find(([regex]) => regex.test(pathname))?.[1] ?? null;
}

export function methodAllowed(method: string, allowed: readonly string[]): boolean {
  const m = method.toUpperCase();
  return allowed.includes(m) || (m === "HEAD" && allowed.includes("GET"));
}
