// The comments of the signed-in map: loads them and the workspace's members, reads them again
// when the live socket says they changed (or every 30 s without it), opens the thread an
// address names (?thread=card:ID, from "Mentions of me"), and tells the map's parts that
// comments are on (a share link's page has no host, so no badge and no thread).
import { createContext, type ReactNode, useContext, useEffect } from "react";
import { useJourney } from "../state/journey";
import { useSession } from "../state/session";
import { useComments } from "./store";
import { parseTarget } from "./threads";

const CommentsOn = createContext(false);

export function useCommentsOn(): boolean {
  return useContext(CommentsOn);
}

const POLL_MS = 30_000;

export function CommentsHost(props: {
  journeyId: string;
  workspaceId: string;
  children: ReactNode;
}) {
  const { journeyId, workspaceId } = props;
  const api = useSession((s) => s.api);
  const me = useSession((s) => s.user?.id ?? "");
  const live = useJourney((s) => s.live);

  useEffect(() => {
    const store = useComments.getState();
    void store.start(api, journeyId, workspaceId, me).catch(() => undefined);
    // The thread an address names: a card's opens with the card, a stage's in the panel.
    const target = parseTarget(
      new URLSearchParams(window.location.search).get("thread"),
    );
    if (target?.kind === "card") useJourney.getState().select(target.id);
    else if (target) store.openPanel(target);
    return () => useComments.getState().stop();
  }, [api, journeyId, workspaceId, me]);

  useEffect(() => {
    let seen = live?.commentNotices ?? 0;
    const off = live?.subscribe(() => {
      if (live.commentNotices !== seen) {
        seen = live.commentNotices;
        void useComments
          .getState()
          .refresh()
          .catch(() => undefined);
      }
    });
    const timer = setInterval(() => {
      if (!live || live.state !== "open")
        void useComments
          .getState()
          .refresh()
          .catch(() => undefined);
    }, POLL_MS);
    return () => {
      off?.();
      clearInterval(timer);
    };
  }, [live]);

  // A card opened closes the comments panel: its thread is in the card's own panel.
  useEffect(
    () =>
      useJourney.subscribe((s, was) => {
        if (s.selected && s.selected !== was.selected)
          useComments.getState().openPanel(null);
      }),
    [],
  );

  return (
    <CommentsOn.Provider value={true}>{props.children}</CommentsOn.Provider>
  );
}
