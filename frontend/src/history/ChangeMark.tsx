// A card's change in a comparison, in words: a badge ("Added", "Moved, changed") that is part of
// the card's name, and the details for a screen reader. Colour and outline only repeat it.
import type { Mark } from "./changes";

export function ChangeMark({ mark }: { mark: Mark }) {
  return (
    <span className="change-badge">
      {mark.label}
      {mark.details.length > 0 && (
        <span className="visually-hidden"> ({mark.details.join("; ")})</span>
      )}
      <span className="visually-hidden">: </span>
    </span>
  );
}
