import { z } from "zod";
import { SKIP_REASON_KEYS } from "@/lib/sources/exchange-trace/skip-reasons";

// The summary of one trace import: what the command line prints and POST /api/sources/trace-import answers.
export const traceImportSummarySchema = z.object({
  file: z.string(),
  format: z.enum(["v2", "detail", "report", "msgtrk"]),
  source: z.string(),
  rowsRead: z.number().int(),
  eventsMade: z.number().int(),
  duplicates: z.number().int(),
  skipped: z.partialRecord(z.enum(SKIP_REASON_KEYS as [string, ...string[]]), z.number().int()),
  lastLineAt: z.string().nullable(),
});

export type TraceImportSummary = z.infer<typeof traceImportSummarySchema>;
