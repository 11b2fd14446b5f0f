// A journey's history: its revisions (who, when, what), one of them drawn read-only on the grid
// with the changes it made highlighted (versus the revision before it, as document editors show
// a version), any two revisions or named versions compared, a revision restored (as a new
// revision, after a confirmation) and named.
import { useCallback, useEffect, useMemo, useState } from "react";
import { messageOf } from "../api/problem";
import { ConfirmDialog } from "../app/ConfirmDialog";
import { Link } from "../app/Link";
import { paths, useRouter } from "../app/router";
import { Shell } from "../app/Shell";
import { EditorContext } from "../editor/EditorContext";
import { MapView } from "../editor/MapView";
import { useSession } from "../state/session";
import {
  type Compared,
  type Head,
  loadHead,
  loadPair,
  loadRevisions,
  loadVersions,
  nameVersion,
  restore,
} from "./api";
import { ChangeLegend } from "./ChangeLegend";
import { ChangeList } from "./ChangeList";
import { countLine } from "./changes";
import { ComparePicker } from "./ComparePicker";
import { useRevealFirstChange } from "./reveal";
import { ChangeMarks } from "./marksContext";
import { RevisionList } from "./RevisionList";
import { VersionsSection } from "./VersionsSection";
import {
  choices,
  type Pair,
  pairFor,
  pairFromQuery,
  pairText,
  queryOf,
  type Revision,
  type Version,
} from "./revisions";
import "./history.css";

export function HistoryPage({ journeyId }: { journeyId: string }) {
  const api = useSession((s) => s.api);
  const navigate = useRouter((s) => s.navigate);
  const [head, setHead] = useState<Head | null>(null);
  const [items, setItems] = useState<Revision[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [pair, setPair] = useState<Pair | null>(null);
  const [shown, setShown] = useState<Compared | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  useRevealFirstChange(shown);
  const [confirming, setConfirming] = useState(false);
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([
      loadHead(api, journeyId),
      loadRevisions(api, journeyId),
      loadVersions(api, journeyId),
    ])
      .then(([h, page, vs]) => {
        if (!live) return;
        setHead(h);
        setItems(page.items);
        setNextBefore(page.nextBefore);
        setVersions(vs);
        setPair(pairFromQuery(window.location.search, h.rev) ?? pairFor(h.rev));
        document.title = `History of ${h.title} · journeymap`;
      })
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [api, journeyId]);

  useEffect(() => {
    if (!pair) return;
    if (head) {
      // The open pair in the address, so the link opens it again (no new history entry).
      const here = window.location.pathname + queryOf(pair, head.rev);
      window.history.replaceState(null, "", here);
    }
    let live = true;
    loadPair(api, journeyId, pair)
      .then((found) => live && setShown(found))
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [api, journeyId, pair, head]);

  const open = useCallback((rev: number) => {
    setSelected(null);
    setPair(pairFor(rev));
  }, []);
  const more = async () => {
    if (nextBefore === null) return;
    const page = await loadRevisions(api, journeyId, nextBefore);
    setItems((was) => [...was, ...page.items]);
    setNextBefore(page.nextBefore);
  };
  const doRestore = async () => {
    if (!head || !pair) return;
    setBusy(true);
    setRestoreError(null);
    try {
      await restore(api, journeyId, pair.to, head.rev);
      navigate(paths.journey(journeyId));
    } catch (failure) {
      setRestoreError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const name = async (text: string) => {
    if (!pair) return;
    try {
      await nameVersion(api, journeyId, text, pair.to);
    } catch (failure) {
      throw new Error(messageOf(failure));
    }
    setVersions(await loadVersions(api, journeyId));
  };

  const options = useMemo(() => (head ? choices(head.rev, versions) : []), [head, versions]);
  const isCurrent = head !== null && pair !== null && pair.to === head.rev;

  return (
    <Shell wide>
      {error && (
        <div className="page-pad">
          <p className="form-error" role="alert">
            {error}
          </p>
          <Link href={paths.journey(journeyId)}>Back to the map</Link>
        </div>
      )}
      {!error && (!head || !shown || !pair) && (
        <p className="muted page-pad">Loading the history…</p>
      )}
      {!error && head && shown && pair && (
        <div className="history-layout">
          <div className="history-map">
            <ChangeMarks.Provider value={shown.marks}>
              <EditorContext.Provider value={null}>
                <MapView
                  doc={shown.doc}
                  selected={selected}
                  onSelect={setSelected}
                  tools={
                    <div className="map-actions">
                      <Link href={paths.journey(journeyId)} className="back">
                        ← Back to the map
                      </Link>
                      {head.canEdit && !isCurrent && (
                        <button
                          type="button"
                          className="primary"
                          onClick={() => setConfirming(true)}
                        >
                          Restore this revision
                        </button>
                      )}
                    </div>
                  }
                  banner={
                    <div className="history-banner">
                      <p role="status">
                        <strong>History.</strong> {pairText(pair, head.rev, versions)}.{" "}
                        {pair.from !== null && countLine(shown.marks)}
                      </p>
                      {pair.from !== null && (
                        <ChangeLegend kinds={["added", "removed", "moved", "changed"]} />
                      )}
                    </div>
                  }
                />
              </EditorContext.Provider>
            </ChangeMarks.Provider>
          </div>
          <aside className="history-side" aria-label="History">
            <ComparePicker choices={options} pair={pair} onPick={setPair} />
            <ChangeList summary={shown.summary} from={pair.from} />
            <VersionsSection
              versions={versions}
              open={pair.to}
              canEdit={head.canEdit}
              onOpen={open}
              onName={name}
            />
            <RevisionList
              items={items}
              versions={versions}
              open={pair.to}
              onOpen={open}
              more={nextBefore !== null}
              onMore={() => void more()}
            />
          </aside>
        </div>
      )}
      {confirming && pair && (
        <ConfirmDialog
          title={`Restore revision ${pair.to}?`}
          body={`The map goes back to how it was at revision ${pair.to}, as a new revision: nothing is lost, and the history keeps every revision, so you can bring today's map back the same way.`}
          confirm="Restore"
          busy={busy}
          error={restoreError}
          onConfirm={() => void doRestore()}
          onCancel={() => {
            setConfirming(false);
            setRestoreError(null);
          }}
        />
      )}
    </Shell>
  );
}
