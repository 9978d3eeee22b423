import type { z } from "zod";
import { badRequest } from "@/lib/http/errors";

// Opaque keyset cursors: the sort value and id of the last row served, as base64url JSON.
// Clients pass them back unchanged; anything unreadable is a 400, never a silent first page.
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>, field = "cursor"): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid(field);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(field);
  return parsed.data;
}

function invalid(field: string) {
  return badRequest(`Invalid ${field}: it is not a cursor this API handed out; start again from the first page.`, [
    { field, message: "unreadable cursor" },
  ]);
}
