// The journey drawn as the poster is: its title and status, the persona at the top, the grid,
// the legend; zoom, and a card's panel. Used by the signed-in map and by a share link's page.
import { type ReactNode, useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { JourneyDoc } from "../api/journey";
import { CardPanel } from "./CardPanel";
import { useEditor } from "./EditorContext";
import { AddStructure } from "./grid/AddStructure";
import { Grid } from "./Grid";
import { Legend } from "./Legend";
import { gridModel } from "./model";
import { JourneyPanel } from "./panel/JourneyPanel";
import { PersonaBox } from "./PersonaBox";
import { statusText } from "./poster";
import { fitScale, MIN_ZOOM, zoomIn, zoomOut } from "./zoom";
import { ALL, applyView, type View } from "../views/rules";
import { ViewBar } from "../views/ViewBar";

export function MapView(props: {
  doc: JourneyDoc;
  selected: string | null;
  onSelect: (id: string | null) => void;
  tools?: ReactNode;
  banner?: ReactNode;
  /** Beside the title: who else is here. */
  people?: ReactNode;
  /** Drawn over the map's canvas (others' outlines and cursors). */
  overlay?: ReactNode;
  /** In place of the state badge: the current/future switch (future/StateSwitch.tsx). */
  stateSwitch?: ReactNode;
  /** The journey whose saved views the view bar offers (none on a share link's page). */
  viewsOf?: string;
  /** A panel beside the map when no card's or details panel is open (the comments). */
  aside?: ReactNode;
}) {
  const { doc, selected, onSelect } = props;
  const model = useMemo(() => gridModel(doc), [doc]);
  const [scale, setScale] = useState(1);
  // views/rules.ts: what the grid shows, for this journey only (another one starts whole).
  const viewKey = props.viewsOf ?? doc.id;
  const [viewOf, setViewOf] = useState<{ key: string; view: View }>({ key: viewKey, view: ALL });
  const shownView = viewOf.key === viewKey ? viewOf.view : ALL;
  const setShownView = (view: View) => setViewOf({ key: viewKey, view });
  const shown = useMemo(() => applyView(model, shownView, doc), [model, shownView, doc]);
  const view = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLDivElement>(null);
  const card = selected ? model.cardsById.get(selected) : undefined;
  const editor = useEditor();
  const [details, setDetails] = useState(false); // the journey's details panel, for editors
  const detailsButton = useRef<HTMLButtonElement>(null);
  const showDetails = details && editor !== null && !card;
  const aside = !card && !showDetails ? props.aside : null;

  const fit = () => {
    const v = view.current;
    const c = canvas.current;
    if (!v || !c) return;
    const box = c.getBoundingClientRect();
    setScale(
      fitScale(
        { w: v.clientWidth - 16, h: v.clientHeight - 16 },
        { w: box.width / scale, h: box.height / scale },
      ),
    );
    v.scrollTo(0, 0);
    fitting.current = true;
  };
  // Text wraps differently at another zoom, so the map's height does not scale exactly: after
  // "Zoom to fit", step down a percent at a time until it really fits (a few renders at most).
  const fitting = useRef(false);
  const zoomTo = (next: number) => {
    fitting.current = false; // the person chose a zoom: leave it be
    setScale(next);
  };
  useLayoutEffect(() => {
    const v = view.current;
    const c = canvas.current;
    if (!fitting.current || !v || !c) return;
    const box = c.getBoundingClientRect();
    if ((box.width > v.clientWidth || box.height > v.clientHeight) && scale > MIN_ZOOM) {
      setScale(Math.max(MIN_ZOOM, Math.round(scale * 100 - 1) / 100));
    } else {
      fitting.current = false;
    }
  }, [scale]);
  const open = useCallback(
    (id: string) => {
      setDetails(false);
      onSelect(id);
    },
    [onSelect],
  );
  const close = () => {
    const id = selected;
    onSelect(null);
    if (id) document.getElementById(`card-${id}`)?.focus();
  };

  const subtitle = [
    statusText(doc.status).replace(/^./, (c) => c.toUpperCase()),
    doc.owner ? `Owner: ${doc.owner}` : null,
    doc.review_by ? `Review by ${doc.review_by}` : null,
    `${model.cardCount} card${model.cardCount === 1 ? "" : "s"}`,
  ].filter(Boolean);

  return (
    <div className={card || showDetails || aside ? "map-page with-panel" : "map-page"}>
      <div className="map-header">
        <div className="map-title">
          <h1>{doc.title}</h1>
          <p className="map-subtitle">{subtitle.join("  ·  ")}</p>
        </div>
        {props.people}
        {props.stateSwitch ?? (
          <span className={`state-badge ${doc.state}`}>
            {doc.state === "future" ? "Future state" : "Current state"}
          </span>
        )}
      </div>
      {props.banner}
      <div className="map-toolbar" role="toolbar" aria-label="Map">
        <div className="zoom" role="group" aria-label="Zoom">
          <button type="button" onClick={() => zoomTo(zoomOut(scale))} aria-label="Zoom out">
            −
          </button>
          <output className="zoom-level" aria-live="polite" aria-label="Zoom level">
            {Math.round(scale * 100)}%
          </output>
          <button type="button" onClick={() => zoomTo(zoomIn(scale))} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={fit}>
            Zoom to fit
          </button>
          <button type="button" onClick={() => zoomTo(1)} disabled={scale === 1}>
            Actual size
          </button>
        </div>
        <AddStructure />
        {editor && (
          <button
            ref={detailsButton}
            type="button"
            className="journey-details-button"
            aria-expanded={showDetails}
            aria-controls={showDetails ? "journey-panel" : undefined}
            onClick={() => {
              onSelect(null);
              setDetails(!showDetails);
            }}
          >
            Journey details
          </button>
        )}
        {props.tools}
      </div>
      <ViewBar
        key={viewKey}
        doc={doc}
        model={model}
        shown={shown}
        view={shownView}
        onView={setShownView}
        scale={scale}
        onScale={zoomTo}
        journeyId={props.viewsOf}
        canShare={editor !== null}
      />
      <div className="map-body">
        <div className="map-viewport" ref={view} tabIndex={-1}>
          <div className="map-canvas" ref={canvas} style={{ zoom: scale }}>
            {(doc.description || doc.scope) && (
              <div className="map-about">
                {doc.description && <p>{doc.description}</p>}
                {doc.scope && <p className="muted">Scope: {doc.scope}</p>}
              </div>
            )}
            {doc.personas.map((p) => (
              <PersonaBox key={p.id} persona={p} />
            ))}
            <Grid model={shown} title={doc.title} selected={selected} onOpen={open} />
            <Legend />
            {props.overlay}
          </div>
        </div>
        {card && <CardPanel card={card} doc={doc} onClose={close} onOpen={open} />}
        {showDetails && (
          <JourneyPanel
            doc={doc}
            onClose={() => {
              setDetails(false);
              detailsButton.current?.focus();
            }}
          />
        )}
        {aside}
      </div>
    </div>
  );
}
