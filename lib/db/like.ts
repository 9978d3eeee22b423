// Pure: user text inside a LIKE pattern (what Prisma's `contains`, `startsWith` and `endsWith`
// build, with backslash as Postgres' escape character) matches only itself: `%` and `_` are
// characters like any other, not wildcards.
export function likeLiteral(text: string): string {
  return text.replace(LIKE_SPECIAL, "\\$&");
}

const LIKE_SPECIAL = /[\\%_]/g;
