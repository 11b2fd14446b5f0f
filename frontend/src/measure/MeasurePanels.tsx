// The measured panel that is open: the funnel, the paths, what customers say, or the heatmap.
// One at a time, under the measured bar; its heading takes the focus when it opens.
import { useEffect, useMemo, useRef } from "react";
import type { JourneyDoc } from "../api/journey";
import { gridModel } from "../editor/model";
import type { EvidenceSet, Lens } from "./evidence";
import { FunnelPanel } from "./FunnelPanel";
import { HeatmapPanel } from "./HeatmapPanel";
import { PathsPanel } from "./PathsPanel";
import type { Panel } from "./store";
import { VoicePanel } from "./VoicePanel";

const TITLE: Record<Panel, string> = {
  funnel: "Funnel",
  paths: "Paths",
  voice: "Customer voice",
  heatmap: "Heatmap",
};

export function MeasurePanels(props: {
  panel: Panel;
  doc: JourneyDoc;
  ev: EvidenceSet;
  lens: Lens;
  onClose: () => void;
}) {
  const { panel, doc, ev, lens } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [panel]);
  const model = useMemo(() => gridModel(doc), [doc]);
  const names = useMemo(() => new Map(doc.cards.map((c) => [c.id, c.text])), [doc]);
  return (
    <section
      className={`measure-panel panel-${panel}`}
      id="measure-panel"
      aria-labelledby="measure-panel-title"
      onKeyDown={(e) => {
        if (e.key === "Escape") props.onClose();
      }}
    >
      <div className="panel-head">
        <h2 id="measure-panel-title" ref={heading} tabIndex={-1}>
          {TITLE[panel]}
        </h2>
        <button type="button" onClick={props.onClose} aria-label={`Close the ${TITLE[panel].toLowerCase()} panel`}>
          ✕
        </button>
      </div>
      <div className="measure-panel-body" tabIndex={0} role="group" aria-label={`${TITLE[panel]}: figures`}>
        {panel === "funnel" && <FunnelPanel doc={doc} ev={ev} lens={lens} />}
        {panel === "paths" && <PathsPanel model={model} doc={doc} ev={ev} names={names} />}
        {panel === "voice" && <VoicePanel model={model} ev={ev} />}
        {panel === "heatmap" && <HeatmapPanel ev={ev} names={names} />}
      </div>
    </section>
  );
}
