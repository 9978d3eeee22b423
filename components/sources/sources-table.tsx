import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { EmptyState } from "@/components/ui/states";
import type { SourceView } from "@/lib/sources/queries";

/** Each source's state: file, position, last line, lag, what was read and skipped, last error. */
export async function SourcesTable({ sources, now }: Readonly<{ sources: SourceView[]; now: Date }>) {
  const [t, format] = await Promise.all([getTranslations("sourcesPage"), getFormatter()]);
  if (sources.length === 0) return <EmptyState title={t("emptyTitle")} body={t("emptyBody")} />;
  const kind = (k: string) => (t.has(`kind.${k}`) ? t(`kind.${k}`) : k);
  return (
    <div className="space-y-4">
      {sources.map((s) => {
        const behind = s.size === null ? null : Math.max(0, s.size - s.offset);
        return (
          <Panel
            key={s.id}
            id={`source-${s.id}`}
            title={`${kind(s.kind)}: ${s.name}`}
            actions={
              <span className="flex gap-2">
                {s.following ? <Badge tone="info">{t("following")}</Badge> : null}
                {s.silentSince ? <Badge tone="danger">{t("silentSince", { at: format.dateTime(new Date(s.silentSince), "long") })}</Badge> : null}
                {s.lastError ? <Badge tone="warning">{t("hasError")}</Badge> : null}
              </span>
            }
          >
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
              <Item label={t("file")}>
                <span className="break-all font-mono text-xs">{s.path ?? s.name}</span>
              </Item>
              <Item label={t("position")}>
                {s.size === null
                  ? t("positionOnly", { offset: format.number(s.offset) })
                  : t("positionOf", { offset: format.number(s.offset), size: format.number(s.size) })}
              </Item>
              <Item label={t("behind")}>{behind === null ? "—" : t("bytes", { count: behind })}</Item>
              <Item label={t("lastLine")}>{s.lastLineAt ? format.dateTime(new Date(s.lastLineAt), "long") : "—"}</Item>
              <Item label={t("lag")}>{s.lastLineAt ? format.relativeTime(new Date(s.lastLineAt), now) : "—"}</Item>
              <Item label={t("lastRead")}>{s.lastReadAt ? format.dateTime(new Date(s.lastReadAt), "long") : "—"}</Item>
              <Item label={t("linesRead")}>{format.number(s.linesRead)}</Item>
              <Item label={t("eventsMade")}>{format.number(s.eventsMade)}</Item>
              <Item label={t("skipped")}>
                {s.skipped.length === 0 ? (
                  "—"
                ) : (
                  <ul className="space-y-0.5">
                    {s.skipped.map((k) => (
                      <li key={k.reason}>
                        <span className="font-mono text-xs">{format.number(k.count)}</span> {t.has(`reason.${k.reason}`) ? t(`reason.${k.reason}`) : k.reason}
                      </li>
                    ))}
                  </ul>
                )}
              </Item>
              {s.lastError ? (
                <Item label={t("lastError")} wide>
                  <span className="break-words text-red-800">{s.lastError}</span>
                  {s.lastErrorAt ? <span className="ml-2 text-xs text-slate-600">{format.dateTime(new Date(s.lastErrorAt), "long")}</span> : null}
                </Item>
              ) : null}
            </dl>
          </Panel>
        );
      })}
    </div>
  );
}

function Item({ label, children, wide = false }: Readonly<{ label: string; children: React.ReactNode; wide?: boolean }>) {
  return (
    <div className={wide ? "sm:col-span-2 lg:col-span-3" : ""}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}
