// The open journey: the document as the server last confirmed it, with the person's pending
// operations on top (editing/opQueue.ts). The grid reads `doc`, which is always the queue's
// journey: an edit shows at once, a refused one is rolled back, and a re-read after someone
// else's change comes in under what is still pending.
import { create } from "zustand";
import { type Api, must } from "../api/client";
import { type JourneyDoc, readJourney } from "../api/journey";
import { messageOf } from "../api/problem";
import { EditError } from "../editing/applyOp";
import { fromDocument, toDocument } from "../editing/model";
import { OpQueue, type Refusal, type SaveStatus } from "../editing/opQueue";
import type { Op, Target } from "../editing/ops";
import { PendingStore } from "../editing/persistence";
import { apiTransport } from "../editing/transport";
import {
  LiveClient,
  type LiveState,
  type OverwriteNotice,
  type Person,
  type SocketLike,
} from "../editing/liveTransport";

export interface Confirmed {
  id: string;
  workspaceId: string;
  rev: number;
  doc: JourneyDoc;
}

/** Roles that may change a journey; viewers and commenters only read (the API agrees). */
const WRITERS = new Set(["editor", "owner"]);

export interface JourneyState {
  loading: boolean;
  error: string | null;
  errorStatus: number | null;
  server: Confirmed | null;
  doc: JourneyDoc | null;
  selected: string | null; // the card whose panel is open
  canEdit: boolean;
  queue: OpQueue | null;
  /** The queue the live socket feeds: the editor's, or a viewer's that never sends. */
  feed: OpQueue | null;
  live: LiveClient | null;
  liveState: LiveState;
  people: Person[];
  overwrites: OverwriteNotice[];
  save: SaveStatus;
  refusals: Refusal[];
  notice: string | null; // an edit that could not apply on screen, said once
  canUndo: boolean;
  canRedo: boolean;
  /** Open a journey; `owner` (the signed-in user's id) keys the edits kept over a reload. */
  load: (api: Api, id: string, owner?: string, name?: string) => Promise<void>;
  /** Where I am on the map (the card I edit, my cursor), for the others. */
  setPresence: (data: {
    card?: string | null;
    dragging?: boolean;
    cursor?: { x: number; y: number } | null;
  }) => void;
  restoreOverwrite: (key: string) => void;
  dismissOverwrite: (key: string) => void;
  select: (cardId: string | null) => void;
  /** One user action; false (and `notice` says why) when it cannot apply. */
  edit: (ops: Op | Op[]) => boolean;
  undo: () => void;
  redo: () => void;
  refusalFor: (target: Target) => string | undefined;
  dismissNotice: () => void;
  clear: () => void;
}

const SAVED: SaveStatus = { state: "saved", waiting: 0, text: "Saved" };

async function readAt(api: Api, id: string) {
  const answer = await must(
    api.GET("/api/journeys/{journey_id}", {
      params: { path: { journey_id: id } },
    }),
  );
  return answer;
}

async function roleIn(api: Api, workspaceId: string): Promise<string | null> {
  try {
    const ws = await must(
      api.GET("/api/workspaces/{workspace_id}", {
        params: { path: { workspace_id: workspaceId } },
      }),
    );
    return ws.role;
  } catch {
    return null; // not knowing the role: read-only, the safe side
  }
}

let loads = 0;

