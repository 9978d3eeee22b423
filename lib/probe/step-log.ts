import { classify, type Classification } from "@/lib/classify/classify";
import type { Observation } from "@/lib/classify/observation";
import type { CertificateInfo, ProbeStep, StepName, TargetAddress, TargetResult } from "@/lib/probe/types";

// One target's steps as they happen: each timed from the end of the one before, its text made
// safe to print, reported live, and its failure named by lib/classify (never decided here).

/** Where the first failure of a whole validation is kept. */
export type FailureSink = { failure: Classification | null };

export class StepLog {
  private readonly steps: ProbeStep[] = [];
  private last: number;

  constructor(
    private readonly target: TargetAddress,
    private readonly sink: FailureSink,
    private readonly onStep: ((target: TargetAddress, step: ProbeStep) => void) | undefined,
    startedAt = Date.now(),
  ) {
    this.last = startedAt;
  }

  pass(name: StepName, seen: string): void {
    this.add({ name, ok: true, seen });
  }

  /** A step that failed: `observation` is what lib/classify names. */
  fail(name: StepName, seen: string, error: string, observation: Observation): void {
    const classification = classify(observation);
    if (classification && !this.sink.failure) this.sink.failure = classification;
    this.add({ name, ok: false, seen, error: classification ? `${classification.code}: ${classification.detail}` : error });
  }

  /** A step whose outcome lib/classify decides (a refusal for one TLS setting is no failure for another); true when it passed. */
  record(name: StepName, seen: string, observation: Observation, passNote: string): boolean {
    const classification = classify(observation);
    if (!classification) {
      this.pass(name, seen ? `${seen}; ${passNote}` : passNote);
      return true;
    }
    this.fail(name, seen, classification.detail, observation);
    return false;
  }

  /** A reply that passes unless lib/classify calls it a failure; true when it passed. */
  check(name: StepName, lines: readonly string[], observation: Observation): boolean {
    const seen = lines.join("\n");
    if (classify(observation)) {
      this.fail(name, seen, seen, observation);
      return false;
    }
    this.pass(name, seen);
    return true;
  }

  result(certificate: CertificateInfo | null): TargetResult {
    return { ...this.target, steps: this.steps, certificate };
  }

  private add(step: Omit<ProbeStep, "ms" | "seen"> & { seen: string }): void {
    const now = Date.now();
    const recorded: ProbeStep = { ...step, ms: now - this.last, seen: plainText(step.seen), ...(step.error === undefined ? {} : { error: plainText(step.error) }) };
    this.last = now;
    this.steps.push(recorded);
    this.onStep?.(this.target, recorded);
  }
}

/** What a server said, as text a terminal or a page shows as it is: control characters (but line breaks) replaced, length bounded. */
function plainText(text: string): string {
  const clean = text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, "?");
  return clean.length > 4_000 ? `${clean.slice(0, 3_999)}…` : clean;
}
