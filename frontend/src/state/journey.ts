// The open journey: the document as the server last confirmed it, with its revision.
// Editing (issue 15) adds the person's pending operations on top; the grid reads `doc`, so it
// will then be the confirmed document with the pending operations applied.
import { create } from "zustand";
import { type Api, must } from "../api/client";
import { type JourneyDoc, readJourney } from "../api/journey";
import { messageOf } from "../api/problem";

export interface Confirmed {
  id: string;
  workspaceId: string;
  rev: number;
  doc: JourneyDoc;
}

export interface JourneyState {
  loading: boolean;
  error: string | null;
  errorStatus: number | null;
  server: Confirmed | null;
  doc: JourneyDoc | null;
  selected: string | null; // the card whose panel is open
  load: (api: Api, id: string) => Promise<void>;
  select: (cardId: string | null) => void;
  clear: () => void;
}

export const useJourney = create<JourneyState>()((set) => ({
  loading: false,
  error: null,
  errorStatus: null,
  server: null,
  doc: null,
  selected: null,
  load: async (api, id) => {
    set({ loading: true, error: null, errorStatus: null, selected: null });
    try {
      const answer = await must(
        api.GET("/api/journeys/{journey_id}", { params: { path: { journey_id: id } } }),
      );
      const doc = readJourney(answer.document);
      const server = { id: answer.id, workspaceId: answer.workspace_id, rev: answer.rev, doc };
      set({ loading: false, server, doc });
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      set({
        loading: false,
        server: null,
        doc: null,
        error: messageOf(error),
        errorStatus: typeof status === "number" ? status : null,
      });
    }
  },
  select: (cardId) => set({ selected: cardId }),
  clear: () => set({ server: null, doc: null, selected: null, error: null, errorStatus: null }),
}));
