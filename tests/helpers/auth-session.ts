import { randomBytes } from "node:crypto";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import type { Actor, Role } from "@/lib/auth/roles";
import { hashPassword } from "@/lib/auth/password";
import { newUserData } from "@/lib/auth/users";
import type { Db } from "@/lib/db/client";

// Signed-in users for route tests: a real user, signed in through better-auth's HTTP endpoint,
// so requests carry the same session cookie a browser would.
export const TEST_PASSWORD = "correct horse battery staple";
let addresses = 0;

export async function createSignedInUser(db: Db, role: Role, name = role.toLowerCase()): Promise<{ actor: Actor; cookie: string }> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${randomBytes(3).toString("hex")}@example.test`;
  // A fixture, not an admin's act: written without an audit entry, so tests count only their own.
  const user = await db.user.create({ data: newUserData({ email, name, role }, await hashPassword(TEST_PASSWORD)), select: { id: true } });
  return { actor: { id: user.id, email, name, role }, cookie: await signIn(email, TEST_PASSWORD) };
}

/** Signs in and returns the Cookie header; each call comes from its own address, clear of the per-address limit. */
export async function signIn(email: string, password: string): Promise<string> {
  const res = await signInRequest(email, password, { "x-forwarded-for": `10.${Math.floor(++addresses / 250)}.${addresses % 250}.1` });
  if (!res.ok) throw new Error(`Sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

export function signInRequest(email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  const body = JSON.stringify({ email, password });
  return authPost(new Request("http://localhost/api/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json", ...headers }, body }), undefined);
}

/** A GET (or other) request carrying a session cookie. */
export function withCookie(cookie: string) {
  return (url: string, init: RequestInit = {}) => new Request(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), cookie } });
}
