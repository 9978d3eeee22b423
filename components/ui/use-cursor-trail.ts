import { useState } from "react";

/**
 * Keyset paging state for a Pager: the cursors of the pages visited so far, the last one the
 * current page's (none: the first page). `back` and `forward` are undefined where there is no page.
 */
export function useCursorTrail() {
  const [trail, setTrail] = useState<string[]>([]);
  return {
    cursor: trail.at(-1),
    back: trail.length > 0 ? () => setTrail(trail.slice(0, -1)) : undefined,
    forward: (next: string | null | undefined) => (next ? () => setTrail([...trail, next]) : undefined),
    reset: () => setTrail([]),
  };
}
