import { markWritten } from "@/lib/db/reader";
import { problemResponse } from "@/lib/http/problem";

// The single wrapper every route handler goes through: one problem+json error shape
// (RFC 9457) for zod errors, AppErrors, Prisma's known errors and everything else. With a read
// replica, a successful write's response also carries the primary's WAL position, so its
// author's next reads wait for the replica or go to the primary (docs/replica.md).
type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

export function route<C>(handler: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await markWritten(req, await handler(req, ctx));
    } catch (error) {
      return problemResponse(error, new URL(req.url).pathname);
    }
  };
}
