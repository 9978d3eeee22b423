import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeText } from "@/lib/text/encoding";
import { IMPORT_LIMITS, readExchangeFiles, type ExchangeFile } from "@/lib/organisation/exchange/read";
import { AppError } from "@/lib/http/errors";

// Reading what Exchange Online PowerShell writes: the sample files under tests/fixtures/exchange
// are ConvertTo-Json -Depth 4 output of Get-OutboundConnector, Get-AcceptedDomain and
// Get-InboundConnector; the other shapes PowerShell produces are built here.
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "exchange");
const fixture = (name: string): ExchangeFile => ({ name, bytes: readFileSync(path.join(FIXTURES, name)) });
const jsonFile = (name: string, value: unknown): ExchangeFile => ({ name, bytes: Buffer.from(JSON.stringify(value)) });

function outbound(overrides: Record<string, unknown> = {}) {
  return { Name: "To on-premises", Enabled: true, ConnectorType: "OnPremises", UseMXRecord: false, SmartHosts: ["mail.contoso.se"], RecipientDomains: ["contoso.se"], TlsSettings: null, TlsDomain: null, Comment: "", ...overrides };
}

/** The refusal readExchangeFiles throws, for its message, status and issues. */
function refusal(files: readonly ExchangeFile[]): AppError {
  try {
    readExchangeFiles(files);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("the files were read without a refusal");
}

describe("the sample files", () => {
  it("reads Get-OutboundConnector's output: smart host objects, numeric enums, a TLS domain object, dates", () => {
    const tenant = readExchangeFiles([fixture("outbound-connectors.json")]);
    expect(tenant.domains).toBeNull();
    expect(tenant.connectors).toEqual([
      {
        name: "To on-premises Exchange",
        comment: "Mail for the mailboxes still on premises",
        kind: "ON_PREMISES",
        enabled: true,
        useMxRecord: false,
        smartHosts: ["mail.contoso.se", "203.0.113.25"],
        recipientDomains: ["contoso.se", "*.contoso.se"],
        tlsMode: "CERTIFICATE_VALIDATION",
        tlsDomain: null,
      },
      {
        name: "To Fabrikam",
        comment: "Invoices to Fabrikam, TLS required",
        kind: "PARTNER",
        enabled: true,
        useMxRecord: true,
        smartHosts: [],
        recipientDomains: ["fabrikam.com"],
        tlsMode: "DOMAIN_VALIDATION",
        tlsDomain: "*.fabrikam.com",
      },
      {
        name: "Archive relay",
        comment: "Old archive relay.\r\nKept until the archive contract ends.",
        kind: "PARTNER",
        enabled: false,
        useMxRecord: false,
        smartHosts: ["relay.northwind.example"],
        recipientDomains: ["archive.northwind.example"],
        tlsMode: "OPPORTUNISTIC",
        tlsDomain: null,
      },
    ]);
  });

  it("reads Get-AcceptedDomain's output: DomainName objects and numeric domain types", () => {
    const tenant = readExchangeFiles([fixture("accepted-domains.json")]);
    expect(tenant.connectors).toBeNull();
    expect(tenant.domains).toEqual([
      { name: "contoso.onmicrosoft.com", type: "AUTHORITATIVE" },
      { name: "contoso.se", type: "INTERNAL_RELAY" },
      { name: "sales.contoso.se", type: "INTERNAL_RELAY" },
      { name: "lists.contoso.com", type: "EXTERNAL_RELAY" },
    ]);
  });

  it("reads both files together and names them", () => {
    const tenant = readExchangeFiles([fixture("outbound-connectors.json"), fixture("accepted-domains.json")]);
    expect(tenant.files).toEqual(["outbound-connectors.json", "accepted-domains.json"]);
    expect(tenant.connectors).toHaveLength(3);
    expect(tenant.domains).toHaveLength(4);
  });

  it("refuses Get-InboundConnector's output and says which command to run", () => {
    const error = refusal([fixture("inbound-connectors.json")]);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/inbound-connectors\.json holds inbound connectors \(Get-InboundConnector\).*Get-OutboundConnector \| ConvertTo-Json -Depth 4/);
  });
});

describe("encodings", () => {
  const utf8 = readFileSync(path.join(FIXTURES, "outbound-connectors.json"));
  const text = utf8.toString("utf8");
  const utf16le = Buffer.from(text, "utf16le");
  const utf16be = Buffer.from(utf16le).swap16();
  const expected = readExchangeFiles([{ name: "a.json", bytes: utf8 }]);

  it.each([
    ["UTF-8 with a BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])],
    ["UTF-16LE with a BOM (Windows PowerShell 5.1's >)", Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le])],
    ["UTF-16LE without a BOM", utf16le],
    ["UTF-16BE with a BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])],
  ])("reads %s as UTF-8 without one", (_, bytes) => {
    expect(readExchangeFiles([{ name: "a.json", bytes }])).toEqual(expected);
  });

  it("keeps text beyond ASCII in UTF-16", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(outbound({ Name: "Till Göteborg – lokalt" })), "utf16le")]);
    expect(readExchangeFiles([{ name: "a.json", bytes }]).connectors![0]!.name).toBe("Till Göteborg – lokalt");
  });

  it("refuses bytes that are not text", () => {
    expect(decodeText(Buffer.from([0x5b, 0xc3, 0x28, 0x5d]))).toEqual({ ok: false, message: expect.stringMatching(/not valid UTF-8/) });
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x5b, 0x00, 0x5d]))).toEqual({ ok: false, message: expect.stringMatching(/cut short/) });
    expect(refusal([{ name: "photo.json", bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xd8]) }]).message).toMatch(/^photo\.json is not valid UTF-8 text/);
  });
});

