import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { isDatabaseUnavailable, isRecordNotFound, isUniqueViolation } from "@/lib/db/errors";
import { AppError, invalidFields, type FieldIssue } from "@/lib/http/errors";

// The one problem+json error shape (RFC 9457) for zod errors, AppErrors, Prisma's known errors and
// everything else. Apart from the route wrapper, so the proxy can answer in it without the database.

export function problemResponse(error: unknown, instance: string): Response {
  const app = toAppError(error);
  if (app.status >= 500 && app.code === "internal") console.error(`[${instance}]`, error);
  return NextResponse.json(
    { type: `about:blank#${app.code}`, title: app.code, status: app.status, detail: app.message, instance, issues: app.issues },
    { status: app.status, headers: { "content-type": "application/problem+json" } },
  );
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return invalidFields(error.issues.map((i): FieldIssue => ({ field: i.path.join(".") || "(root)", message: i.message })));
  }
  if (isUniqueViolation(error)) return new AppError({ code: "conflict", status: 409, message: "That already exists." });
  if (isRecordNotFound(error)) return new AppError({ code: "not_found", status: 404, message: "That was not found." });
  if (isDatabaseUnavailable(error)) {
    return new AppError({ code: "service_unavailable", status: 503, message: "The database is unavailable; nothing was changed. Try again shortly." });
  }
  return new AppError({ code: "internal", status: 500, message: "Something went wrong on our side; it has been logged." });
}
