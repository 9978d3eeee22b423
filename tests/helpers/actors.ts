import type { Actor, Role } from "@/lib/auth/roles";

/** A signed-in user for service calls; services check only the role and record the name. */
export function testActor(name: string, role: Role = "OPERATOR"): Actor {
  return { id: `user-${name}`, email: `${name}@example.test`, name, role };
}
