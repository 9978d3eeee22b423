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
