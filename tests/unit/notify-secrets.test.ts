import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, newSecretKey, parseSecretKey, secretHint } from "@/lib/notify/secrets";

const key = parseSecretKey(newSecretKey());
const url = "https://hooks.example.test/services/T000/B000/XXXXsecretXXXX";

describe("channel secrets", () => {
  it("round-trips, with a new nonce every time, and the ciphertext shows nothing of the URL", () => {
    const a = encryptSecret(url, key);
    const b = encryptSecret(url, key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("hooks");
    expect(decryptSecret(a, key)).toBe(url);
    expect(decryptSecret(b, key)).toBe(url);
  });

  it("refuses a changed ciphertext and a wrong key, without the secret in the message", () => {
    const stored = encryptSecret(url, key);
    const parts = stored.split(".");
    const data = Buffer.from(parts[3] ?? "", "base64url");
    data[0] = (data[0] ?? 0) ^ 1;
    const tampered = [...parts.slice(0, 3), data.toString("base64url")].join(".");
    expect(() => decryptSecret(tampered, key)).toThrow(/cannot be decrypted/);
    expect(() => decryptSecret(stored, parseSecretKey(newSecretKey()))).toThrow(/NOTIFY_SECRET_KEY is not the key/);
    expect(() => decryptSecret("plain text", key)).toThrow(/not in a known format/);
  });

  it("reads a key as hex or base64 and refuses one of another length", () => {
    expect(parseSecretKey("ab".repeat(32))).toHaveLength(32);
    expect(parseSecretKey(Buffer.alloc(32, 7).toString("base64"))).toHaveLength(32);
    expect(() => parseSecretKey("short")).toThrow(/32 bytes/);
  });

  it("hints at the host only", () => {
    expect(secretHint(url)).toBe("https://hooks.example.test/…");
    expect(secretHint("smtp://user:pa55@smtp.example.test:587")).toBe("smtp://smtp.example.test:587/…");
    expect(secretHint("not a url")).toBe("…");
  });
});
