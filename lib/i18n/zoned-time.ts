// Pure: wall-clock times in a named time zone, for inputs that take a date and time (snooze).
// `<input type="datetime-local">` holds "2026-11-27T16:00" with no zone; the dashboard means
// the zone it shows times in.

/** "2026-11-27T16:00" in `timeZone` for the instant `date`. */
export function toZonedInput(date: Date, timeZone: string): string {
  const p = partsIn(date, timeZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The instant that reads as `input` ("2026-11-27T16:00") on a clock in `timeZone`; null if not a time. */
export function fromZonedInput(input: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(input);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(asUtc)) return null;
  // The zone's offset at the guess, then again at the corrected instant (it differs across a DST change).
  let instant = asUtc - offsetMs(new Date(asUtc), timeZone);
  instant = asUtc - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/** How far the zone's clock is ahead of UTC at `date`, in ms. */
function offsetMs(date: Date, timeZone: string): number {
  const p = partsIn(date, timeZone);
  const clock = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return clock - Math.floor(date.getTime() / 1000) * 1000;
}

function partsIn(date: Date, timeZone: string): Record<"year" | "month" | "day" | "hour" | "minute" | "second", string> {
  const out: Record<string, string> = {};
  for (const part of formatIn(timeZone).formatToParts(date)) out[part.type] = part.value;
  return out as Record<"year" | "month" | "day" | "hour" | "minute" | "second", string>;
}

// Making a formatter costs hundreds of microseconds, using one a few: a log reader converts every line.
const FORMATS = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    FORMATS.set(timeZone, format);
  }
  return format;
}
