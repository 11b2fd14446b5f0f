// The open journey's evidence, read with the journey and read again when the journey changes
// (the server names what went stale against the journey as it is now), and the lens the canvas
// shows it through. Cards and stage heads read it from here, so the grid needs no new props.
import { create } from "zustand";
import { type Api, must } from "../api/client";
import { ApiError, messageOf } from "../api/problem";
import { ALL, type EvidencePublic, type EvidenceSet, type Lens, readEvidence, validLens } from "./evidence";

export type Panel = "funnel" | "paths" | "heatmap" | "voice";

export interface MeasureState {
  journeyId: string | null;
  /** loading; none: never measured (404); ok; unreadable: a format this app cannot draw. */
  status: "idle" | "loading" | "none" | "ok" | "unreadable" | "error";
  error: string | null;
  answer: EvidencePublic | null;
  evidence: EvidenceSet | null;
  lens: Lens;
  panel: Panel | null;
  load: (api: Api, journeyId: string) => Promise<void>;
  setLens: (lens: Lens) => void;
  setPanel: (panel: Panel | null) => void;
  /** Forget the journey's evidence (its map closed): the next map never shows it. */
  reset: () => void;
}

let asked = 0; // the newest request wins: an older answer arriving late is dropped

export const useMeasure = create<MeasureState>()((set, get) => ({
  journeyId: null,
  status: "idle",
  error: null,
  answer: null,
  evidence: null,
  lens: ALL,
  panel: null,
  load: async (api, journeyId) => {
    const mine = ++asked;
    const other = get().journeyId !== journeyId;
    if (other) {
      set({ journeyId, status: "loading", answer: null, evidence: null, lens: ALL, panel: null, error: null });
    }
    try {
      const answer = await must(
        api.GET("/api/journeys/{journey_id}/evidence", { params: { path: { journey_id: journeyId } } }),
      );
      if (mine !== asked) return;
      const evidence = readEvidence(answer);
      set({
        answer,
        evidence,
        status: evidence ? "ok" : "unreadable",
        error: null,
        lens: validLens(evidence, get().lens),
      });
    } catch (error) {
      if (mine !== asked) return;
      if (error instanceof ApiError && error.status === 404) {
        set({ answer: null, evidence: null, status: "none", error: null, lens: ALL });
      } else {
        // Keep what was shown: a failed re-read leaves the last figures (marked by the error).
        set({ status: get().evidence ? "ok" : "error", error: messageOf(error) });
      }
    }
  },
  setLens: (lens) => set({ lens: validLens(get().evidence, lens) }),
  setPanel: (panel) => set({ panel }),
  reset: () => {
    asked++; // an answer still on its way is for a map no longer open
    set({ journeyId: null, status: "idle", error: null, answer: null, evidence: null, lens: ALL, panel: null });
  },
}));
