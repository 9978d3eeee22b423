import { defineConfig } from "prisma/config";

// DATABASE_URL is read directly: env() throws when it is unset, which would break
// `prisma generate` (and so `npm ci`) on machines without a database.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
