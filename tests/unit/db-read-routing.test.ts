import { describe, expect, it } from "vitest";
import {
  READ_AFTER_COOKIE,
  READ_PRIMARY,
  REPLICA_RETRY_MS,
  chooseReader,
  cookieFrom,
  healthChange,
  isWriteMethod,
  needsCheck,
  parseLsn,
  readAfterFrom,
  readAfterSetCookie,
  streamsAfterHeaders,
  type ReplicaHealth,
} from "@/lib/db/read-routing";

const up = (replayed: string | null, checkedAt = 0): ReplicaHealth => ({ reachable: true, checkedAt, replayed: replayed === null ? null : parseLsn(replayed) });
const down = (checkedAt = 0): ReplicaHealth => ({ reachable: false, checkedAt, replayed: null });

describe("parseLsn", () => {
  it("reads Postgres's two 32-bit halves as one number, so positions compare across the boundary", () => {
    expect(parseLsn("0/0")).toBe(0n);
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) | 0xb374d848n);
    expect(parseLsn("1/0")! > parseLsn("0/FFFFFFFF")!).toBe(true);
    expect(parseLsn("0/10")! > parseLsn("0/F")!).toBe(true);
  });

  it("refuses what is not a position", () => {
    for (const text of ["", "16", "16/", "/1", "1/2/3", "G/1", "123456789/0", " 0/1", "0/1; x=1", null, undefined]) expect(parseLsn(text)).toBeNull();
  });
});

describe("readAfterFrom", () => {
  it("no cookie, a position, or a value that is none", () => {
    expect(readAfterFrom(undefined)).toEqual({ kind: "none" });
    expect(readAfterFrom("")).toEqual({ kind: "none" });
    expect(readAfterFrom("0/3000060")).toEqual({ kind: "lsn", lsn: 0x3000060n });
    expect(readAfterFrom("drop table")).toEqual({ kind: "invalid" });
    expect(readAfterFrom(READ_PRIMARY)).toEqual({ kind: "primary" });
  });
});

describe("chooseReader", () => {
  const after = (lsn: string) => readAfterFrom(lsn);
  it("no replica known, or one that cannot be reached: the primary", () => {
    expect(chooseReader(undefined, { kind: "none" })).toBe("primary");
    expect(chooseReader(down(), { kind: "none" })).toBe("primary");
    expect(chooseReader(down(), after("0/1"))).toBe("primary");
  });

  it("without a write of its own: the replica", () => {
    expect(chooseReader(up("0/5"), { kind: "none" })).toBe("replica");
    expect(chooseReader(up(null), { kind: "none" })).toBe("replica");
  });

  it("after a write: the replica once it replayed that far, else the primary", () => {
    expect(chooseReader(up("0/5"), after("0/5"))).toBe("replica");
    expect(chooseReader(up("1/0"), after("0/FFFFFFFF"))).toBe("replica");
    expect(chooseReader(up("0/4"), after("0/5"))).toBe("primary");
    expect(chooseReader(up("0/FFFFFFFF"), after("1/0"))).toBe("primary");
  });

  it("a server that replays nothing (not a standby) cannot prove it has the write: the primary", () => {
    expect(chooseReader(up(null), after("0/1"))).toBe("primary");
  });

  it("a cookie that is not a position: the primary, which is always right", () => {
    expect(chooseReader(up("FF/0"), { kind: "invalid" })).toBe("primary");
  });

  it("after a streamed write, whose work went on after the headers: the primary however far the replica is", () => {
    expect(chooseReader(up("FF/0"), readAfterFrom(READ_PRIMARY))).toBe("primary");
    expect(needsCheck(up("0/1"), readAfterFrom(READ_PRIMARY), 0)).toBe(false);
    expect(streamsAfterHeaders("application/x-ndjson; charset=utf-8")).toBe(true);
    expect(streamsAfterHeaders("application/json")).toBe(false);
    expect(streamsAfterHeaders(null)).toBe(false);
  });
});

describe("needsCheck", () => {
  it("asks a replica never seen", () => {
    expect(needsCheck(undefined, { kind: "none" }, 0)).toBe(true);
  });

  it("leaves an unreachable replica alone until its retry time", () => {
    expect(needsCheck(down(1000), { kind: "none" }, 1000 + REPLICA_RETRY_MS - 1)).toBe(false);
    expect(needsCheck(down(1000), readAfterFrom("0/1"), 1000 + REPLICA_RETRY_MS - 1)).toBe(false);
    expect(needsCheck(down(1000), { kind: "none" }, 1000 + REPLICA_RETRY_MS)).toBe(true);
  });

  it("asks a reachable replica only when a read waits for a position not yet seen replayed", () => {
    expect(needsCheck(up("0/5"), { kind: "none" }, 10 ** 9)).toBe(false);
    expect(needsCheck(up("0/5"), readAfterFrom("0/5"), 10 ** 9)).toBe(false);
    expect(needsCheck(up("0/5"), readAfterFrom("0/6"), 0)).toBe(true);
    expect(needsCheck(up(null), readAfterFrom("0/1"), 0)).toBe(true);
    expect(needsCheck(up("0/5"), { kind: "invalid" }, 0)).toBe(false);
  });
});

describe("healthChange", () => {
  it("reports losing and regaining the replica once each, not every check", () => {
    expect(healthChange(undefined, up("0/1"))).toBeNull();
    expect(healthChange(undefined, down())).toBe("lost");
    expect(healthChange(up("0/1"), down())).toBe("lost");
    expect(healthChange(down(), down(5))).toBeNull();
    expect(healthChange(down(), up("0/1"))).toBe("back");
    expect(healthChange(up("0/1"), up("0/2"))).toBeNull();
  });
});

describe("cookies", () => {
  it("finds the one cookie in a Cookie header", () => {
    expect(cookieFrom(`a=1; ${READ_AFTER_COOKIE}=0%2F16; b=2`, READ_AFTER_COOKIE)).toBe("0/16");
    expect(cookieFrom(`x${READ_AFTER_COOKIE}=0/1`, READ_AFTER_COOKIE)).toBeUndefined();
    expect(cookieFrom(null, READ_AFTER_COOKIE)).toBeUndefined();
    expect(cookieFrom(`${READ_AFTER_COOKIE}=%E0%A4%A`, READ_AFTER_COOKIE)).toBe("%E0%A4%A");
  });

  it("sets a short-lived, script-proof cookie, Secure over https", () => {
    expect(readAfterSetCookie("0/16", false)).toBe(`${READ_AFTER_COOKIE}=0/16; Path=/; Max-Age=60; HttpOnly; SameSite=Lax`);
    expect(readAfterSetCookie("0/16", true)).toMatch(/; Secure$/);
  });

  it("counts every method but GET, HEAD and OPTIONS as a write", () => {
    expect(["POST", "PATCH", "PUT", "DELETE"].every(isWriteMethod)).toBe(true);
    expect(["GET", "HEAD", "OPTIONS"].some(isWriteMethod)).toBe(false);
  });
});
