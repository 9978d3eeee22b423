import type { TenantState } from "@/lib/organisation/exchange/read";
import type { ProductState } from "@/lib/organisation/import-plan";
import type { ImportConflict, ImportPreview } from "@/lib/organisation/import-schemas";

// Pure: what the files say about remediations still pending in Exchange Online. A live Fix now
// waits for the tenant to show its state (connector disabled, domains Authoritative), an undone
// one for the restored state. Files that show it confirm it; files that show something else,
// where the import would change the product, are a conflict the admin resolves: an import never
// silently reverts a Fix now or its Undo.

type Shown = ImportConflict["fields"][number] & { expected: boolean | string };

export function findRemediationStates(product: ProductState, tenant: TenantState): Pick<ImportPreview, "conflicts" | "confirmations"> {
  const connectors = new Map(product.connectors.map((c) => [c.id, c]));
  const domains = new Map(product.domains.map((d) => [d.id, d]));
  const tenantConnectors = tenant.connectors && new Map(tenant.connectors.map((c) => [c.name.toLowerCase(), c]));
  const tenantDomains = tenant.domains && new Map(tenant.domains.map((d) => [d.name, d]));
  const conflicts: ImportConflict[] = [];
  const confirmations: ImportPreview["confirmations"] = [];

  for (const remediation of product.remediations) {
    const connector = connectors.get(remediation.connector.id);
    const ref = { remediationId: remediation.id, alertId: remediation.alertId, connector: connector?.name ?? remediation.connector.name, undone: !remediation.live };
    const shown: Shown[] = [];
    // Confirmation needs the files to show every object the remediation changed.
    let complete = true;

    const fromFiles = connector && !connector.retired ? tenantConnectors?.get(connector.name.toLowerCase()) : undefined;
    if (connector && fromFiles) {
      const expected = remediation.live ? remediation.connector.enabledAfter : remediation.connector.enabledBefore;
      shown.push({ target: "connector", id: connector.id, name: connector.name, field: "enabled", product: connector.enabled, tenant: fromFiles.enabled, expected });
    } else {
      complete = false;
    }
    for (const changed of remediation.domains) {
      const domain = domains.get(changed.id);
      // A domain deleted in the product has no state left to show; one the files lack shows none.
      if (!domain) continue;
      const inFiles = tenantDomains?.get(domain.name);
      if (!inFiles) {
        complete = false;
        continue;
      }
      const expected = remediation.live ? changed.typeAfter : changed.typeBefore;
      shown.push({ target: "domain", id: domain.id, name: domain.name, field: "type", product: domain.type, tenant: inFiles.type, expected });
    }

    const otherwise = shown.filter((s) => s.tenant !== s.expected);
    // Where the product already agrees with the files, the import changes nothing to contest.
    const contested = otherwise.filter((s) => s.tenant !== s.product);
    if (contested.length > 0) conflicts.push({ ...ref, fields: contested.map(({ expected: _expected, ...field }) => field) });
    else if (otherwise.length === 0 && complete) confirmations.push(ref);
  }
  return { conflicts, confirmations };
}
