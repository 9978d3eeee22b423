"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { TimelineExtra } from "@/components/alerts/activity-log";
import { duration } from "@/components/validation/validation-steps";
import { codeKey, displayCode } from "@/lib/alerts/codes";
import type { ValidationMark } from "@/lib/probe/schemas";

/** Turns a range's validations into entries of the connector's timeline (components/alerts/activity-log.tsx). */
export function useValidationTimeline(): (validations: readonly ValidationMark[]) => TimelineExtra[] {
  const t = useTranslations("validation");
  const tAll = useTranslations();
  const format = useFormatter();
  return (validations) =>
    validations.map((v) => {
      const code = v.errorCode ?? "unknown";
      const who = t(`trigger.${v.trigger}`, { actor: v.actor });
      return {
        key: `validation-${v.id}`,
        at: v.startedAt,
        dot: v.outcome === "passed" ? "bg-emerald-600" : "bg-red-600",
        content: (
          <>
            <p className="text-sm">
              <span className="font-medium text-slate-900">
                {v.outcome === "passed" ? t("timelinePassed") : t("timelineFailed", { code: displayCode(code), name: tAll(`codes.${codeKey(code)}`) })}
              </span>{" "}
              <span className="text-slate-600">{t("by", { actor: who })}</span>
            </p>
            <p className="text-xs text-slate-500">
              <time dateTime={v.startedAt}>{format.dateTime(new Date(v.startedAt), "long")}</time> · {duration(t, v.durationMs)}
              {v.recipient ? <> · <span className="font-mono">{v.recipient}</span></> : null}
            </p>
          </>
        ),
      };
    });
}
