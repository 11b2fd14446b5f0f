import { useEffect, useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { Link } from "../app/Link";
import { paths } from "../app/router";
import { Shell } from "../app/Shell";
import { StateSwitch } from "../future/StateSwitch";
import { DataPanel } from "../measure/DataPanel";
import { PainPointsPanel } from "../measure/PainPointsPanel";
import { ExportMenu } from "../panels/ExportMenu";
import { MeasureBar } from "../measure/MeasureBar";
import { CommentsHost } from "../comments/CommentsHost";
import { CommentsButton, CommentsPanel } from "../comments/CommentsPanel";
import { useComments } from "../comments/store";
import { PresentLink } from "../present/PresentLink";
import { ImportSheet } from "../panels/ImportSheet";
import { SharePanel } from "../panels/SharePanel";
import { useJourney } from "../state/journey";
import { useSession } from "../state/session";
import { OverwriteNotices, PresenceList, PresenceOverlay } from "./LivePresence";
import { EditBar } from "./EditBar";
import { type Editor, EditorContext } from "./EditorContext";
import { MapView } from "./MapView";
import { useEditShortcuts } from "./shortcuts";

export function JourneyPage({ journeyId }: { journeyId: string }) {
  const api = useSession((s) => s.api);
  const ended = useSession((s) => s.ended);
  const owner = useSession((s) => s.user?.id ?? "");
  const myName = useSession((s) => s.user?.display_name ?? "");
  const { load, doc, server, error, errorStatus, loading, selected, select } = useJourney(
    useShallow((s) => ({
      load: s.load,
      doc: s.doc,
      server: s.server,
      error: s.error,
      errorStatus: s.errorStatus,
      loading: s.loading,
      selected: s.selected,
      select: s.select,
    })),
  );
  const canEdit = useJourney((s) => s.canEdit);
  const edit = useJourney((s) => s.edit);
  const refusals = useJourney((s) => s.refusals);
  const refusalFor = useJourney((s) => s.refusalFor);
  const queue = useJourney((s) => s.queue);
  const [said, setSaid] = useState("");
  const commentsOpen = useComments((s) => s.panel !== null);

  useEffect(() => {
    void load(api, journeyId, owner, myName);
  }, [api, load, journeyId, owner, myName]);
  useEffect(() => {
    if (errorStatus === 401) ended();
  }, [errorStatus, ended]);
  useEffect(() => {
    if (doc) document.title = `${doc.title} · journeymap`;
  }, [doc]);
  useEffect(() => {
    if (!queue) return;
    // Back online (the browser says so): try at once instead of waiting out the backoff.
    const online = () => void queue.wake();
    // Leaving with edits unsent: the browser asks first; they are kept for the next visit.
    const leaving = (e: BeforeUnloadEvent) => {
      // Text being typed is kept on blur: keep it now, so it counts as unsaved.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      if (queue.pending.length === 0) return;
      void queue.flush();
      e.preventDefault(); // the browser then asks "Leave site?"
    };
    window.addEventListener("online", online);
    window.addEventListener("beforeunload", leaving);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("beforeunload", leaving);
      void queue.flush();
    };
  }, [queue]);

  const editor = useMemo<Editor | null>(
    () =>
      canEdit
        ? {
            edit,
            refusalFor,
            // A new string each time, so the same words twice are said twice.
            announce: (text) => setSaid((was) => (was === text ? `${text}\u00a0` : text)),
          }
        : null,
    // `refusals` changes whenever a refusal comes or goes: parts re-read their message.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [canEdit, edit, refusalFor, refusals],
  );
  useEditShortcuts(editor !== null);

  const back = server ? (
    <Link href={paths.library(server.workspaceId)} className="back">
      ← Library
    </Link>
  ) : null;
  return (
    <Shell wide>
      {loading && !doc && <p className="muted page-pad">Loading the map…</p>}
      {error && (
        <div className="page-pad">
          <p className="form-error" role="alert">
            {error}
          </p>
          <Link href={paths.home()}>Back to your journeys</Link>
        </div>
      )}
      {doc && server && server.id === journeyId && (
        // The comments (badges, threads) are the team's: on this page, never on a share link's.
        <CommentsHost journeyId={journeyId} workspaceId={server.workspaceId}>
        <EditorContext.Provider value={editor}>
          <MapView
            doc={doc}
            selected={selected}
            onSelect={select}
            viewsOf={journeyId}
            people={<PresenceList />}
            banner={<MeasureBar journeyId={journeyId} doc={doc} />}
            overlay={<PresenceOverlay selected={selected} />}
            stateSwitch={<StateSwitch journeyId={journeyId} doc={doc} canEdit={editor !== null} />}
            aside={commentsOpen ? <CommentsPanel doc={doc} /> : null}
            tools={
              <div className="map-actions">
                {back}
                {editor && <EditBar />}
                <Link href={paths.history(journeyId)}>History</Link>
                {editor && <DataPanel journeyId={journeyId} workspaceId={server.workspaceId} />}
                <PainPointsPanel journeyId={journeyId} canEdit={editor !== null} />
                <ExportMenu journeyId={journeyId} />
                <ImportSheet
                  journeyId={journeyId}
                  onImported={() => void load(api, journeyId, owner, myName)}
                />
                <SharePanel journeyId={journeyId} />
                <CommentsButton />
                <PresentLink href={paths.present(journeyId)} />
              </div>
            }
          />
          <OverwriteNotices canRestore={editor !== null} />
          <p className="visually-hidden" role="status" aria-live="polite">
            {said}
          </p>
        </EditorContext.Provider>
        </CommentsHost>
      )}
    </Shell>
  );
}
