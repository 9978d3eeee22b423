// The two commands an admin runs in Exchange Online PowerShell to give the import its files
// (docs/organisation.md). Shown on the import page, in its errors and in the README.
export const EXCHANGE_COMMANDS = [
  "Get-OutboundConnector | ConvertTo-Json -Depth 4 > outbound-connectors.json",
  "Get-AcceptedDomain | ConvertTo-Json -Depth 4 > accepted-domains.json",
] as const;
