import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Every text the product shows exists in English and in Swedish: the same files, the same keys.
const root = path.resolve(import.meta.dirname, "../../messages");

describe("messages", () => {
  const files = readdirSync(path.join(root, "en")).filter((f) => f.endsWith(".json")).sort();

  it("has the same files in both languages", () => {
    expect(readdirSync(path.join(root, "sv")).filter((f) => f.endsWith(".json")).sort()).toEqual(files);
  });

  it.each(files)("%s has the same keys in English and Swedish", (file) => {
    const read = (locale: string) => JSON.parse(readFileSync(path.join(root, locale, file), "utf8")) as unknown;
    expect(keysOf(read("sv"))).toEqual(keysOf(read("en")));
  });

  it.each(files)("%s has no namespace twice across files", (file) => {
    const namespaces = (f: string) => Object.keys(JSON.parse(readFileSync(path.join(root, "en", f), "utf8")) as object);
    const others = files.filter((f) => f !== file).flatMap(namespaces);
    expect(namespaces(file).filter((n) => others.includes(n))).toEqual([]);
  });
});

function keysOf(value: unknown, prefix = ""): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k)).sort();
}
