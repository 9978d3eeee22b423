import { codeKey, isKnownCode, type CodeKey, type KnownCode } from "@/lib/alerts/codes";
import { CERT_EXPIRY_CODE } from "@/lib/grouping/event";
import type { ConnectorKind } from "@/lib/db/enums";

// What the remediation panel says for each code: which causes and fixes apply, by message key.
// The texts themselves live in messages/<locale>/remediation.json under `codes.<key>`, so one
// catalogue serves every language; a unit test checks that each key exists in each language.

/** The one code Fix now applies to. */
export const FIX_NOW_CODE = "4.4.316";

/** The steps an admin takes by hand instead of Fix now, in order (keys under `manual.steps`). */
export const MANUAL_STEPS = ["openConnectors", "disableConnector", "switchDomains", "wait", "verify"] as const;

type CodeAdvice = Readonly<{ causes: readonly string[]; fixes: readonly string[] }>;

export const CODE_ADVICE: Readonly<Record<KnownCode, CodeAdvice>> = {
  "4.4.312": { causes: ["dnsHost", "domainExpired", "mxChanged"], fixes: ["dnsHost"] },
  "4.4.315": { causes: ["serverDown", "wrongSmartHost"], fixes: ["findScenario"] },
  "4.4.316": { causes: ["firewall", "decommissioned"], fixes: ["allowIpRanges", "fixNow"] },
  "4.4.317": { causes: ["serviceUnavailable", "tlsMissing"], fixes: ["checkTls"] },
  "4.4.318": { causes: ["packetInspection", "serverUnhealthy", "network"], fixes: ["findScenario", "networkTeam"] },
  "4.7.320": { causes: ["expired", "subjectMismatch", "invalid"], fixes: ["fixCertificate"] },
};

/** The probe's warning before a certificate expires: renewing it is the fix, on either side. */
export const CERT_EXPIRY_ADVICE: CodeAdvice = { causes: ["notRenewed"], fixes: ["renew"] };

export type Guidance = Readonly<{
  /** Message key under `codes.`: the code's name, what happened, causes and fixes. */
  key: CodeKey;
  causes: readonly string[];
  /** Fixes on the organisation's own side; empty for partner connectors (the partner fixes). */
  fixes: readonly string[];
  /** The destination is a partner's: contact the partner. */
  contactPartner: boolean;
  /** Any code outside the catalogue: investigate with the destination server in the details. */
  investigateDestination: boolean;
  /** 4.4.316 towards the organisation's own server: the by-hand equivalent of Fix now. */
  manualSteps: boolean;
}>;

/** The advice for one alert, from its code and the kind of connector it failed on. */
export function guidanceFor(errorCode: string, connectorKind: ConnectorKind): Guidance {
  const partner = connectorKind === "PARTNER";
  if (errorCode === CERT_EXPIRY_CODE) {
    return { key: codeKey(errorCode), ...CERT_EXPIRY_ADVICE, contactPartner: partner, investigateDestination: false, manualSteps: false };
  }
  if (!isKnownCode(errorCode)) {
    return { key: "other", causes: [], fixes: [], contactPartner: partner, investigateDestination: true, manualSteps: false };
  }
  const advice = CODE_ADVICE[errorCode];
  return {
    key: codeKey(errorCode),
    causes: advice.causes,
    fixes: partner ? [] : advice.fixes,
    contactPartner: partner,
    investigateDestination: false,
    manualSteps: !partner && errorCode === FIX_NOW_CODE,
  };
}
