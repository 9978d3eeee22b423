import type { ConnectorKind, DomainType, TlsMode } from "@/lib/db/enums";

// The demo organisation, Contoso Nordic: a Nordic company midway through leaving its on-premises
// Exchange, with three partner routes. Pure data; lib/demo/seed.ts writes it. Smart hosts resolve
// to documentation addresses (RFC 5737), so nothing here points at a real server.

export type DemoConnector = {
  key: DemoConnectorKey;
  name: string;
  comment: string;
  kind: ConnectorKind;
  smartHosts: string[];
  recipientDomains: string[];
  tlsMode: TlsMode;
  tlsDomain?: string;
};

export type DemoConnectorKey = "onPremises" | "archive" | "payroll" | "subsidiary";

export type DemoDomain = {
  name: string;
  type: DomainType;
  /** The connector that relays the domain's mail (relay domains only). */
  connector?: DemoConnectorKey;
};

export const DEMO_CONNECTORS: readonly DemoConnector[] = [
  {
    key: "onPremises",
    name: "To on-premises Exchange",
    comment: "Hybrid route to the Exchange servers in the Stockholm data centre.",
    kind: "ON_PREMISES",
    smartHosts: ["mail.contoso-nordic.se"],
    recipientDomains: ["contoso-nordic.se", "corp.contoso-nordic.se"],
    tlsMode: "ENCRYPTION_ONLY",
  },
  {
    key: "archive",
    name: "To Fabrikam Archive (journaling)",
    comment: "Journal copies of all mail to the third-party archive service.",
    kind: "PARTNER",
    smartHosts: ["smtp.vault.fabrikam-archive.com"],
    recipientDomains: ["vault.fabrikam-archive.com"],
    tlsMode: "CERTIFICATE_VALIDATION",
  },
  {
    key: "payroll",
    name: "To Northwind Payroll",
    comment: "Salary files and payslip questions to the payroll partner.",
    kind: "PARTNER",
    smartHosts: ["mx.northwind-payroll.se"],
    recipientDomains: ["northwind-payroll.se"],
    tlsMode: "DOMAIN_VALIDATION",
    tlsDomain: "northwind-payroll.se",
  },
  {
    key: "subsidiary",
    name: "To Contoso Oy (Finland)",
    comment: "Finnish subsidiary, still on its own mail servers.",
    kind: "PARTNER",
    smartHosts: ["relay1.contoso.fi", "relay2.contoso.fi"],
    recipientDomains: ["contoso.fi"],
    tlsMode: "ENCRYPTION_ONLY",
  },
];

/** The address each smart host resolves to, as error details quote it. */
export const DEMO_SMART_HOST_IPS: Readonly<Record<string, string>> = {
  "mail.contoso-nordic.se": "203.0.113.25",
  "smtp.vault.fabrikam-archive.com": "198.51.100.61",
  "mx.northwind-payroll.se": "198.51.100.140",
  "relay1.contoso.fi": "192.0.2.41",
  "relay2.contoso.fi": "192.0.2.42",
};

export const DEMO_DOMAINS: readonly DemoDomain[] = [
  { name: "contoso-nordic.com", type: "AUTHORITATIVE" },
  { name: "contosonordic.onmicrosoft.com", type: "AUTHORITATIVE" },
  { name: "contoso-nordic.se", type: "INTERNAL_RELAY", connector: "onPremises" },
  { name: "corp.contoso-nordic.se", type: "INTERNAL_RELAY", connector: "onPremises" },
  { name: "contoso.fi", type: "EXTERNAL_RELAY", connector: "subsidiary" },
];

/** People who send from the hosted service. */
export const DEMO_SENDERS: readonly string[] = [
  "anna.lindqvist@contoso-nordic.com",
  "erik.johansson@contoso-nordic.com",
  "sara.nilsson@contoso-nordic.com",
  "johan.berg@contoso-nordic.com",
  "emma.karlsson@contoso-nordic.se",
  "lars.andersson@contoso-nordic.se",
  "maria.holm@contoso-nordic.com",
  "noreply@contoso-nordic.com",
  "invoices@contoso-nordic.com",
  "hr@contoso-nordic.com",
];

/** Who each connector delivers to. */
export const DEMO_RECIPIENTS: Readonly<Record<DemoConnectorKey, readonly string[]>> = {
  onPremises: [
    "helpdesk@contoso-nordic.se",
    "scanner@corp.contoso-nordic.se",
    "reception@contoso-nordic.se",
    "lager@contoso-nordic.se",
    "bengt.olsson@contoso-nordic.se",
    "karin.ek@contoso-nordic.se",
    "svc-erp@corp.contoso-nordic.se",
    "backup-reports@corp.contoso-nordic.se",
    "ulf.strand@corp.contoso-nordic.se",
    "ekonomi@contoso-nordic.se",
  ],
  archive: ["journal.se@vault.fabrikam-archive.com", "journal.com@vault.fabrikam-archive.com"],
  payroll: ["lon@northwind-payroll.se", "payroll-support@northwind-payroll.se", "filer@northwind-payroll.se"],
  subsidiary: [
    "mikko.virtanen@contoso.fi",
    "aino.korhonen@contoso.fi",
    "juha.makinen@contoso.fi",
    "laura.nieminen@contoso.fi",
    "myynti@contoso.fi",
    "talous@contoso.fi",
  ],
};

export function demoConnector(key: DemoConnectorKey): DemoConnector {
  const found = DEMO_CONNECTORS.find((c) => c.key === key);
  if (!found) throw new Error(`No demo connector ${key}`);
  return found;
}
