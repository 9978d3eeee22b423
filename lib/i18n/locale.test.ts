import { describe, expect, it } from "vitest";
import { pickLocale, pickTimeZone, preferredLanguages } from "@/lib/i18n/locale";

describe("pickLocale", () => {
  it("prefers the cookie set by the language switch", () => {
    expect(pickLocale("sv", "en-US,en;q=0.9")).toBe("sv");
    expect(pickLocale("en", "sv-SE")).toBe("en");
  });

  it("falls back to the browser's languages in order of preference", () => {
    expect(pickLocale(undefined, "sv-SE,sv;q=0.9,en;q=0.8")).toBe("sv");
    expect(pickLocale(undefined, "de-DE,en;q=0.5,sv;q=0.7")).toBe("sv");
    expect(pickLocale(undefined, "fr, en;q=0.1")).toBe("en");
    expect(pickLocale(undefined, "nb-NO")).toBe("sv");
  });

  it("ignores unknown cookies, q=0 and empty headers", () => {
    expect(pickLocale("de", null)).toBe("en");
    expect(pickLocale(undefined, "sv;q=0, en")).toBe("en");
    expect(pickLocale(undefined, "")).toBe("en");
  });

  it("parses Accept-Language tags by weight, keeping order for ties", () => {
    expect(preferredLanguages("da, en-GB;q=0.8, en;q=0.8, *;q=0.1")).toEqual(["da", "en-GB", "en"]);
  });
});

describe("pickTimeZone", () => {
  it("takes an IANA zone the runtime knows and falls back to UTC otherwise", () => {
    expect(pickTimeZone("Europe/Stockholm")).toBe("Europe/Stockholm");
    expect(pickTimeZone("UTC")).toBe("UTC");
    expect(pickTimeZone(undefined)).toBe("UTC");
    expect(pickTimeZone("Mars/Olympus_Mons")).toBe("UTC");
    expect(pickTimeZone("<script>")).toBe("UTC");
    expect(pickTimeZone("x".repeat(65))).toBe("UTC");
  });
});
