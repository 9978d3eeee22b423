import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;

const globalForDb = globalThis as unknown as { mailflowDb?: PrismaClient };

export function createDb(connectionString: string, max = env().DB_POOL_MAX): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max });
  // The embedded database serialises transactions, so waiting 2 s (Prisma's default) for one to
  // start is too short there; the same generous limits do no harm on a Postgres server.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 20_000, timeout: 30_000 } });
}

/** The one cached client of this process. */
export function db(): PrismaClient {
  if (!globalForDb.mailflowDb) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides one.");
    globalForDb.mailflowDb = createDb(url);
  }
  return globalForDb.mailflowDb;
}
