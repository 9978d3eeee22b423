import type { Formats } from "next-intl";

// Named formats, so every page shows dates and numbers the same way in both languages.
export const formats = {
  dateTime: {
    short: { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" },
    // Detail views name the zone (the browser's, see TimeZoneSync).
    long: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" },
    time: { hour: "2-digit", minute: "2-digit", second: "2-digit" },
    hour: { hour: "2-digit", minute: "2-digit" },
    day: { day: "numeric", month: "short" },
  },
  number: {
    integer: { maximumFractionDigits: 0 },
  },
} satisfies Formats;
