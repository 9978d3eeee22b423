import { codeGroup, type CodeGroup } from "@/lib/alerts/codes";

// One colour per result everywhere a chart shows codes: delivered is green, each error its own hue.
const COLOURS: Record<CodeGroup | "delivered", string> = {
  delivered: "#059669",
  "4.4.312": "#7c3aed",
  "4.4.315": "#d97706",
  "4.4.316": "#dc2626",
  "4.4.317": "#ea580c",
  "4.4.318": "#db2777",
  "4.7.320": "#0284c7",
  other: "#64748b",
};

export function colourOf(code: string): string {
  return code === "delivered" ? COLOURS.delivered : COLOURS[codeGroup(code)];
}
