import { ROLES, type Role } from "@/lib/db/enums";
import { AppError } from "@/lib/http/errors";

// Who may do what. Pure, so the services call it and unit tests cover it without a database.
export type { Role };

/** viewer reads; operator also remediates and acts on alerts; admin also manages users and tokens. */
export type Permission = "read" | "remediate" | "manage";

const MIN_ROLE: Record<Permission, Role> = { read: "VIEWER", remediate: "OPERATOR", manage: "ADMIN" };

/** Who performs a request: the signed-in user. Services take it and check it here. */
export type Actor = Readonly<{ id: string; email: string; name: string; role: Role }>;

export function can(role: Role, permission: Permission): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(MIN_ROLE[permission]);
}

/** Throws a 403 AppError unless the actor's role allows the permission; callers change nothing before. */
export function requireRole(actor: Actor, permission: Permission): void {
  if (can(actor.role, permission)) return;
  throw new AppError({
    code: "forbidden",
    status: 403,
    message: `Your role (${actor.role.toLowerCase()}) may not ${DESCRIPTIONS[permission]}; ask an admin. Nothing was changed.`,
  });
}

export function parseRole(value: string): Role | null {
  const upper = value.trim().toUpperCase();
  return (ROLES as readonly string[]).includes(upper) ? (upper as Role) : null;
}

const DESCRIPTIONS: Record<Permission, string> = {
  read: "read the dashboard",
  remediate: "change alerts or apply remediations",
  manage: "manage users, API tokens, connectors, accepted domains and imports",
};
