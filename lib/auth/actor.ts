import { env } from "@/lib/env";

/** Who performs a mutation. Services take it so a role check can be added in one place. */
export type Actor = Readonly<{ name: string }>;

/**
 * The acting user of a request. Until sign-in exists it is the configured ACTING_USER;
 * sign-in replaces this one function.
 */
export function actingUser(req: Request): Actor {
  void req;
  return { name: env().ACTING_USER };
}