describe("the shapes PowerShell gives a file", () => {
  it("takes one object as well as an array, and an empty file or null as no objects", () => {
    expect(readExchangeFiles([jsonFile("one.json", outbound())]).connectors).toHaveLength(1);
    expect(readExchangeFiles([{ name: "empty.json", bytes: Buffer.from("  \r\n") }])).toEqual({ files: ["empty.json"], connectors: null, domains: null });
    expect(readExchangeFiles([jsonFile("null.json", null)]).connectors).toBeNull();
  });

  it("unwraps Windows PowerShell's {value, Count} around an array", () => {
    expect(readExchangeFiles([jsonFile("w.json", { value: [outbound(), outbound({ Name: "Second" })], Count: 2 })]).connectors).toHaveLength(2);
  });

  it("reads enums by name in any case, by number and by numeric string", () => {
    const [a, b, c] = readExchangeFiles([
      jsonFile("c.json", [
        outbound({ Name: "A", ConnectorType: "partner", TlsSettings: "EncryptionOnly" }),
        outbound({ Name: "B", ConnectorType: 1, TlsSettings: 2 }),
        outbound({ Name: "C", ConnectorType: "2", TlsSettings: "DomainValidation", TlsDomain: "mail.contoso.se" }),
      ]),
    ]).connectors!;
    expect([a!.kind, a!.tlsMode]).toEqual(["PARTNER", "ENCRYPTION_ONLY"]);
    expect([b!.kind, b!.tlsMode]).toEqual(["ON_PREMISES", "CERTIFICATE_VALIDATION"]);
    expect([c!.kind, c!.tlsMode, c!.tlsDomain]).toEqual(["PARTNER", "DOMAIN_VALIDATION", "mail.contoso.se"]);
  });

  it("reads booleans written as strings and multi-valued properties as one string or a wrapper", () => {
    const [connector] = readExchangeFiles([
      jsonFile("c.json", outbound({ Enabled: "False", UseMXRecord: "True", SmartHosts: "", RecipientDomains: { value: ["contoso.se", "*.contoso.se"], Count: 2 } })),
    ]).connectors!;
    expect(connector).toMatchObject({ enabled: false, useMxRecord: true, smartHosts: [], recipientDomains: ["contoso.se", "*.contoso.se"] });
  });

  it("reads domains with subdomains, IPv6 smart hosts and string DomainNames", () => {
    const tenant = readExchangeFiles([
      jsonFile("c.json", outbound({
        SmartHosts: { Count: 1, Values: [{ Address: { IPAddressToString: "2001:db8::25" }, Domain: null, IsIPAddress: true }] },
        RecipientDomains: [{ Domain: "contoso.se", IncludeSubDomains: true }, "Contoso.COM"],
      })),
      jsonFile("d.json", [{ DomainName: "Contoso.se", DomainType: "InternalRelay" }, { DomainName: { Domain: "contoso.com" }, DomainType: "authoritative" }]),
    ]);
    expect(tenant.connectors![0]).toMatchObject({ smartHosts: ["[2001:db8::25]"], recipientDomains: ["*.contoso.se", "contoso.com"] });
    expect(tenant.domains).toEqual([{ name: "contoso.se", type: "INTERNAL_RELAY" }, { name: "contoso.com", type: "AUTHORITATIVE" }]);
  });
});

