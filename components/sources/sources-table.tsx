import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { EmptyState } from "@/components/ui/states";
import type { SourceView } from "@/lib/sources/queries";

/**
 * Each source's state. A log read from a path: its file, position, bytes behind, last line and
 * lag. An import (no path): the rows of its last run, its latest row, when it was imported. Both:
 * events made, skipped by reason, last error.
 */
export async function SourcesTable({ sources, now }: Readonly<{ sources: SourceView[]; now: Date }>) {
  const [t, tTrace, format] = await Promise.all([getTranslations("sourcesPage"), getTranslations("traceImport"), getFormatter()]);
  if (sources.length === 0) return <EmptyState title={t("emptyTitle")} body={t("emptyBody")} />;
  const kind = (k: string) => (t.has(`kind.${k}`) ? t(`kind.${k}`) : k);
  // A log's reasons are the Postfix reader's, an import's the message trace import's.
  const reason = (r: string) => (t.has(`reason.${r}`) ? t(`reason.${r}`) : tTrace.has(`skipped.${r}`) ? tTrace(`skipped.${r}`) : r);
  const dateTime = (iso: string | null) => (iso ? format.dateTime(new Date(iso), "long") : "—");
  return (
    <div className="space-y-4">
      {sources.map((s) => {
        const behind = s.size === null ? null : Math.max(0, s.size - s.offset);
        // A log's path (the title) is one long word: it may break anywhere rather than widen the page.
        return (
          <Panel
            key={s.id}
            id={`source-${s.id}`}
            title={`${kind(s.kind)}: ${s.name}`}
            className="scroll-mt-4 [&_h2]:wrap-anywhere"
            actions={
              // None when there is no badge: an empty box would still take a line under a long title.
              s.following || s.silentSince || s.lastError ? (
                <span className="flex flex-wrap gap-2">
                  {s.following ? <Badge tone="info">{t("following")}</Badge> : null}
                  {s.silentSince ? <Badge tone="danger">{t("silentSince", { at: dateTime(s.silentSince) })}</Badge> : null}
                  {s.lastError ? <Badge tone="warning">{t("hasError")}</Badge> : null}
                </span>
              ) : undefined
            }
          >
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
              {s.path === null ? (
                <>
                  <Item label={t("rowsRead")}>{format.number(s.linesRead)}</Item>
                  <Item label={t("latestRow")}>{dateTime(s.lastLineAt)}</Item>
                  <Item label={t("imported")}>{dateTime(s.lastReadAt)}</Item>
                </>
              ) : (
                <>
                  {/* A log's name is its path, shown in the title already. */}
                  {s.path !== s.name ? (
                    <Item label={t("file")} wide>
                      <span className="break-all font-mono text-xs">{s.path}</span>
                    </Item>
                  ) : null}
                  <Item label={t("position")}>
                    {s.size === null
                      ? t("positionOnly", { offset: format.number(s.offset) })
                      : t("positionOf", { offset: format.number(s.offset), size: format.number(s.size) })}
                  </Item>
                  <Item label={t("behind")}>{behind === null ? "—" : t("bytes", { count: behind })}</Item>
                  <Item label={t("lastRead")}>{dateTime(s.lastReadAt)}</Item>
                  <Item label={t("lastLine")}>{dateTime(s.lastLineAt)}</Item>
                  <Item label={t("lag")}>{s.lastLineAt ? format.relativeTime(new Date(s.lastLineAt), now) : "—"}</Item>
                  <Item label={t("linesRead")}>{format.number(s.linesRead)}</Item>
                </>
              )}
              <Item label={t("eventsMade")}>{format.number(s.eventsMade)}</Item>
              <Item label={t("skipped")}>
                {s.skipped.length === 0 ? (
                  "—"
                ) : (
                  <ul className="space-y-0.5">
                    {s.skipped.map((k) => (
                      <li key={k.reason}>
                        <span className="tabular-nums">{format.number(k.count)}</span> × {reason(k.reason)}
                      </li>
                    ))}
                  </ul>
                )}
              </Item>
              {s.lastError ? (
                <Item label={t("lastError")} wide>
                  <span className="break-words text-red-800">{s.lastError}</span>
                  {s.lastErrorAt ? <span className="ml-2 text-xs text-slate-600">{dateTime(s.lastErrorAt)}</span> : null}
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
