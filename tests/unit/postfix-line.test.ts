import { describe, expect, it } from "vitest";
import { parsePostfixLine, startYearClock, type ParsedLine, type YearClock } from "@/lib/sources/postfix/line";

const DEC_2026: YearClock = { year: 2026, month: 11 };
const DELIVERY = "4F9D195432: to=<ann@contoso.se>, relay=none, delay=1.2, delays=0.05/0.01/1.1/0, dsn=4.4.1, status=deferred (connect to mail.contoso.se[192.0.2.10]:25: Connection refused)";

function line(parsed: ParsedLine) {
  if (!parsed.ok) throw new Error(`skipped: ${parsed.reason}`);
  return parsed.line;
}

describe("parsePostfixLine: the three time stamp formats", () => {
  it("reads Postfix's own maillog_file line (day zero-padded, no year)", () => {
    const parsed = parsePostfixLine(`Dec 01 13:55:14 mx1 postfix/smtp[2103]: ${DELIVERY}`, DEC_2026);
    expect(parsed).toEqual({
      ok: true,
      clock: DEC_2026,
      line: {
        at: new Date("2026-12-01T13:55:14Z"), stamp: "2026-12-01T13:55:14Z", host: "mx1", instance: "postfix", program: "smtp", pid: 2103,
        queueId: "4F9D195432", text: DELIVERY.slice("4F9D195432: ".length),
      },
    });
  });

  it("reads classic syslog (`Dec  1`) in the zone the caller names", () => {
    const parsed = line(parsePostfixLine(`Dec  1 13:55:14 mx1 postfix/smtp[2103]: ${DELIVERY}`, DEC_2026, "Europe/Stockholm"));
    expect(parsed.at.toISOString()).toBe("2026-12-01T12:55:14.000Z");
    expect(line(parsePostfixLine(`Jul  1 13:55:14 mx1 postfix/smtp[2103]: ${DELIVERY}`, { year: 2026, month: 6 }, "Europe/Stockholm")).at.toISOString())
      .toBe("2026-07-01T11:55:14.000Z");
  });

  it("reads RFC 3339 with its offset, and keeps the microseconds in the stamp", () => {
    const parsed = line(parsePostfixLine(`2026-12-01T13:55:14.123456+01:00 mx1.contoso.se postfix/smtp[2103]: ${DELIVERY}`, { year: 2020, month: 0 }));
    expect(parsed.at.toISOString()).toBe("2026-12-01T12:55:14.123Z");
    expect(parsed.stamp).toBe("2026-12-01T12:55:14.123456Z");
    expect(parsed.host).toBe("mx1.contoso.se");
    expect(line(parsePostfixLine(`2026-12-01T12:55:14Z mx1 postfix/qmgr[1200]: 4F9D195432: removed`, DEC_2026)).stamp).toBe("2026-12-01T12:55:14Z");
  });

  it("reads journalctl's short-iso offset without a colon", () => {
    expect(line(parsePostfixLine(`2026-12-01T13:55:14+0100 mx1 postfix/smtp[2103]: ${DELIVERY}`, DEC_2026)).at.toISOString()).toBe("2026-12-01T12:55:14.000Z");
  });

  it("an RFC 3339 line sets the clock's year for the lines after it", () => {
    const first = parsePostfixLine("2027-03-02T10:00:00Z mx1 postfix/qmgr[1200]: 4F9D195432: removed", DEC_2026);
    expect(first.clock).toEqual({ year: 2027, month: 2 });
    expect(line(parsePostfixLine("Mar 02 10:00:01 mx1 postfix/qmgr[1200]: 4F9D195432: removed", first.clock)).at.toISOString()).toBe("2027-03-02T10:00:01.000Z");
  });
});

describe("parsePostfixLine: the year across New Year", () => {
  it("a month going backwards (Dec → Jan) starts the next year", () => {
    const dec = parsePostfixLine("Dec 31 23:59:59 mx1 postfix/qmgr[1200]: 4F9D195432: removed", DEC_2026);
    const jan = parsePostfixLine("Jan 01 00:00:01 mx1 postfix/qmgr[1200]: 4F9D195432: removed", dec.clock);
    expect(line(dec).at.toISOString()).toBe("2026-12-31T23:59:59.000Z");
    expect(line(jan).at.toISOString()).toBe("2027-01-01T00:00:01.000Z");
    expect(jan.clock).toEqual({ year: 2027, month: 0 });
    const feb = parsePostfixLine("Feb 01 00:00:01 mx1 postfix/qmgr[1200]: 4F9D195432: removed", jan.clock);
    expect(line(feb).at.getUTCFullYear()).toBe(2027);
  });

  it("a Dec line just after a Jan one (two writers around midnight) belongs to the year before", () => {
    const jan = parsePostfixLine("Jan 01 00:00:00 mx1 postfix/qmgr[1200]: 4F9D195432: removed", { year: 2027, month: 0 });
    const late = parsePostfixLine("Dec 31 23:59:59 mx1 postfix/qmgr[1200]: 4F9D195432: removed", jan.clock);
    expect(line(late).at.toISOString()).toBe("2026-12-31T23:59:59.000Z");
    expect(line(parsePostfixLine("Jan 01 00:00:02 mx1 postfix/qmgr[1200]: 4F9D195432: removed", late.clock)).at.getUTCFullYear()).toBe(2027);
  });

  it("a clock started in January reads a file's December lines as last year's", () => {
    const clock = startYearClock(new Date("2027-01-02T08:00:00Z"));
    expect(line(parsePostfixLine("Dec 30 10:00:00 mx1 postfix/qmgr[1200]: 4F9D195432: removed", clock)).at.toISOString()).toBe("2026-12-30T10:00:00.000Z");
  });

  it("a month later in the same half year keeps the year", () => {
    const clock = startYearClock(new Date("2026-03-02T08:00:00Z"));
    expect(line(parsePostfixLine("Nov 30 10:00:00 mx1 postfix/qmgr[1200]: 4F9D195432: removed", { year: 2026, month: 10 })).at.getUTCFullYear()).toBe(2026);
    expect(line(parsePostfixLine("Jun 30 10:00:00 mx1 postfix/qmgr[1200]: 4F9D195432: removed", clock)).at.getUTCFullYear()).toBe(2026);
  });
});