describe("refusals name the file, the object and the field", () => {
  it.each([
    ["an unknown connector type number", outbound({ ConnectorType: 3 }), /c\.json, object 1 \("To on-premises"\): ConnectorType 3 is not a connector type Exchange defines \(OnPremises, Partner, or 1 \(OnPremises\), 2 \(Partner\)\)/],
    ["an unknown TLS number", outbound({ TlsSettings: 3 }), /TlsSettings 3 is not a TLS setting/],
    ["an unknown connector type name", outbound({ ConnectorType: "Hybrid" }), /ConnectorType "Hybrid" is not a connector type/],
    ["a missing connector type", outbound({ ConnectorType: undefined }), /ConnectorType is missing/],
    ["a boolean that is neither", outbound({ Enabled: "yes" }), /Enabled "yes" is not true or false/],
    ["a smart host given as a URL", outbound({ SmartHosts: ["https://mail.contoso.se/relay"] }), /SmartHosts "https:\/\/mail\.contoso\.se\/relay" is a URL/],
    ["a smart host with a path", outbound({ SmartHosts: ["mail.contoso.se/smtp"] }), /SmartHosts "mail\.contoso\.se\/smtp" is not a host: no path/],
    ["a name of a megabyte", outbound({ Name: "x".repeat(1024 * 1024) }), /object 1 \("x+…\): Name must be at most 64 characters/],
    ["control characters in a name", outbound({ Name: "To\u0007premises" }), /object 1 \("To\\u0007premises"\): Name must not contain control characters/],
    ["a name that is not text", outbound({ Name: 42 }), /Name 42 is not text/],
    ["smart hosts while routing by MX", outbound({ UseMXRecord: true }), /SmartHosts a connector that routes by MX record has no smart hosts/],
    ["a TLS domain without domain validation", outbound({ TlsSettings: 2, TlsDomain: "contoso.se" }), /TlsDomain a TLS domain is used only with domain validation/],
    ["a bad recipient domain", outbound({ RecipientDomains: ["contoso"] }), /RecipientDomains "contoso" is not a domain/],
  ])("refuses %s", (_, object, message) => {
    const error = refusal([jsonFile("c.json", [object])]);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Nothing was imported\.$/);
  });

  it("refuses an unknown domain type and a bad domain name", () => {
    expect(refusal([jsonFile("d.json", [{ DomainName: "contoso.se", DomainType: 5 }])]).message).toMatch(/d\.json, object 1 \("contoso\.se"\): DomainType 5 is not a domain type Exchange defines/);
    expect(refusal([jsonFile("d.json", [{ DomainName: "not a domain", DomainType: 0 }])]).message).toMatch(/DomainName must be a domain/);
  });

  it("lists every problem, up to twenty", () => {
    const error = refusal([jsonFile("c.json", Array.from({ length: 30 }, (_, i) => outbound({ Name: `C${i}`, ConnectorType: 9 })))]);
    expect(error.message).toMatch(/\(and 29 more\)/);
    expect(error.issues).toHaveLength(20);
    expect(error.issues![1]).toEqual({ field: "c.json[1].ConnectorType", message: expect.stringMatching(/object 2 \("C1"\)/) });
  });

  it("refuses files that are not JSON, not objects, mixed or of another cmdlet", () => {
    expect(refusal([{ name: "list.txt", bytes: Buffer.from("Name : To on-premises\r\nEnabled : True") }]).message).toMatch(/^list\.txt is not JSON .*ConvertTo-Json -Depth 4/);
    expect(refusal([jsonFile("n.json", [1, 2])]).message).toMatch(/item 1 is 1, not an object/);
    expect(refusal([jsonFile("m.json", [outbound(), { DomainName: "contoso.se", DomainType: 0 }])]).message).toMatch(/mixes outbound connectors and accepted domains \(object 2\)/);
    expect(refusal([jsonFile("mbx.json", [{ Name: "Ada", PrimarySmtpAddress: "ada@contoso.se" }])]).message).toMatch(/not the output of Get-OutboundConnector or Get-AcceptedDomain/);
  });

  it("refuses names that appear twice across the files, connectors case-insensitively", () => {
    expect(refusal([jsonFile("a.json", outbound({ Name: "Edge" })), jsonFile("b.json", outbound({ Name: "EDGE" }))]).message).toMatch(/connector "EDGE" appears more than once/);
    expect(refusal([jsonFile("d.json", [{ DomainName: "contoso.se", DomainType: 0 }, { DomainName: "CONTOSO.se", DomainType: 2 }])]).message).toMatch(/accepted domain "contoso\.se" appears more than once/);
  });

  it("states its limits: files, bytes per file, objects per file", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => jsonFile(`f${i}.json`, null));
    expect(refusal(eleven).message).toBe("At most 10 files are read at once; 11 were given.");
    const big = refusal([{ name: "big.json", bytes: new Uint8Array(IMPORT_LIMITS.fileBytes + 1) }]);
    expect([big.status, big.message]).toEqual([413, expect.stringMatching(/^big\.json is larger than 5 MB/)]);
    const many = refusal([jsonFile("many.json", Array.from({ length: 10_000 }, (_, i) => outbound({ Name: `C${i}` })))]);
    expect(many.message).toMatch(/^many\.json holds 10,000 objects; at most 1,000 per file are read/);
    expect(refusal([]).message).toMatch(/Get-OutboundConnector \| ConvertTo-Json -Depth 4/);
  });

  it("limits what all files hold together: ten full files are not ten times the limit", () => {
    const files = [0, 1].map((f) => jsonFile(`part${f}.json`, Array.from({ length: 600 }, (_, i) => outbound({ Name: `C${f}-${i}` }))));
    const total = refusal(files);
    expect([total.status, total.message]).toEqual([400, "The files hold 1200 connectors; at most 1000 are imported at once. Nothing was imported."]);
  });

  it("shows file names without paths or control characters", () => {
    expect(refusal([jsonFile("C:\\Users\\ada\\evil\u0000name.json", [1])]).message).toMatch(/^evilname\.json is not/);
  });
});
