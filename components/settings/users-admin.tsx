"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useCreateUser, useSetRole, useUsers } from "@/components/settings/settings-queries";
import { Button } from "@/components/ui/button";
import { InputField, SelectField } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { ErrorState, Notice, SkeletonRows } from "@/components/ui/states";
import { Table, Td, Th } from "@/components/ui/table";
import { parseRole } from "@/lib/auth/roles";
import { ROLES } from "@/lib/db/enums";

export function UsersAdmin({ selfId }: Readonly<{ selfId: string }>) {
  const t = useTranslations();
  const format = useFormatter();
  const users = useUsers();
  const setRole = useSetRole();
  const [message, setMessage] = useState<string | null>(null);

  return (
    <div className="space-y-6">
      <Panel title={t("settings.usersTitle")} id="users-heading">
        {users.isPending ? <SkeletonRows rows={3} label={t("common.loading")} /> : null}
        {users.error ? <ErrorState title={t("common.errorTitle")} message={users.error.message} /> : null}
        {message ? <Notice tone="info">{message}</Notice> : null}
        {setRole.error ? <p role="alert" className="mb-2 text-sm text-red-800">{setRole.error.message}</p> : null}
        {users.data ? (
          <Table caption={t("settings.usersTitle")}>
            <thead>
              <tr><Th>{t("settings.name")}</Th><Th>{t("settings.email")}</Th><Th>{t("settings.role")}</Th><Th>{t("settings.created")}</Th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.data.users.map((u) => (
                <tr key={u.id}>
                  <Td>{u.name}</Td>
                  <Td>{u.email}</Td>
                  <Td>
                    <label className="sr-only" htmlFor={`role-${u.id}`}>{t("settings.changeRole", { email: u.email })}</label>
                    <select
                      id={`role-${u.id}`}
                      value={u.role}
                      disabled={setRole.isPending || u.id === selfId}
                      onChange={(e) => {
                        const role = parseRole(e.target.value);
                        if (role) setRole.mutate({ id: u.id, role }, { onSuccess: (v) => setMessage(t("settings.roleChanged", { email: v.email, role: t(`roles.${v.role}`) })) });
                      }}
                      className="rounded-md py-1 pl-2 pr-7 text-sm ring-1 ring-slate-300"
                    >
                      {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
                    </select>
                  </Td>
                  <Td>{format.dateTime(new Date(u.createdAt), "short")}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
      </Panel>
      <AddUser onAdded={(email) => setMessage(t("settings.userAdded", { email }))} />
    </div>
  );
}

function AddUser({ onAdded }: Readonly<{ onAdded: (email: string) => void }>) {
  const t = useTranslations();
  const create = useCreateUser();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const role = parseRole(String(form.get("role") ?? "")) ?? "VIEWER";
    create.mutate(
      { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), role, password: String(form.get("password") ?? "") },
      { onSuccess: (user) => { formElement.reset(); onAdded(user.email); } },
    );
  }

  return (
    <Panel title={t("settings.addUser")} id="add-user-heading">
      <form onSubmit={submit} className="grid gap-3 sm:grid-cols-2">
        <InputField id="new-user-name" name="name" label={t("settings.name")} required maxLength={100} />
        <InputField id="new-user-email" name="email" type="email" label={t("settings.email")} required />
        <SelectField id="new-user-role" name="role" label={t("settings.role")} defaultValue="VIEWER">
          {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
        </SelectField>
        <InputField id="new-user-password" name="password" type="password" label={t("settings.password")} required minLength={12} autoComplete="new-password" />
        {create.error ? <p role="alert" className="text-sm text-red-800 sm:col-span-2">{create.error.message}</p> : null}
        <div className="sm:col-span-2">
          <Button type="submit" variant="primary" disabled={create.isPending}>{create.isPending ? t("settings.adding") : t("settings.addUser")}</Button>
        </div>
      </form>
    </Panel>
  );
}
