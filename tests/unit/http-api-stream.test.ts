import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, apiStream } from "@/lib/http/api-client";

// The browser's reader of a streamed answer: lines cut anywhere by the network arrive whole and in
// order, each parsed with the line schema as soon as its newline is in; refusals are ApiErrors.
const line = z.object({ n: z.number() });

afterEach(() => {
  vi.unstubAllGlobals();
});

function answer(chunks: string[], init: ResponseInit = { status: 200 }): void {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  vi.stubGlobal("fetch", vi.fn(async () => new Response(body, init)));
}

describe("apiStream", () => {
  it("hands over each line whole, however the chunks cut it, the last one without a newline too", async () => {
    answer(['{"n":1}\n{"n"', ':2}\n\n{"n":', "3", "}\n", '{"n":4}']);
    const seen: number[] = [];
    await apiStream("/x", line, { method: "POST", body: {} }, (l) => seen.push(l.n));
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it("sends the body as JSON", async () => {
    answer([]);
    await apiStream("/x", line, { method: "POST", body: { recipient: "a@b.test" } }, () => undefined);
    const [, init] = vi.mocked(fetch).mock.calls[0]!;
    expect(init).toMatchObject({ method: "POST", body: '{"recipient":"a@b.test"}', headers: { "content-type": "application/json" } });
  });

  it("turns a problem+json refusal into an ApiError with its words", async () => {
    answer([JSON.stringify({ title: "conflict", status: 409, detail: "This is a demo connector." })], { status: 409, headers: { "content-type": "application/problem+json" } });
    const error = await apiStream("/x", line, { method: "POST" }, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "conflict", message: "This is a demo connector." });
  });

  it("refuses a line of the wrong shape", async () => {
    answer(['{"n":1}\n', "<html>\n"]);
    const seen: number[] = [];
    const error = await apiStream("/x", line, { method: "POST" }, (l) => seen.push(l.n)).catch((e: unknown) => e);
    expect(seen).toEqual([1]);
    expect(error).toMatchObject({ code: "bad_response" });
  });
});
