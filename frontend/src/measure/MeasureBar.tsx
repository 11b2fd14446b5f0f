// The measured map's controls above the grid: whether the journey was measured, whose figures
// the canvas shows (everyone, one group of the split, two periods), the panels (funnel, paths,
// what customers say, heatmap), and a note naming what changed when figures went stale.
import { useEffect, useRef } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Api } from "../api/client";
import type { JourneyDoc } from "../api/journey";
import { useSession } from "../state/session";
import { useJourney } from "../state/journey";
import { type Lens, lensChoices, staleWords } from "./evidence";
import { MeasurePanels } from "./MeasurePanels";
import { type Panel, useMeasure } from "./store";
import { heatmapOf } from "./voice";
import "./measure.css";
import { onEvidenceChanged } from "./evidenceEvents";

const RELOAD_MS = 600; // after the journey changes, read what went stale (once the edits settle)

function lensValue(lens: Lens): string {
  return lens.kind === "split" ? `split:${lens.group}` : lens.kind;
}

function lensFrom(value: string): Lens {
  if (value.startsWith("split:")) return { kind: "split", group: value.slice(6) };
  return value === "periods" ? { kind: "periods" } : { kind: "all" };
}

/** Read the evidence with the journey, and again whenever the journey's revision moves. */
function useEvidenceLoad(journeyId: string, given?: Api) {
  const session = useSession((s) => s.api);
  const api = given ?? session;
  // A share link's page has no live journey: its revision stays put, read once.
  const rev = useJourney((s) => (s.server?.id === journeyId ? s.server.rev : 0));
  const load = useMeasure((s) => s.load);
  const first = useRef(true);
  useEffect(() => {
    first.current = true;
    return () => useMeasure.getState().reset();
  }, [journeyId]);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      void load(api, journeyId);
      return;
    }
    const timer = setTimeout(() => void load(api, journeyId), RELOAD_MS);
    return () => clearTimeout(timer);
  }, [api, load, journeyId, rev]);
  // New evidence stored (a refresh here or elsewhere, an upload): read it at once.
  useEffect(() => onEvidenceChanged(journeyId, () => void load(api, journeyId)), [api, load, journeyId]);
}

/** `api`: a share link's client (the signed-in session's otherwise). */
export function MeasureBar({ journeyId, doc, api }: { journeyId: string; doc: JourneyDoc; api?: Api }) {
  useEvidenceLoad(journeyId, api);
  const { status, ev, stale, lens, panel, error, setLens, setPanel } = useMeasure(
    useShallow((s) => ({
      status: s.status,
      ev: s.evidence,
      stale: s.answer?.stale,
      lens: s.lens,
      panel: s.panel,
      error: s.error,
      setLens: s.setLens,
      setPanel: s.setPanel,
    })),
  );
  // The bar keeps its place while the evidence loads: the map below must not jump (a card
  // picked up at page load would be dropped where the map was a moment before).
  if (status === "idle" || status === "loading") {
    return <div className="measure-bar" role="region" aria-label="Measured figures" aria-busy="true" />;
  }
  if (status === "none" || status === "unreadable" || !ev) {
    return (
      <div className="measure-bar" role="region" aria-label="Measured figures">
        <p className="measure-hint">
          <strong>Not measured yet.</strong>{" "}
          {status === "unreadable"
            ? "The stored evidence is in a format this app cannot draw: measure the journey again."
            : status === "error"
              ? `The figures could not be read: ${error ?? "try again"}.`
              : "Bind touchpoints to events, then refresh the figures from a data source (or send the evidence of journeymap analyze --save)."}
        </p>
      </div>
    );
  }
  const choices = lensChoices(ev);
  const heat = heatmapOf(ev);
  const hasVoice = (ev.feedback?.curve?.length ?? 0) > 0;
  const toggles: [Panel, string, boolean][] = [
    ["funnel", "Funnel", true],
    ["paths", "Paths", (ev.transitions?.length ?? 0) > 0 || (ev.paths?.length ?? 0) > 0],
    ["voice", "Customer voice", hasVoice],
    ["heatmap", "Heatmap", heat !== null],
  ];
  const note = staleWords(ev, stale);
  return (
    <div className="measure-bar" role="region" aria-label="Measured figures">
      <div className="measure-controls">
        <span className="measure-when">
          Measured {ev.computed_at.slice(0, 10)}
          {ev.period[0] && ev.period[1] ? ` · events ${ev.period[0].slice(0, 10)} to ${ev.period[1].slice(0, 10)}` : ""}
        </span>
        <label className="measure-lens">
          Figures for{" "}
          <select value={lensValue(lens)} onChange={(e) => setLens(lensFrom(e.target.value))}>
            <option value="all">All customers</option>
            {choices.groups.map((g) => (
              <option key={g} value={`split:${g}`}>
                {choices.by === "persona" ? "Persona" : choices.by}: {g}
              </option>
            ))}
            {choices.periods && <option value="periods">Compare two periods</option>}
          </select>
        </label>
        {lens.kind !== "all" && (
          <span className="measure-lens-note" role="status">
            {lens.kind === "split"
              ? `Stage heads and the funnel show ${choices.by ?? "group"} ${lens.group} only; touchpoint reach is measured for everyone and not shown.`
              : "Stage heads and the funnel show the first period → the second; touchpoint figures are not shown."}
          </span>
        )}
        {lens.kind === "all" && (choices.groups.length === 0 || !choices.periods) && (
          <span className="measure-how muted">
            {choices.groups.length === 0 && "No split measured: refresh with a split column (journeymap analyze --split-by persona --save). "}
            {!choices.periods && "No periods: journeymap analyze --compare FROM..TO,FROM..TO --save."}
          </span>
        )}
        <div className="measure-toggles" role="group" aria-label="Measured panels">
          {toggles
            .filter(([, , shown]) => shown)
            .map(([key, label]) => (
              <button
                key={key}
                type="button"
                aria-pressed={panel === key}
                aria-controls={panel === key ? "measure-panel" : undefined}
                onClick={() => setPanel(panel === key ? null : key)}
              >
                {label}
              </button>
            ))}
        </div>
      </div>
      {note && (
        <p className="measure-stale" role="note">
          {note}
        </p>
      )}
      {panel && <MeasurePanels panel={panel} doc={doc} ev={ev} lens={lens} onClose={() => setPanel(null)} />}
    </div>
  );
}
