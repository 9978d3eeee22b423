"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { FixNow } from "@/components/alerts/fix-now";
import { Panel } from "@/components/ui/panel";
import type { AlertDetail } from "@/lib/alerts/schemas";
import { guidanceFor, MANUAL_STEPS } from "@/lib/remediation/catalogue";
import { offersFixNow } from "@/lib/remediation/eligibility";

type Props = { alert: AlertDetail["alert"] };

/** What happened, the likely causes and how to fix them, for this alert's code and connector. */
export function RemediationPanel({ alert }: Readonly<Props>) {
  const t = useTranslations("remediation");
  const guidance = guidanceFor(alert.errorCode, alert.connector.kind);
  const connector = alert.connector.name;
  const code = `codes.${guidance.key}`;

  return (
    <Panel id={`remediation-${alert.id}`} title={t("panel.title")}>
      <div className="space-y-5 text-sm text-slate-700" data-testid="remediation-panel">
        <Section title={t("panel.whatHappened")}>
          <p>{guidance.investigateDestination ? t("panel.otherHappened") : t(`${code}.happened`)}</p>
        </Section>

        {guidance.causes.length > 0 ? (
          <Section title={t("panel.likelyCauses")}>
            <ul className="list-disc space-y-1 pl-5">
              {guidance.causes.map((cause) => (
                <li key={cause}>{t(`${code}.causes.${cause}`)}</li>
              ))}
            </ul>
          </Section>
        ) : null}

        <Section title={t("panel.howToFix")}>
          {guidance.contactPartner ? (
            <div className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-amber-950">
              <p className="font-medium">{t("panel.partnerTitle")}</p>
              <p className="mt-1">{t("panel.partnerBody", { connector })}</p>
            </div>
          ) : null}
          {guidance.investigateDestination ? <p>{t("panel.otherFix")}</p> : null}
          {guidance.fixes.length > 0 ? (
            <ul className="list-disc space-y-1 pl-5">
              {guidance.fixes.map((fix) => (
                <li key={fix}>{t(`${code}.fixes.${fix}`)}</li>
              ))}
            </ul>
          ) : null}
        </Section>

        {offersFixNow(alert.errorCode, alert.connector.kind) ? <FixNow alertId={alert.id} /> : null}

        {guidance.manualSteps ? (
          <Section title={t("manual.title")}>
            <p>{t("manual.intro")}</p>
            <ol className="mt-2 list-decimal space-y-1 pl-5">
              {MANUAL_STEPS.map((step) => (
                <li key={step}>{t(`manual.steps.${step}`, { connector })}</li>
              ))}
            </ol>
          </Section>
        ) : null}

        <p className="text-xs text-slate-500">{t("panel.expiry")}</p>
      </div>
    </Panel>
  );
}

function Section({ title, children }: Readonly<{ title: string; children: ReactNode }>) {
  return (
    <section>
      <h3 className="mb-1.5 font-semibold text-slate-900">{title}</h3>
      {children}
    </section>
  );
}
