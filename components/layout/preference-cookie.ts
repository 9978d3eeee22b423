// The dashboard's preference cookies (language, time zone): set in the browser, read by the
// server when it renders, kept for a year.

export function savePreference(name: string, value: string): void {
  document.cookie = `${name}=${value}; path=/; max-age=31536000; samesite=lax`;
}

export function readPreference(name: string): string | undefined {
  return document.cookie.split("; ").find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
}
