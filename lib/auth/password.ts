import "server-only";
import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's baseline parameters (19 MiB, 2 passes, 1 lane): better-auth's password
// hashing is configured to use these two functions, and so are the scripts that create users.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a server error.
    return false;
  }
}
