import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Breadcrumb } from "@/components/layout/breadcrumb";
import { PageHeader } from "@/components/layout/page-header";
import { TraceStateBadge } from "@/components/trace/trace-state-badge";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { Table, Td, Th } from "@/components/ui/table";
import type { TraceStory } from "@/lib/trace/schemas";
import { traceSearchString } from "@/lib/trace/search";

/** One message's story for one recipient and connector: the facts, every attempt, its queue, alert and Fix now, its other recipients. */
export async function TraceStoryView({ story }: Readonly<{ story: TraceStory }>) {
  const [t, tc, format] = await Promise.all([getTranslations("trace"), getTranslations(), getFormatter()]);
  const when = (iso: string) => format.dateTime(new Date(iso), "long");
  const m = story.message;
  const source = (s: string) => (tc.has(`eventSource.${s}`) ? tc(`eventSource.${s}`) : s);
  const facts: [string, React.ReactNode][] = [
    [t("columns.message"), <span key="m" className="break-all font-mono text-xs">{m.messageId}</span>],
    [t("columns.sender"), <span key="s" className="break-all font-mono text-xs">{m.sender ?? "—"}</span>],
    [t("columns.recipient"), <span key="r" className="break-all font-mono text-xs">{m.recipient || t("noRecipient")}</span>],
    [t("columns.state"), <TraceStateBadge key="st" state={m.state} />],
    [t("columns.connector"), <Link key="c" className="text-blue-800 hover:underline" href={`/connectors/${m.connector.id}`}>{m.connector.name}</Link>],
    [t("columns.firstAttempt"), when(m.firstAttemptAt)],
    [t("columns.lastAttempt"), when(m.lastAttemptAt)],
    [t("columns.attempts"), m.attempts],
    [t("columns.lastCode"), m.lastCode ?? "—"],
    [t("columns.source"), source(m.source)],
  ];
  return (
    <>
      <PageHeader
        eyebrow={<Breadcrumb label={tc("nav.label")} parent={{ href: "/trace", label: t("story.breadcrumb") }} current={t("story.title")} />}
        title={t("story.title")}
        actions={<Link className="text-sm font-medium text-blue-800 hover:underline" href={`/trace${traceSearchString({ messageId: m.messageId })}`}>{t("story.searchMessage")}</Link>}
      />
      <div className="grid gap-6">
        <Panel id="story-facts" title={t("story.facts")}>
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-5">
            {facts.map(([label, value]) => (
              <Fact key={label} label={label}>{value}</Fact>
            ))}
          </dl>
        </Panel>
        <Panel id="story-attempts" title={t("story.attemptsTitle")} description={story.attemptsTruncated ? t("story.truncated", { count: story.attempts.length }) : undefined}>
          <Table caption={t("story.attemptsCaption")}>
            <thead className="bg-slate-50">
              <tr>
                <Th>{t("story.time")}</Th>
                <Th>{t("story.result")}</Th>
                <Th>{t("columns.lastCode")}</Th>
                <Th>{t("story.destination")}</Th>
                <Th>{t("story.details")}</Th>
                <Th>{t("columns.source")}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {story.attempts.map((a) => (
                <tr key={a.id} data-testid="story-attempt">
                  <Td className="whitespace-nowrap">{when(a.occurredAt)}</Td>
                  <Td><Badge tone={a.status === "DELIVERED" ? "success" : a.status === "DEFERRED" ? "warning" : "danger"}>{tc(`eventStatus.${a.status}`)}</Badge></Td>
                  <Td className="whitespace-nowrap font-mono text-xs">{[a.smtpStatus, a.errorCode].filter((x) => x !== null).join(" ") || "—"}</Td>
                  <Td className="break-all font-mono text-xs">{a.destination ?? "—"}</Td>
                  <Td className="max-w-xl break-words text-xs text-slate-700">{a.errorDetails ?? "—"}</Td>
                  <Td className="whitespace-nowrap text-xs">{source(a.source)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Panel>
        <div className="grid gap-6 lg:grid-cols-3">
          <Panel id="story-queue" title={t("story.queueTitle")}>
            {story.queue ? (
              <dl className="grid gap-2 text-sm">
                <Fact label={t("story.queueState")}>{tc(`queueState.${story.queue.state}`)}</Fact>
                <Fact label={t("story.expires")}>{when(story.queue.expiresAt)}</Fact>
                {story.queue.settledAt ? <Fact label={t("story.settled")}>{when(story.queue.settledAt)}</Fact> : null}
                {story.queue.ndrAt ? <Fact label={t("story.ndr")}>{when(story.queue.ndrAt)}</Fact> : null}
              </dl>
            ) : (
              <p className="text-sm text-slate-600">{t("story.queueNone")}</p>
            )}
          </Panel>
          <Panel id="story-alert" title={t("story.alertTitle")}>
            {story.alert ? (
              <p className="text-sm">
                <Link className="font-medium text-blue-800 hover:underline" href={`/alerts/${story.alert.id}`}>
                  {t("story.alertLink", { id: story.alert.id, code: story.alert.errorCode })}
                </Link>{" "}
                <Badge tone="neutral">{tc(`status.${story.alert.status}`)}</Badge>
              </p>
            ) : (
              <p className="text-sm text-slate-600">{t("story.alertNone")}</p>
            )}
          </Panel>
          {story.remediation ? (
            <Panel id="story-fix-now" title={t("story.remediationTitle")}>
              <p className="text-sm" data-testid="story-remediation">
                {t("story.remediationApplied", { by: story.remediation.appliedBy, at: when(story.remediation.appliedAt) })}
              </p>
              {story.remediation.undoneAt ? <p className="mt-2 text-sm text-slate-600">{t("story.remediationUndone", { at: when(story.remediation.undoneAt) })}</p> : null}
              <Link className="mt-2 inline-block text-sm font-medium text-blue-800 hover:underline" href={`/alerts/${story.remediation.alertId}`}>
                {t("story.remediationOpen")}
              </Link>
            </Panel>
          ) : null}
        </div>
        <Panel id="story-related" title={t("story.relatedTitle")}>
          {story.related.length === 0 ? (
            <p className="text-sm text-slate-600">{t("story.relatedNone")}</p>
          ) : (
            <Table caption={t("story.relatedCaption")}>
              <thead className="bg-slate-50">
                <tr>
                  <Th>{t("columns.recipient")}</Th>
                  <Th>{t("columns.connector")}</Th>
                  <Th>{t("columns.state")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {story.related.map((r) => (
                  <tr key={r.id}>
                    <Td className="break-all font-mono text-xs">
                      <Link className="text-blue-800 hover:underline" href={`/trace/messages/${r.id}`}>{r.recipient || t("noRecipient")}</Link>
                    </Td>
                    <Td>{r.connector.name}</Td>
                    <Td><TraceStateBadge state={r.state} /></Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Panel>
      </div>
    </>
  );
}

function Fact({ label, children }: Readonly<{ label: string; children: React.ReactNode }>) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}
