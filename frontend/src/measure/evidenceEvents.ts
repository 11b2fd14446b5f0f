// One place that says "the journey's evidence changed": a refresh that ended well here announces
// it, the live socket tells of one stored elsewhere (another analyst's refresh or upload), and
// whatever draws evidence (the canvas, the found pain points) reads it again.
import { LIVE_NOTICE } from "../editing/liveTransport";

export const EVIDENCE_CHANGED = "journeymap:evidence-changed";

/** Announce that `journeyId`'s evidence was replaced (after a refresh). */
export function announceEvidenceChanged(journeyId: string): void {
  window.dispatchEvent(new CustomEvent(EVIDENCE_CHANGED, { detail: { journeyId } }));
}

/** Call `then` whenever `journeyId`'s evidence is replaced (announced here, or a live notice of
 * the open journey's socket); returns the way to stop. */
export function onEvidenceChanged(journeyId: string, then: () => void): () => void {
  const announced = (e: Event) => {
    if ((e as CustomEvent<{ journeyId: string }>).detail.journeyId === journeyId) then();
  };
  const noticed = (e: Event) => {
    if ((e as CustomEvent<string>).detail === "evidence") then();
  };
  window.addEventListener(EVIDENCE_CHANGED, announced);
  window.addEventListener(LIVE_NOTICE, noticed);
  return () => {
    window.removeEventListener(EVIDENCE_CHANGED, announced);
    window.removeEventListener(LIVE_NOTICE, noticed);
  };
}
