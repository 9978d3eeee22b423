import type { z } from "zod";

// Query strings into zod: empty values mean "not given", so `?code=` behaves like no code filter.
export function searchParamsObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) if (value !== "") out[key] = value;
  return out;
}

/** Parses a request's query string; a ZodError becomes a 400 with the reason in `route()`. */
export function parseSearchParams<T>(req: Request, schema: z.ZodType<T>): T {
  return schema.parse(searchParamsObject(new URL(req.url).searchParams));
}

/**
 * A page URL's parameters through `schema`, dropping those that do not validate (each issue's
 * field, then again), so a hand-edited link still shows a sensible view instead of an error.
 */
export function parseDroppingInvalid<T>(schema: z.ZodType<T>, raw: Record<string, string>): T {
  const values = { ...raw };
  for (;;) {
    const parsed = schema.safeParse(values);
    if (parsed.success) return parsed.data;
    const fields = parsed.error.issues.map((issue) => String(issue.path[0])).filter((field) => field in values);
    // Nothing left to drop: the schema refuses even its defaults, a programming error.
    if (fields.length === 0) return schema.parse(values);
    for (const field of fields) delete values[field];
  }
}
