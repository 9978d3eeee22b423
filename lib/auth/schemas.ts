import { z } from "zod";
import { ROLES } from "@/lib/db/enums";

// Request and response bodies of /api/users and /api/tokens (also parsed in the browser).
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

const roleSchema = z.enum(ROLES);
export const emailSchema = z.string().trim().toLowerCase().max(254).email();
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

export const createUserBodySchema = z
  .object({ email: emailSchema, name: z.string().trim().min(1).max(100), role: roleSchema, password: passwordSchema })
  .strict();
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

export const updateUserBodySchema = z.object({ role: roleSchema }).strict();

export const userIdParamSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not a user id") });

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string(),
});
export const userListSchema = z.object({ users: z.array(userSchema) });
export type UserView = z.infer<typeof userSchema>;

export const createTokenBodySchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();

export const tokenSchema = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
});
export const tokenListSchema = z.object({ tokens: z.array(tokenSchema) });
/** The only answer that carries the token itself: it is shown once. */
export const createdTokenSchema = z.object({ token: z.string(), record: tokenSchema });
export type TokenView = z.infer<typeof tokenSchema>;
