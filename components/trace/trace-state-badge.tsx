import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";
import type { TraceState } from "@/lib/trace/schemas";

const TONE: Record<TraceState, Tone> = { delivered: "success", queued: "warning", expired: "danger", failed: "danger", rejected: "muted" };

export function TraceStateBadge({ state }: Readonly<{ state: TraceState }>) {
  const t = useTranslations("trace.states");
  return <Badge tone={TONE[state]}>{t(state)}</Badge>;
}
