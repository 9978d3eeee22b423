"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useCreateToken, useRevokeToken, useTokens } from "@/components/settings/settings-queries";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";

export function TokensAdmin() {
  const t = useTranslations();
  const format = useFormatter();
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const when = (iso: string | null) => (iso ? format.dateTime(new Date(iso), "short") : t("settings.never"));

  return (
    <div className="space-y-6">
      <NewToken />
      <Panel title={t("settings.tokensTitle")} id="tokens-heading">
        {tokens.isPending ? <SkeletonRows rows={3} label={t("common.loading")} /> : null}
        {tokens.error ? <ErrorState title={t("common.errorTitle")} message={tokens.error.message} /> : null}
        {revoke.error ? <p role="alert" className="mb-2 text-sm text-red-800">{revoke.error.message}</p> : null}
        {tokens.data?.tokens.length === 0 ? <EmptyState title={t("settings.noTokens")} /> : null}
        {tokens.data && tokens.data.tokens.length > 0 ? (
          <Table caption={t("settings.tokensTitle")}>
            <thead>
              <tr>
                <Th>{t("settings.name")}</Th><Th>{t("settings.prefix")}</Th><Th>{t("settings.createdBy")}</Th>
                <Th>{t("settings.created")}</Th><Th>{t("settings.lastUsed")}</Th><Th>{t("settings.status")}</Th><Th><span className="sr-only">{t("settings.revoke")}</span></Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.data.tokens.map((token) => (
                <tr key={token.id}>
                  <Td>{token.name}</Td>
                  <Td><code>{token.prefix}…</code></Td>
                  <Td>{token.createdBy}</Td>
                  <Td>{when(token.createdAt)}</Td>
                  <Td>{when(token.lastUsedAt)}</Td>
                  <Td>{token.revokedAt ? `${t("settings.revokedBy", { name: token.revokedBy ?? "" })}, ${when(token.revokedAt)}` : t("settings.active")}</Td>
                  <Td>
                    {token.revokedAt ? null : (
                      <Button
                        size="sm"
                        variant="danger"
                        disabled={revoke.isPending}
                        aria-label={`${t("settings.revoke")} ${token.name}`}
                        onClick={() => { if (window.confirm(t("settings.revokeConfirm", { name: token.name }))) revoke.mutate(token.id); }}
                      >
                        {t("settings.revoke")}
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
      </Panel>
    </div>
  );
}

/** Creates a token and shows it once; it is gone from the page after a reload. */
function NewToken() {
  const t = useTranslations("settings");
  const create = useCreateToken();
  const [shown, setShown] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get("name") ?? "");
    create.mutate(name, { onSuccess: (created) => { formElement.reset(); setShown(created.token); } });
  }

  return (
    <Panel title={t("newToken")} id="new-token-heading" description={t("tokensIntro")}>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <InputField id="token-name" name="name" label={t("tokenName")} required maxLength={100} className="min-w-64 flex-1" />
        <Button type="submit" variant="primary" disabled={create.isPending}>{create.isPending ? t("creating") : t("createToken")}</Button>
      </form>
      {create.error ? <p role="alert" className="mt-2 text-sm text-red-800">{create.error.message}</p> : null}
      {shown ? (
        <div role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p className="font-medium">{t("tokenCreated")}</p>
          <code data-testid="new-token" className="mt-2 block break-all rounded bg-white px-2 py-1 text-slate-900 ring-1 ring-amber-200">{shown}</code>
        </div>
      ) : null}
    </Panel>
  );
}
