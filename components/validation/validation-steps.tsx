"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { codeKey, displayCode } from "@/lib/alerts/codes";
import type { CertificateView, ProbeStepView, ValidationView } from "@/lib/probe/schemas";

// What a validation saw, step by step per server, its outcome and the certificates. Everything a
// server said is rendered as React text (a hostile greeting shows as the characters it sent).

export type StepGroup = { target: { host: string; address: string | null; port: number }; steps: readonly ProbeStepView[] };

/** A stored validation's servers and their steps. */
export function groupsOf(targets: ValidationView["targets"]): StepGroup[] {
  return targets.map(({ steps, ...target }) => ({ target: { host: target.host, address: target.address, port: target.port }, steps }));
}

export function StepsByTarget({ groups }: Readonly<{ groups: readonly StepGroup[] }>) {
  const t = useTranslations("validation");
  return (
    <div className="space-y-4">
      {groups.map(({ target, steps }) => (
        <section key={`${target.host}|${target.address}|${target.port}`} aria-label={targetLabel(t, target)}>
          <h4 className="mb-2 font-mono text-xs font-medium text-slate-700">{targetLabel(t, target)}</h4>
          <ol className="space-y-1.5">
            {steps.map((step, i) => (
              <StepRow key={`${step.name}-${i}`} step={step} />
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

function StepRow({ step }: Readonly<{ step: ProbeStepView }>) {
  const t = useTranslations("validation");
  return (
    <li className="rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-200" data-step={step.name}>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="flex items-center gap-2">
          <Badge tone={step.ok ? "success" : "danger"}>
            <span aria-hidden="true">{step.ok ? "✓" : "✗"}</span>
            {t(step.ok ? "stepPassed" : "stepFailed")}
          </Badge>
          <span className="font-medium text-slate-900">{t(`steps.${step.name}`)}</span>
        </span>
        <span className="text-xs tabular-nums text-slate-600">{duration(t, step.ms)}</span>
      </div>
      {step.seen ? (
        <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 px-2 py-0.5 font-mono text-xs text-slate-800">
          {step.seen}
        </pre>
      ) : null}
      {step.error ? <p className="mt-1 break-words text-xs font-medium text-red-800">{step.error}</p> : null}
    </li>
  );
}

/** "Passed" or the classified code and its short name, with the failure's words. */
export function OutcomeLine({ validation }: Readonly<{ validation: Pick<ValidationView, "outcome" | "errorCode" | "summary" | "durationMs"> }>) {
  const t = useTranslations("validation");
  const tAll = useTranslations();
  if (validation.outcome === "passed") {
    return (
      <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm font-medium text-emerald-900">
        {t("outcomePassed", { duration: duration(t, validation.durationMs) })}
      </p>
    );
  }
  const code = validation.errorCode ?? "unknown";
  return (
    <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
      <p className="font-medium">{t("outcomeFailed", { code: displayCode(code), name: tAll(`codes.${codeKey(code)}`) })}</p>
      {validation.summary ? <p className="mt-1 break-words">{validation.summary}</p> : null}
    </div>
  );
}

export function CertificateList({ certificates }: Readonly<{ certificates: readonly CertificateView[] }>) {
  const t = useTranslations("validation");
  const format = useFormatter();
  if (certificates.length === 0) return null;
  const date = (text: string) => (Number.isNaN(Date.parse(text)) ? text : format.dateTime(new Date(text), "long"));
  return (
    <div>
      <h4 className="mb-2 text-sm font-semibold text-slate-900">{t("certificatesTitle")}</h4>
      <div className="space-y-3">
        {certificates.map((c, i) => (
          <dl key={`${c.host}-${i}`} className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded-md px-3 py-2 text-xs ring-1 ring-inset ring-slate-200">
            <Fact label={t("certificate.subject")} value={c.subject} />
            <Fact label={t("certificate.issuer")} value={c.issuer} />
            <Fact label={t("certificate.names")} value={c.names.join(", ")} />
            <Fact label={t("certificate.validTo")} value={date(c.validTo)} />
            <Fact label={t("certificate.tls")} value={c.tlsVersion} />
            <Fact label={t("certificate.cipher")} value={c.cipher} />
          </dl>
        ))}
      </div>
    </div>
  );
}

function Fact({ label, value }: Readonly<{ label: string; value: string }>) {
  return (
    <>
      <dt className="font-medium text-slate-600">{label}</dt>
      <dd className="break-all font-mono text-slate-800">{value || "—"}</dd>
    </>
  );
}

type Translate = ReturnType<typeof useTranslations<"validation">>;

export function duration(t: Translate, ms: number): string {
  return ms < 1000 ? t("durationMs", { ms: Math.round(ms) }) : t("durationS", { s: ms / 1000 });
}

function targetLabel(t: Translate, target: StepGroup["target"]): string {
  return target.address && target.address !== target.host
    ? t("target", { host: target.host, address: target.address, port: target.port })
    : t("targetUnresolved", { host: target.host, port: target.port });
}
