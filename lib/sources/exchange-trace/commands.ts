// What an admin runs or downloads to give the trace import its files (docs/trace-import.md).
// Shown on the settings page and in the README. Get-MessageTraceV2 covers 10 days per query.
export const TRACE_COMMANDS = [
  "Get-MessageTraceV2 -StartDate (Get-Date).AddDays(-2) -EndDate (Get-Date) | Export-Csv message-trace.csv -NoTypeInformation",
  "Get-MessageTraceV2 -StartDate (Get-Date).AddDays(-2) -EndDate (Get-Date) -Status Pending | Get-MessageTraceDetailV2 | Export-Csv message-trace-detail.csv -NoTypeInformation",
] as const;
