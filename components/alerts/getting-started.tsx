import Link from "next/link";
import { useTranslations } from "next-intl";
import { CommandBlock } from "@/components/ui/command-block";

type Props = { origin: string; canManage: boolean; now: string };

/**
 * The alerts page of an organisation with no connector yet: what to do first, in order, with
 * the exact command that sends a first event.
 */
export function GettingStarted({ origin, canManage, now }: Readonly<Props>) {
  const t = useTranslations("alerts.start");
  const tTenant = useTranslations("remediation.tenant");
  const link = "font-medium text-blue-800 underline underline-offset-2 hover:text-blue-950";
  const event = JSON.stringify({
    id: "first-event-1",
    occurredAt: now,
    connector: t("exampleConnector"),
    messageId: "<first-event-1@contoso.example>",
    recipient: "someone@contoso.example",
    status: "deferred",
    errorCode: "450 4.4.316",
    errorDetails: "450 4.4.316 Connection refused",
  });
  const command = [
    `curl -X POST ${origin}/api/events \\`,
    `  -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\`,
    `  -d '${event}'`,
  ];
  return (
    <section aria-labelledby="getting-started" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" data-testid="getting-started">
      <h2 id="getting-started" className="text-lg font-semibold text-slate-900">
        {t("title")}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{t("intro")}</p>
      {canManage ? null : <p className="mt-2 text-sm text-slate-600">{t("adminsOnly")}</p>}
      <ol className="mt-4 list-decimal space-y-4 pl-5 text-sm text-slate-800">
        <li>
          <p className="font-medium text-slate-900">{t("connectorsTitle")}</p>
          <p className="mt-1">
            {t.rich("connectorsBody", {
              add: (chunks) => <Link className={link} href="/connectors">{chunks}</Link>,
              import: (chunks) => <Link className={link} href="/settings/import">{chunks}</Link>,
            })}
          </p>
        </li>
        <li>
          <p className="font-medium text-slate-900">{t("tokenTitle")}</p>
          <p className="mt-1">
            {t.rich("tokenBody", { tokens: (chunks) => <Link className={link} href="/settings/tokens">{chunks}</Link> })}
          </p>
        </li>
        <li>
          <p className="font-medium text-slate-900">{t("eventTitle")}</p>
          <p className="mt-1">{t("eventBody")}</p>
          <div className="mt-2">
            <CommandBlock lines={command} label={t("commandLabel")} copyLabel={tTenant("copy")} copiedLabel={tTenant("copied")} testId="first-event-command" />
          </div>
        </li>
      </ol>
    </section>
  );
}