describe("parsePostfixLine: program names and queue ids", () => {
  it.each([
    ["postfix/smtp[123]", "postfix", "smtp", 123],
    ["postfix-out/smtp[123]", "postfix-out", "smtp", 123],
    ["postfix/relay/smtp[123]", "postfix", "smtp", 123],
    ["postfix/submission/smtpd[9]", "postfix", "smtpd", 9],
    ["postfix/postlog", "postfix", "postlog", null],
    ["postfix/tlsproxy[77]", "postfix", "tlsproxy", 77],
  ])("%s → instance %s, program %s", (tag, instance, program, pid) => {
    const parsed = line(parsePostfixLine(`Dec 01 13:55:14 mx1 ${tag}: warning: something`, DEC_2026));
    expect(parsed).toMatchObject({ instance, program, pid, queueId: null, text: "warning: something" });
  });

  it("reads short and long queue ids, and none for NOQUEUE", () => {
    expect(line(parsePostfixLine("Dec 01 13:55:14 mx1 postfix/qmgr[1]: 4F9D195432: removed", DEC_2026)).queueId).toBe("4F9D195432");
    const long = line(parsePostfixLine("Dec 01 13:55:14 mx1 postfix/qmgr[1]: 4dCmyQ3TwQzJcWq: removed", DEC_2026));
    expect(long).toMatchObject({ queueId: "4dCmyQ3TwQzJcWq", text: "removed" });
    const noqueue = line(parsePostfixLine("Dec 01 13:55:14 mx1 postfix/smtpd[9]: NOQUEUE: reject: RCPT from unknown[198.51.100.9]: 554 5.7.1 <x@contoso.se>: Relay access denied", DEC_2026));
    expect(noqueue.queueId).toBeNull();
  });

  it("strips a carriage return (a file with CRLF line ends)", () => {
    expect(line(parsePostfixLine("Dec 01 13:55:14 mx1 postfix/qmgr[1]: 4F9D195432: removed\r", DEC_2026)).text).toBe("removed");
  });
});

describe("parsePostfixLine: what it skips, and why", () => {
  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["Dec 01 13:55:14 mx1 CRON[2111]: (root) CMD (debian-sa1 1 1)", "other program"],
    ["Dec 01 13:55:14 mx1 dovecot: imap-login: Login: user=<ann>", "other program"],
    ["Dec 01 13:55:14 mx1 postfixish/smtp[1]: text", "other program"],
    ["garbage that is no log line at all", "unparsable"],
    ["Dec 01 13:5", "unparsable"],
    ["Dec 01 13:55:14 mx1", "unparsable"],
    ["Foo 01 13:55:14 mx1 postfix/smtp[1]: text", "unparsable"],
    ["Feb 30 13:55:14 mx1 postfix/smtp[1]: text", "unparsable"],
    ["Dec 01 25:55:14 mx1 postfix/smtp[1]: text", "unparsable"],
    ["Dec 01 13:55:14 mx1 postfix/smtp[1]: \u0000\u0000binary", "binary"],
    ["Dec 01 13:55:14 mx1 postfix/smtp[1]: bad \ufffd\ufffd bytes", "binary"],
    [`Dec 01 13:55:14 mx1 postfix/smtp[1]: ${"x".repeat(9000)}`, "too long"],
  ])("%j → %s", (raw, reason) => {
    const parsed = parsePostfixLine(raw, DEC_2026);
    expect(parsed).toMatchObject({ ok: false, reason });
  });

  it("a skipped line that has a time stamp still moves the clock; one without leaves it", () => {
    expect(parsePostfixLine("Jan 01 00:00:03 mx1 kernel: [1.2] TCP: SYN flooding", DEC_2026).clock).toEqual({ year: 2027, month: 0 });
    expect(parsePostfixLine("garbage", DEC_2026).clock).toBe(DEC_2026);
  });
});
