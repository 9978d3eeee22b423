import "server-only";
import { requireRole, type Actor } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import type { Send } from "@/lib/http/ndjson-response";
import { validationLineSchema, validationPageSchema, type ValidationLine, type ValidationPageView, type ValidationsQuery } from "@/lib/probe/schemas";
import { findConnectorForProbe, listValidations, refusalOf, validateConnector } from "@/lib/probe/service";

// "Validate connector" from the dashboard. The answer streams each step as it completes, so every
// refusal (403, 404, 409 demo or retired, 400 recipient) is decided here first, while the route can
// still answer it as an ordinary problem+json error.

export type ManualRun = (send: Send<ValidationLine>) => Promise<void>;

/** Refuses what must not run; otherwise returns the run, which sends its steps and then the stored validation. */
export async function prepareManualValidation(db: Db, connectorId: number, actor: Actor, recipient: string | undefined): Promise<ManualRun> {
  requireRole(actor, "remediate");
  const refusal = refusalOf(await findConnectorForProbe(db, connectorId), recipient);
  if (refusal) throw refusal;
  return async (send) => {
    // Each line is checked against the contract the browser parses it with.
    const validation = await validateConnector(db, connectorId, {
      trigger: "manual",
      actor,
      recipient,
      onStep: (target, step) => send(validationLineSchema.parse({ type: "step", target, step })),
    });
    send(validationLineSchema.parse({ type: "result", validation }));
  };
}

/** A connector's validations, newest first; 404 for a connector that does not exist. */
export async function validationHistory(db: Db, connectorId: number, query: ValidationsQuery): Promise<ValidationPageView> {
  await findConnectorForProbe(db, connectorId);
  return validationPageSchema.parse(await listValidations(db, connectorId, query));
}
