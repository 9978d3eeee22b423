import { Button } from "@/components/ui/button";

type Props = {
  label: string;
  previousLabel: string;
  nextLabel: string;
  onPrevious?: () => void;
  onNext?: () => void;
};

/** Keyset pagination: forward by cursor, back through the cursors already visited. */
export function Pager({ label, previousLabel, nextLabel, onPrevious, onNext }: Readonly<Props>) {
  if (!onPrevious && !onNext) return null;
  return (
    <nav aria-label={label} className="flex items-center justify-end gap-2 pt-3">
      <Button size="sm" onClick={onPrevious} disabled={!onPrevious}>
        <span aria-hidden="true">←</span> {previousLabel}
      </Button>
      <Button size="sm" onClick={onNext} disabled={!onNext}>
        {nextLabel} <span aria-hidden="true">→</span>
      </Button>
    </nav>
  );
}
