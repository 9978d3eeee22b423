import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readFormData, readJson, readOptionalJson, readText } from "@/lib/http/body";

const schema = z.object({ name: z.string() }).strict();

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }): Request {
  return new Request("http://localhost/api/x", { method: "POST", body, headers });
}

function streamOf(bytes: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let sent = 0; sent < bytes; sent += 1024) controller.enqueue(new Uint8Array(1024).fill(32));
      controller.close();
    },
  });
}

describe("request body readers", () => {
  it("readJson parses an application/json body with the route's schema", async () => {
    await expect(readJson(post('{"name":"x"}', { "content-type": "application/json; charset=utf-8" }), schema)).resolves.toEqual({ name: "x" });
    await expect(readJson(post('{"name":1}'), schema)).rejects.toBeInstanceOf(z.ZodError);
  });

  it("answers another media type with 415 and bad JSON with 400 that says why", async () => {
    await expect(readJson(post('{"name":"x"}', { "content-type": "text/plain" }), schema)).rejects.toMatchObject({ status: 415 });
    await expect(readJson(post("{oops"), schema)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^The request body is not valid JSON: /) });
  });

  it("refuses a body over the limit, declared or streamed, with 413", async () => {
    await expect(readText(post("{}", { "content-length": String(65 * 1024) }))).rejects.toMatchObject({ status: 413, message: "The request body is larger than 64 KB." });
    const streamed = new Request("http://localhost/api/x", { method: "POST", body: streamOf(6 * 1024 * 1024), duplex: "half" } as RequestInit);
    await expect(readText(streamed, 5 * 1024 * 1024, "split it")).rejects.toMatchObject({ status: 413, message: "The request body is larger than 5 MB; split it." });
  });

  it("readOptionalJson reads an empty body as {}", async () => {
    const optional = z.object({ ids: z.array(z.number()).optional() }).strict();
    await expect(readOptionalJson(post(null, {}), optional)).resolves.toEqual({});
    await expect(readOptionalJson(post('{"ids":[1]}', {}), optional)).resolves.toEqual({ ids: [1] });
  });

  it("readFormData reads a multipart body up to its limit and refuses other media types and broken forms", async () => {
    const form = new FormData();
    form.append("files", new Blob(["[]"]), "a.json");
    const encoded = new Request("http://localhost/api/x", { method: "POST", body: form });
    const read = await readFormData(encoded, 1024);
    expect((read.get("files") as File).name).toBe("a.json");
    await expect(readFormData(post("{}"), 1024)).rejects.toMatchObject({ status: 415 });
    await expect(readFormData(post("--x\r\n", { "content-type": "multipart/form-data; boundary=y" }), 1024)).rejects.toMatchObject({ status: 400, message: "The request body is not valid multipart/form-data." });
    await expect(readFormData(post("x".repeat(2048), { "content-type": "multipart/form-data; boundary=y" }), 1024, "send less")).rejects.toMatchObject({ status: 413, message: "The request body is larger than 1 KB; send less." });
  });
});
