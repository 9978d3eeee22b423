// Pure: how a retired connector is named in messages, the same at ingest and in the services.

/** The day a connector was retired, as an ISO date (UTC): 2026-12-01. */
export function retiredDay(retiredAt: Date): string {
  return retiredAt.toISOString().slice(0, 10);
}

/** Why ingest refuses an event for a retired connector. */
export function retiredConnectorRejection(name: string, retiredAt: Date): string {
  return `connector "${name}" was retired on ${retiredDay(retiredAt)} and takes no new events; its history stays readable`;
}

/** Why ingest refuses an event for a connector it cannot find, and how to add one. */
export function unknownConnectorRejection(ref: string | number): string {
  return `no connector has the id or name "${ref}": add it on the Connectors page or import your connectors with npm run org:import`;
}
