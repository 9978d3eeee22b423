import type { z } from "zod";

// The browser's side of the API contract: one fetcher for every query and mutation. It passes
// the abort signal through, parses the body with the same zod schema the server used, and
// turns problem+json answers into an ApiError the UI can show.
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly { field: string; message: string }[];

  constructor(args: { status: number; code: string; message: string; issues?: readonly { field: string; message: string }[] }) {
    super(args.message);
    this.name = "ApiError";
    this.status = args.status;
    this.code = args.code;
    this.issues = args.issues ?? [];
  }
}

export async function apiFetch<T>(url: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: "application/json", ...init.headers } });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: "network", message: "The server could not be reached." });
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw problemToError(res.status, body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError({ status: res.status, code: "bad_response", message: "The server answered in an unexpected shape." });
  return parsed.data;
}

export type SendOptions = { method: "POST" | "PUT" | "PATCH" | "DELETE"; body?: unknown; signal?: AbortSignal };

/** A write: `body`, when given, goes as JSON; the answer is parsed and refused as apiFetch does. */
export function apiSend<T>(url: string, schema: z.ZodType<T>, { method, body, signal }: SendOptions): Promise<T> {
  if (body === undefined) return apiFetch(url, schema, { method, signal });
  return apiFetch(url, schema, { method, signal, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

/**
 * A write answered line by line (application/x-ndjson): each line is parsed with `lineSchema` and
 * handed to `onLine` as it arrives. A refusal before the stream starts is a problem+json ApiError.
 */
export async function apiStream<T>(url: string, lineSchema: z.ZodType<T>, { method, body, signal }: SendOptions, onLine: (line: T) => void): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      signal,
      headers: { accept: "application/x-ndjson, application/problem+json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: "network", message: "The server could not be reached." });
  }
  if (!res.ok || !res.body) throw problemToError(res.status, await res.json().catch(() => null));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  const emit = (text: string) => {
    if (text.trim() === "") return;
    const parsed = lineSchema.safeParse(safeJson(text));
    if (!parsed.success) throw new ApiError({ status: res.status, code: "bad_response", message: "The server answered in an unexpected shape." });
    onLine(parsed.data);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += value;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    lines.forEach(emit);
  }
  emit(pending);
}

/** Retrying a 4xx cannot help; a network failure or 5xx may. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
}

function problemToError(status: number, body: unknown): ApiError {
  const problem = (body ?? {}) as { title?: unknown; detail?: unknown; issues?: unknown };
  return new ApiError({
    status,
    code: typeof problem.title === "string" ? problem.title : "http_error",
    message: typeof problem.detail === "string" ? problem.detail : `The server answered ${status}.`,
    issues: Array.isArray(problem.issues) ? (problem.issues as { field: string; message: string }[]) : [],
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
