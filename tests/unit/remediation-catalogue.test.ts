import { describe, expect, it } from "vitest";
import { KNOWN_CODES } from "@/lib/alerts/codes";
import { CODE_ADVICE, MANUAL_STEPS, guidanceFor } from "@/lib/remediation/catalogue";
import en from "@/messages/en/remediation.json";
import sv from "@/messages/sv/remediation.json";

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === "string" ? [`${prefix}${key}`] : leaves(value, `${prefix}${key}.`)));
}

function lookup(tree: Tree, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Tree | undefined)?.[key], tree);
}

describe("remediation catalogue", () => {
  it("has advice for every code of the catalogue", () => {
    expect(Object.keys(CODE_ADVICE).sort()).toEqual([...KNOWN_CODES].sort());
  });

  it("gives on-premises connectors the code's own causes and fixes, and 4.4.316 the manual steps", () => {
    expect(guidanceFor("4.4.316", "ON_PREMISES")).toEqual({
      key: "connectionRefused",
      causes: ["firewall", "decommissioned"],
      fixes: ["allowIpRanges", "fixNow"],
      contactPartner: false,
      investigateDestination: false,
      manualSteps: true,
    });
    expect(guidanceFor("4.7.320", "ON_PREMISES")).toMatchObject({ key: "certificateInvalid", fixes: ["fixCertificate"], manualSteps: false });
  });

  it("tells partner connectors to contact the partner, with the causes but none of our own fixes or manual steps", () => {
    for (const code of KNOWN_CODES) {
      const g = guidanceFor(code, "PARTNER");
      expect(g).toMatchObject({ contactPartner: true, fixes: [], manualSteps: false, investigateDestination: false });
      expect(g.causes.length).toBeGreaterThan(0);
    }
  });

  it("points any other code at the destination server in the error details", () => {
    for (const code of ["5.7.1", "4.4.7", "unknown"]) {
      expect(guidanceFor(code, "ON_PREMISES")).toEqual({ key: "other", causes: [], fixes: [], contactPartner: false, investigateDestination: true, manualSteps: false });
      expect(guidanceFor(code, "PARTNER")).toMatchObject({ key: "other", contactPartner: true, investigateDestination: true });
    }
  });

  it.each([
    ["en", en],
    ["sv", sv],
  ])("has every text the catalogue names in %s", (_locale, messages) => {
    const tree = (messages as { remediation: Tree }).remediation;
    for (const code of KNOWN_CODES) {
      const g = guidanceFor(code, "ON_PREMISES");
      const paths = [`codes.${g.key}.happened`, ...g.causes.map((c) => `codes.${g.key}.causes.${c}`), ...g.fixes.map((f) => `codes.${g.key}.fixes.${f}`)];
      for (const path of paths) expect(lookup(tree, path), path).toEqual(expect.stringMatching(/\S{3}/));
    }
    for (const step of MANUAL_STEPS) expect(lookup(tree, `manual.steps.${step}`), step).toEqual(expect.any(String));
  });

  it("has the same keys in English and Swedish, and no text left untranslated", () => {
    const enTree = en.remediation as Tree;
    const svTree = sv.remediation as Tree;
    expect(leaves(svTree).sort()).toEqual(leaves(enTree).sort());
    const same = leaves(enTree).filter((path) => lookup(enTree, path) === lookup(svTree, path));
    expect(same).toEqual([]);
  });
});
