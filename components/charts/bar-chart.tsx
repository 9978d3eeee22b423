"use client";

import { useFormatter } from "next-intl";
import { Bar, BarChart as ReBarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type ChartBucket = { start: string; counts: Readonly<Record<string, number>> };
export type ChartSeries = { key: string; label: string; colour: string };

type Props = {
  buckets: readonly ChartBucket[];
  series: readonly ChartSeries[];
  bucket: "hour" | "day";
  /** What the chart says, for everyone: shown under it and read by screen readers. */
  summary: string;
  /** Times of events to flag on the time axis, e.g. configuration changes. */
  markers?: readonly string[];
  /** Other moments to flag by a symbol of their own (e.g. validations); in one bucket the first given shows. */
  flags?: readonly ChartFlag[];
  height?: number;
};

export type ChartFlag = { at: string; symbol: string; colour: string };

/** Counts per time bucket, stacked by series, with optional markers (e.g. configuration changes). */
export function BarChart({ buckets, series, bucket, summary, markers = [], flags = [], height = 240 }: Readonly<Props>) {
  const format = useFormatter();
  const rows = buckets.map((b) => ({ start: b.start, ...b.counts }));
  const empty = series.length === 0;
  const tick = (iso: string) => format.dateTime(new Date(iso), bucket === "hour" ? "hour" : "day");
  const full = (iso: string) => format.dateTime(new Date(iso), bucket === "hour" ? "short" : "day");
  const size = bucket === "hour" ? 3_600_000 : 86_400_000;
  // One flag per bucket, however many changes fell into it.
  const startOf = (at: string) => new Date(Math.floor(Date.parse(at) / size) * size).toISOString();
  const markerStarts = [...new Set(markers.map(startOf))];
  const flagStarts = [...new Map(flags.map((f) => [startOf(f.at), f] as const).reverse()).entries()];

  return (
    <figure>
      <div style={{ height }} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <ReBarChart data={rows} margin={{ top: 16, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="start" tickFormatter={tick} tick={{ fontSize: 11, fill: "#475569" }} minTickGap={24} />
            <YAxis
              allowDecimals={false}
              tick={empty ? false : { fontSize: 11, fill: "#475569" }}
              width={44}
              tickFormatter={(n: number) => format.number(n, "integer")}
              {...(empty ? { domain: [0, 1] } : {})}
            />
            <Tooltip labelFormatter={(label) => full(String(label))} formatter={(value) => format.number(Number(value), "integer")} cursor={{ fill: "#f1f5f9" }} />
            {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} stackId="counts" fill={s.colour} isAnimationActive={false} />
            ))}
            {/* Without a bar and a y domain recharts places no reference line: an empty range keeps its markers and flags. */}
            {empty ? <Bar dataKey="none" stackId="counts" fill="transparent" legendType="none" tooltipType="none" isAnimationActive={false} /> : null}
            {markerStarts.map((x) => (
              <ReferenceLine key={x} x={x} stroke="#1e293b" strokeDasharray="4 3" label={{ value: "⚑", position: "top", fill: "#1e293b", fontSize: 12 }} />
            ))}
            {flagStarts.map(([x, f]) => (
              <ReferenceLine key={`flag-${x}`} x={x} stroke={f.colour} strokeDasharray="2 3" label={{ value: f.symbol, position: "insideTop", fill: f.colour, fontSize: 13 }} />
            ))}
          </ReBarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-sm text-slate-600">{summary}</figcaption>
    </figure>
  );
}
