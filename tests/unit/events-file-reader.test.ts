import { createReadStream } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { readEventFile } from "@/lib/events/file-reader";

async function batches(name: string, content: string, size = 2) {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "mf-")), name);
  await writeFile(file, content);
  const out = [];
  for await (const b of readEventFile(file, createReadStream(file), size)) out.push(b);
  return out;
}

it("streams a JSON array in batches with file-wide indexes", async () => {
  const out = await batches("e.json", "  [" + [1, 2, 3, 4, 5].map((n) => JSON.stringify({ n })).join(",") + "]");
  expect(out.map((b) => [b.firstIndex, b.events])).toEqual([[0, [{ n: 1 }, { n: 2 }]], [2, [{ n: 3 }, { n: 4 }]], [4, [{ n: 5 }]]]);
});

it("reads NDJSON, skipping blank lines and keeping a bad line as a rejection at its index", async () => {
  const out = await batches("e.ndjson", '{"n":1}\n\n{bad\n{"n":3}\n');
  expect(out[0]).toMatchObject({ firstIndex: 0, lineErrors: [{ index: 1, field: "(line)" }] });
  expect(out[1]).toMatchObject({ firstIndex: 2, events: [{ n: 3 }], lineErrors: [] });
});

it("reads a single pretty-printed event object from a .json file", async () => {
  const out = await batches("one.json", '{\n  "n": 1\n}\n');
  expect(out).toEqual([{ events: [{ n: 1 }], lineErrors: [], firstIndex: 0 }]);
});
