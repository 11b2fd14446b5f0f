// Saved views of one journey on the server (GET/POST/PUT/DELETE /api/journeys/{id}/views):
// the person's own and those shared with the team. Who may share, change and delete is the
// server's rule; the bar repeats its words when it refuses.
import { useCallback, useEffect, useRef, useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import { useSession } from "../state/session";
import type { SavedView, View } from "./rules";

export interface SavedViews {
  views: SavedView[];
  error: string | null;
  save: (name: string, settings: View, shared: boolean) => Promise<SavedView | null>;
  update: (view: SavedView, settings: View) => Promise<SavedView | null>;
  remove: (view: SavedView) => Promise<boolean>;
}

/** The journey's saved views; `onFirstList` is called once, with the first list read. */
export function useSavedViews(
  journeyId: string | undefined,
  onFirstList?: (views: SavedView[]) => void,
): SavedViews {
  const api = useSession((s) => s.api);
  const [views, setViews] = useState<SavedView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const first = useRef(onFirstList);
  const path = { journey_id: journeyId ?? "" };

  const list = useCallback(
    () => must(api.GET("/api/journeys/{journey_id}/views", { params: { path: { journey_id: journeyId ?? "" } } })),
    [api, journeyId],
  );
  useEffect(() => {
    if (!journeyId) return;
    let live = true;
    list()
      .then((found) => {
        if (!live) return;
        setViews(found);
        first.current?.(found);
        first.current = undefined;
      })
      .catch((failure: unknown) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
  }, [list, journeyId]);
  const reload = async () => setViews(await list());

  const attempt = async <T,>(call: () => Promise<T>): Promise<T | null> => {
    setError(null);
    try {
      const done = await call();
      await reload();
      return done;
    } catch (failure) {
      setError(messageOf(failure));
      return null;
    }
  };
  return {
    views,
    error,
    save: (name, settings, shared) =>
      attempt(() =>
        must(api.POST("/api/journeys/{journey_id}/views", { params: { path }, body: { name, shared, settings } })),
      ),
    update: (view, settings) =>
      attempt(() =>
        must(
          api.PUT("/api/journeys/{journey_id}/views/{view_id}", {
            params: { path: { ...path, view_id: view.id }, header: { "If-Match": view.etag } },
            body: { name: view.name, shared: view.shared, settings },
          }),
        ),
      ),
    remove: async (view) =>
      (await attempt(async () => {
        await must(
          api.DELETE("/api/journeys/{journey_id}/views/{view_id}", {
            params: { path: { ...path, view_id: view.id }, header: { "If-Match": view.etag } },
          }),
        );
        return true;
      })) === true,
  };
}
