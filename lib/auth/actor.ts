import "server-only";
import { auth } from "@/lib/auth/auth";
import { parseRole, type Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/http/errors";

export type { Actor } from "@/lib/auth/roles";

/**
 * The signed-in user of a request, from its session cookie (validated against the database on
 * every call: expired, signed-out or forged sessions are refused). Throws a 401 AppError.
 */
export async function actingUser(req: Request): Promise<Actor> {
  const actor = await sessionActor(req.headers);
  if (!actor) throw new AppError({ code: "unauthorized", status: 401, message: "Sign in to use this API." });
  return actor;
}

/** The signed-in user of these request headers, or null. */
export async function sessionActor(headers: Headers): Promise<Actor | null> {
  const session = await auth().api.getSession({ headers });
  if (!session) return null;
  const { id, email, name, role } = session.user as typeof session.user & { role?: unknown };
  const parsed = typeof role === "string" ? parseRole(role) : null;
  return parsed ? { id, email, name, role: parsed } : null;
}
