// The open journey's comments, the workspace's members (for @mention completion) and which
// thread the comments panel shows. Loaded by CommentsHost on the signed-in map only: a share
// link's page never reads them.
import { create } from "zustand";
import { type Api, must } from "../api/client";
import type { Member } from "./mentionMatch";
import { type Comment, openCounts, type Target } from "./threads";

export interface CommentsState {
  api: Api | null;
  journeyId: string | null;
  comments: Comment[];
  /** Open threads per target ("card:id"), for the badges. */
  counts: Map<string, number>;
  members: Member[];
  /** The signed-in person's role in the journey's workspace (from the members list). */
  myRole: string | null;
  error: string | null;
  /** The comments panel: a stage's (or card's) threads, every thread ("all"), or closed. */
  panel: Target | "all" | null;
  start: (
    api: Api,
    journeyId: string,
    workspaceId: string,
    me: string,
  ) => Promise<void>;
  stop: () => void;
  refresh: () => Promise<void>;
  add: (target: Target, text: string) => Promise<void>;
  reply: (root: Comment, text: string) => Promise<void>;
  setResolved: (root: Comment, resolved: boolean) => Promise<void>;
  openPanel: (panel: Target | "all" | null) => void;
}

export const useComments = create<CommentsState>()((set, get) => {
  const path = () => ({
    params: { path: { journey_id: get().journeyId ?? "" } },
  });
  const put = (comments: Comment[]) =>
    set({ comments, counts: openCounts(comments) });
  const merge = (made: Comment) => {
    const was = get().comments;
    put(
      was.some((c) => c.id === made.id)
        ? was.map((c) => (c.id === made.id ? made : c))
        : [...was, made],
    );
  };
  return {
    api: null,
    journeyId: null,
    comments: [],
    counts: new Map(),
    members: [],
    myRole: null,
    error: null,
    panel: null,
    start: async (api, journeyId, workspaceId, me) => {
      set({
        api,
        journeyId,
        members: [],
        myRole: null,
        error: null,
        panel: null,
      });
      put([]);
      const members = await must(
        api.GET("/api/workspaces/{workspace_id}/members", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ).catch(() => null); // completion is a help: without it mentions still work
      const myRole = members?.find((m) => m.user_id === me)?.role ?? null;
      if (get().journeyId === journeyId)
        set({ members: members ?? [], myRole });
      await get().refresh();
    },
    stop: () => {
      set({ api: null, journeyId: null, members: [], panel: null });
      put([]);
    },
    refresh: async () => {
      const { api, journeyId } = get();
      if (!api || !journeyId) return;
      const comments = await must(
        api.GET("/api/journeys/{journey_id}/comments", path()),
      );
      if (get().journeyId === journeyId) put(comments);
    },
    add: async (target, text) => {
      const { api } = get();
      if (!api) return;
      merge(
        await must(
          api.POST("/api/journeys/{journey_id}/comments", {
            ...path(),
            body: { text, target_kind: target.kind, target_id: target.id },
          }),
        ),
      );
    },
    reply: async (root, text) => {
      const { api } = get();
      if (!api) return;
      merge(
        await must(
          api.POST("/api/journeys/{journey_id}/comments", {
            ...path(),
            body: { text, parent_id: root.id },
          }),
        ),
      );
    },
    setResolved: async (root, resolved) => {
      const { api, journeyId } = get();
      if (!api || !journeyId) return;
      merge(
        await must(
          api.PATCH("/api/journeys/{journey_id}/comments/{comment_id}", {
            params: {
              path: { journey_id: journeyId, comment_id: root.id },
              header: { "If-Match": root.etag },
            },
            body: { resolved },
          }),
        ),
      );
    },
    openPanel: (panel) => set({ panel }),
  };
});
