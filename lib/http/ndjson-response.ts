import { toAppError } from "@/lib/http/problem";

// A streamed answer, one JSON object a line, for work whose progress the browser shows live. The
// status is 200 from the first byte, so whatever can be refused is refused before this is called;
// a failure of the work itself becomes the last line, in the words AppError allows users to read.

export type Send<T> = (line: T) => void;

export function ndjsonResponse<T>(run: (send: Send<T>) => Promise<void>, errorLine: (message: string) => T, instance: string): Response {
  const encoder = new TextEncoder();
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      // The reader may go away (tab closed): the work goes on and is kept, it just is not sent.
      const send: Send<T> = (line) => {
        if (open) controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      };
      try {
        await run(send);
      } catch (error) {
        const app = toAppError(error);
        if (app.code === "internal") console.error(`[${instance}]`, error);
        send(errorLine(app.message));
      }
      if (open) controller.close();
      open = false;
    },
    cancel() {
      open = false;
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      // no-transform keeps compression from holding lines back; X-Accel-Buffering does the same for nginx.
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
