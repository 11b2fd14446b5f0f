// Presentation mode's steps: the persona first (when the journey has one), then one stage at
// a time; the arrow keys (and Page Up/Down, Space, Home, End) move, Escape leaves. The emotion
// curve is drawn up to the stage shown.
import type { JourneyDoc } from "../api/journey";

export type Slide = { kind: "persona" } | { kind: "stage"; index: number };

export function slidesOf(
  doc: Pick<JourneyDoc, "personas" | "stages">,
): Slide[] {
  const stages = doc.stages.map((_, index): Slide => ({
    kind: "stage",
    index,
  }));
  return doc.personas.length > 0 ? [{ kind: "persona" }, ...stages] : stages;
}

export type Move = { to: number } | "leave" | null;

/** Where a key takes the presentation from slide `at` of `count`: null for keys it leaves
 * alone (so the browser's own keys keep working). */
export function keyMove(
  key: string,
  at: number,
  count: number,
  shift = false,
): Move {
  const last = Math.max(count - 1, 0);
  switch (key) {
    case "ArrowRight":
    case "ArrowDown":
    case "PageDown":
      return { to: Math.min(at + 1, last) };
    case " ":
      return { to: shift ? Math.max(at - 1, 0) : Math.min(at + 1, last) };
    case "ArrowLeft":
    case "ArrowUp":
    case "PageUp":
      return { to: Math.max(at - 1, 0) };
    case "Home":
      return { to: 0 };
    case "End":
      return { to: last };
    case "Escape":
      return "leave";
    default:
      return null;
  }
}

/** How many stages the curve is drawn through on slide `at`: none on the persona, then the
 * stages shown so far. */
export function stagesShown(slides: readonly Slide[], at: number): number {
  const slide = slides[at];
  return slide?.kind === "stage" ? slide.index + 1 : 0;
}

/** "Stage 2 of 5: Consideration" — what a screen reader hears on each slide. */
export function slideWords(
  doc: Pick<JourneyDoc, "stages">,
  slide: Slide | undefined,
): string {
  if (!slide) return "";
  if (slide.kind === "persona") return "The persona";
  const stage = doc.stages[slide.index];
  return `Stage ${slide.index + 1} of ${doc.stages.length}: ${stage?.name ?? ""}`;
}
