// Pure: the time of a trace row as an ISO 8601 instant (UTC, milliseconds). Exchange writes its
// times in UTC: the admin center's reports and tracking logs in ISO 8601 (up to seven fraction
// digits), Export-Csv in the exporting machine's culture: `11/27/2026 10:04:05 AM` (en-US, month
// first, with AM/PM), `2026-11-27 10:04:05` (sv-SE), `27.11.2026 10:04:05` (de-DE),
// `27/11/2026 10:04:05` (en-GB, fr-FR: slashes without AM/PM put the day first). A time without
// a zone is UTC, as the cmdlets document.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_MONTH = /^(\d{1,2})([./])(\d{1,2})\2(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?$/i;

export function parseTraceDate(raw: string): string | null {
  const text = raw.trim();
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, fraction, zone] = iso;
    const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
    return instant(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), ms, offsetMinutes(zone));
  }
  const local = DAY_MONTH.exec(text);
  if (!local) return null;
  const [, first, separator, second, y, h, mi, s, ampm] = local;
  const monthFirst = separator === "/" && ampm !== undefined;
  const hour = ampm ? twelveHour(Number(h), ampm.toUpperCase() as "AM" | "PM") : Number(h);
  if (hour === null) return null;
  const [month, day] = monthFirst ? [Number(first), Number(second)] : [Number(second), Number(first)];
  return instant(Number(y), month, day, hour, Number(mi), Number(s ?? 0), 0, 0);
}

function instant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number | null): string | null {
  if (offset === null || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const time = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
  const date = new Date(time);
  // 31 February rolls over into March: not a date.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function offsetMinutes(zone: string | undefined): number | null {
  if (!zone || zone.toUpperCase() === "Z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return null;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function twelveHour(h: number, ampm: "AM" | "PM"): number | null {
  if (h < 1 || h > 12) return null;
  return (h % 12) + (ampm === "PM" ? 12 : 0);
}