/** The live socket's address on this page's own origin (the session cookie signs it in). */
function liveUrl(journeyId: string): string | null {
  if (typeof WebSocket === "undefined" || typeof location === "undefined") return null;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/journeys/${encodeURIComponent(journeyId)}/live`;
}

export const useJourney = create<JourneyState>()((set, get) => {
  /** The queue's state into the store: what the grid, the status and the panels read. */
  const publish = (queue: OpQueue): void => {
    if (get().feed !== queue) return;
    const server = get().server;
    set({
      doc: readJourney(toDocument(queue.journey)),
      server: server ? { ...server, rev: queue.rev } : server,
      save: queue.status(),
      refusals: queue.refused,
      canUndo: queue.history.canUndo,
      canRedo: queue.history.canRedo,
    });
  };
  const act = (run: (queue: OpQueue) => unknown): boolean => {
    const queue = get().queue;
    if (!queue || !get().canEdit) return false;
    try {
      run(queue);
      set({ notice: null });
      publish(queue);
      return true;
    } catch (error) {
      if (!(error instanceof EditError)) throw error;
      set({ notice: `That change could not be made: ${error.message}.` });
      publish(queue);
      return false;
    }
  };
  return {
    loading: false,
    error: null,
    errorStatus: null,
    server: null,
    doc: null,
    selected: null,
    canEdit: false,
    queue: null,
    save: SAVED,
    refusals: [],
    notice: null,
    canUndo: false,
    canRedo: false,
    feed: null,
    live: null,
    liveState: "closed",
    people: [],
    overwrites: [],
    setPresence: (data) => get().live?.setPresence(data),
    restoreOverwrite: (key) => void act(() => get().live?.restore(key)),
    dismissOverwrite: (key) => get().live?.dismiss(key),
    load: async (api, id, owner = "", name = "") => {
      get().queue?.dispose();
      get().feed?.dispose();
      get().live?.stop();
      const ticket = ++loads; // a later load wins: an earlier answer arriving late is dropped
      set({
        loading: true,
        error: null,
        errorStatus: null,
        selected: null,
        queue: null,
        feed: null,
        live: null,
        people: [],
        overwrites: [],
      });
      try {
        const answer = await readAt(api, id);
        const role = await roleIn(api, answer.workspace_id);
        if (ticket !== loads) return;
        const doc = readJourney(answer.document);
        const server = {
          id: answer.id,
          workspaceId: answer.workspace_id,
          rev: answer.rev,
          doc,
        };
        const canEdit = role !== null && WRITERS.has(role);
        const url = liveUrl(answer.id);
        let live: LiveClient | null = null;
        const rest = apiTransport(api);
        const feed = new OpQueue({
          journeyId: answer.id,
          rev: answer.rev,
          journey: fromDocument(answer.document),
          send: (journeyId, batch) => (live ? live.transport(rest) : rest)(journeyId, batch),
          ...(canEdit
            ? {
                read: async (journeyId: string) => {
                  const fresh = await readAt(api, journeyId);
                  return {
                    rev: fresh.rev,
                    journey: fromDocument(fresh.document),
                  };
                },
                store: PendingStore.local(owner),
              }
            : {}),
        });
        const queue = canEdit ? feed : null;
        if (url) {
          live = new LiveClient({
            url,
            connect: (u) => new WebSocket(u) as unknown as SocketLike,
            queue: feed,
            fromSnapshot: (snapshot) =>
              fromDocument((snapshot as { document: Parameters<typeof fromDocument>[0] }).document),
            onReload: () => void get().load(api, id, owner, name),
          });
          live.setPresence({ name, card: null, cursor: null });
          const client = live;
          live.subscribe(() => {
            if (get().live !== client) return;
            set({
              liveState: client.state,
              people: [...client.people.values()],
              overwrites: client.notices,
            });
          });
        }
        set({
          loading: false,
          server,
          doc,
          canEdit,
          queue,
          feed,
          live,
          save: SAVED,
          notice: null,
        });
        feed.subscribe(() => publish(feed));
        publish(feed); // edits left pending from before a reload are on screen at once
        live?.start();
      } catch (error) {
        if (ticket !== loads) return;
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
    edit: (ops) => act((queue) => queue.edit(ops)),
    undo: () => void act((queue) => queue.undo()),
    redo: () => void act((queue) => queue.redo()),
    refusalFor: (target) => get().queue?.refusalFor(target),
    dismissNotice: () => set({ notice: null }),
    clear: () => {
      get().queue?.dispose();
      get().feed?.dispose();
      get().live?.stop();
      set({
        server: null,
        doc: null,
        selected: null,
        error: null,
        errorStatus: null,
        queue: null,
        feed: null,
        live: null,
        people: [],
        overwrites: [],
        canEdit: false,
        save: SAVED,
        refusals: [],
        notice: null,
      });
    },
  };
});
