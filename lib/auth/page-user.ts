import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { sessionActor } from "@/lib/auth/actor";
import type { Actor } from "@/lib/auth/roles";

// Pages read their data on the server, so each page checks the session itself before reading:
// the proxy only looks for the cookie. Cached per request: the header and the page share one lookup.
export const currentUser = cache(async (): Promise<Actor | null> => sessionActor(await headers()));

/** The signed-in user of this page request; a signed-out or expired session goes to sign-in. */
export async function requirePageUser(): Promise<Actor> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return user;
}
