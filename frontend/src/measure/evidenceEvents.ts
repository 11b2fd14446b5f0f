// One place that says "the journey's evidence changed": a refresh that ended well announces it,
// and whatever draws evidence (the canvas) listens and reads GET .../evidence again.
export const EVIDENCE_CHANGED = "journeymap:evidence-changed";

/** Announce that `journeyId`'s evidence was replaced (after a refresh). */
export function announceEvidenceChanged(journeyId: string): void {
  window.dispatchEvent(
    new CustomEvent(EVIDENCE_CHANGED, { detail: { journeyId } }),
  );
}

/** Call `then` whenever `journeyId`'s evidence is replaced; returns the way to stop. */
export function onEvidenceChanged(
  journeyId: string,
  then: () => void,
): () => void {
  const heard = (e: Event) => {
    if (
      (e as CustomEvent<{ journeyId: string }>).detail.journeyId === journeyId
    )
      then();
  };
  window.addEventListener(EVIDENCE_CHANGED, heard);
  return () => window.removeEventListener(EVIDENCE_CHANGED, heard);
}
