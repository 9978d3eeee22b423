import {
  DEMO_CONNECTORS,
  DEMO_RECIPIENTS,
  DEMO_SENDERS,
  demoConnector,
  type DemoConnector,
  type DemoConnectorKey,
} from "@/lib/demo/organisation";
import { createRandom, type Random } from "@/lib/demo/random";
import {
  DAY,
  HOUR,
  HOURLY_RATE,
  MAX_TRAFFIC_WEIGHT,
  MINUTE,
  demoStories,
  trafficWeight,
  type DemoStory,
} from "@/lib/demo/stories";
import type { EventInput } from "@/lib/events/schemas";

// A day of delivery events for the demo organisation, in the ingest wire format: healthy traffic
// on every connector plus the stories of lib/demo/stories.ts. Pure and deterministic: the same
// seed and `now` give the same events, with ids demo-1, demo-2, … in time order.

export const DEMO_SEED = 20261127;

export type DemoEventOptions = { now: Date; seed?: number };

const SLOT = 10 * MINUTE;
/** Minutes until the next attempt after each failed one; the last interval repeats. */
const RETRY_MINUTES = [5, 10, 20, 40, 60];
/** Story messages still arrive at night, only more sparsely. */
const MIN_STORY_WEIGHT = 0.2;

type Message = Pick<EventInput, "messageId" | "sender" | "recipient"> & { connector: DemoConnector };
type Attempt = { at: number; event: Omit<EventInput, "id" | "occurredAt"> };

export function generateDemoEvents({ now, seed = DEMO_SEED }: DemoEventOptions): EventInput[] {
  const end = now.getTime();
  const start = end - DAY + MINUTE;
  const random = createRandom(seed);
  const stories = demoStories(end);
  let sequence = 0;
  const newMessage = (key: DemoConnectorKey): Message => ({
    connector: demoConnector(key),
    messageId: `<${++sequence}.${random.hex(8)}@contoso-nordic.com>`,
    sender: random.pick(DEMO_SENDERS),
    recipient: random.pick(DEMO_RECIPIENTS[key]),
  });

  const attempts: Attempt[] = [];
  for (const story of stories) attempts.push(...storyAttempts(story, end, random, newMessage));
  for (const connector of DEMO_CONNECTORS) {
    attempts.push(...healthyAttempts(connector, stories, start, end, random, newMessage));
  }
  attempts.sort((a, b) => a.at - b.at);
  return attempts.map((a, i) => ({ id: `demo-${i + 1}`, occurredAt: new Date(a.at).toISOString(), ...a.event }));
}

function storyAttempts(story: DemoStory, end: number, random: Random, newMessage: (key: DemoConnectorKey) => Message) {
  const expected = story.outage ? Math.round(expectedMessages(story.connector, story.from, story.to)) : 0;
  const count = Math.max(story.minMessages, expected);
  const attempts: Attempt[] = [];
  for (let i = 0; i < count; i++) {
    const message = newMessage(story.connector);
    const failure = story.failure(i);
    for (const at of retryTimes(sampleTime(story.from, story.to, random), end, random)) {
      if (story.recoversAt !== null && at >= story.recoversAt) {
        attempts.push({ at, event: delivered(message, failure.destination) });
        break;
      }
      const { status, errorCode, errorDetails, destination } = failure;
      attempts.push({ at, event: { ...wire(message), status, errorCode, errorDetails, destination } });
      if (status === "failed") break;
    }
  }
  return attempts;
}

function healthyAttempts(
  connector: DemoConnector,
  stories: readonly DemoStory[],
  start: number,
  end: number,
  random: Random,
  newMessage: (key: DemoConnectorKey) => Message,
) {
  const own = stories.filter((s) => s.connector === connector.key);
  const attempts: Attempt[] = [];
  for (let slot = start; slot < end; slot += SLOT) {
    const count = Math.floor((HOURLY_RATE[connector.key] * trafficWeight(slot) * SLOT) / HOUR + random.next());
    for (let i = 0; i < count; i++) {
      const at = slot + Math.floor(random.next() * SLOT);
      const troubled = own.filter((s) => s.from <= at && at < (s.recoversAt ?? end));
      if (at >= end || troubled.some((s) => s.outage)) continue;
      // Healthy mail avoids a smart host that is failing at that moment.
      const failing = new Set(troubled.map((s) => s.failure(0).destination));
      const hosts = connector.smartHosts.filter((h) => !failing.has(h));
      attempts.push({ at, event: delivered(newMessage(connector.key), random.pick(hosts.length ? hosts : connector.smartHosts)) });
    }
  }
  return attempts;
}

function delivered(message: Message, destination: string): Attempt["event"] {
  return { ...wire(message), status: "delivered", destination };
}

function wire({ connector, messageId, sender, recipient }: Message) {
  return { connector: connector.name, messageId, sender, recipient };
}

/** First attempt, then retries with growing back-off, up to `end`. */
function retryTimes(first: number, end: number, random: Random): number[] {
  const times: number[] = [];
  for (let at = first, k = 0; at <= end; k++) {
    times.push(at);
    const minutes = RETRY_MINUTES[Math.min(k, RETRY_MINUTES.length - 1)] ?? 60;
    at += minutes * MINUTE + random.int(60) * 1000;
  }
  return times;
}

/** A moment in [from, to), denser in office hours. */
function sampleTime(from: number, to: number, random: Random): number {
  for (;;) {
    const at = from + Math.floor(random.next() * (to - from));
    if (random.next() * MAX_TRAFFIC_WEIGHT < Math.max(trafficWeight(at), MIN_STORY_WEIGHT)) return at;
  }
}

function expectedMessages(key: DemoConnectorKey, from: number, to: number): number {
  let total = 0;
  for (let at = from; at < to; at += SLOT) total += (HOURLY_RATE[key] * trafficWeight(at) * Math.min(SLOT, to - at)) / HOUR;
  return total;
}
