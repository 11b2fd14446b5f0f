// Bring the first highlighted card into view when a comparison opens: on a wide map the change
// may sit far off to the right, and the user came to see it.
import { useEffect } from "react";

export function useRevealFirstChange(key: unknown): void {
  useEffect(() => {
    if (key == null) return;
    const first = document.querySelector(".map-canvas .card[class*='change-']");
    first?.scrollIntoView({ block: "center", inline: "center" });
  }, [key]);
}
