// One error type for everything a user may read. Anything else is logged and answered as 500.
export type AppErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "service_unavailable"
  | "internal";

export type FieldIssue = { field: string; message: string };

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly issues?: FieldIssue[];

  constructor(args: { code: AppErrorCode; message: string; status: number; issues?: FieldIssue[] }) {
    super(args.message);
    this.name = "AppError";
    this.code = args.code;
    this.status = args.status;
    this.issues = args.issues;
  }
}

export const notFound = (what: string) => new AppError({ code: "not_found", status: 404, message: `${what} was not found.` });
export const conflict = (message: string) => new AppError({ code: "conflict", status: 409, message });
export const badRequest = (message: string, issues?: FieldIssue[]) =>
  new AppError({ code: "bad_request", status: 400, message, issues });

/** A 400 naming each field that is wrong; the message names the first. */
export function invalidFields(issues: FieldIssue[]): AppError {
  const first = issues[0];
  const message = first ? `Invalid ${first.field}: ${first.message}` : "Invalid request.";
  return new AppError({ code: "validation_failed", status: 400, message, issues });
}
