"use client";

import { useFormatter, useTranslations } from "next-intl";
import { BarChart } from "@/components/charts/bar-chart";
import { colourOf } from "@/components/charts/code-colors";
import { Panel } from "@/components/ui/panel";
import type { AlertDetail } from "@/lib/alerts/schemas";
import { fillBuckets } from "@/lib/connectors/history-range";

type Props = { alert: AlertDetail["alert"]; histogram: AlertDetail["histogram"] };

/** Events per hour over the alert's lifetime, with the hours without events shown as zero. */
export function AlertEventsChart({ alert, histogram }: Readonly<Props>) {
  const t = useTranslations("alert");
  const format = useFormatter();
  const first = histogram[0];
  const last = histogram.at(-1);
  if (!first || !last) {
    return (
      <Panel id="alert-chart" title={t("chartTitle")}>
        <p className="text-sm text-slate-600">{t("chartEmpty")}</p>
      </Panel>
    );
  }
  const range = { from: new Date(first.hour), to: new Date(Date.parse(last.hour) + 1), bucket: "hour" as const };
  const buckets = fillBuckets(range, histogram.map((h) => ({ start: new Date(h.hour), code: "events", count: h.count })));
  const total = histogram.reduce((sum, h) => sum + h.count, 0);
  const peak = Math.max(...histogram.map((h) => h.count));
  const summary = t("chartSummary", {
    count: total,
    from: format.dateTime(new Date(first.hour), "short"),
    to: format.dateTime(new Date(Date.parse(last.hour) + 3_600_000), "short"),
    peak: format.number(peak, "integer"),
  });

  return (
    <Panel id="alert-chart" title={t("chartTitle")}>
      <BarChart
        buckets={buckets}
        bucket="hour"
        series={[{ key: "events", label: t("chartSeries"), colour: colourOf(alert.errorCode) }]}
        summary={summary}
        height={200}
      />
    </Panel>
  );
}
