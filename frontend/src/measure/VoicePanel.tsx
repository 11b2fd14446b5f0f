// What customers say: where the measured emotion curve disagrees with the team's, and every
// measured point in words (its value, n and 95% interval beside the assumed score). The curve
// itself is drawn in the emotion lane (MeasuredCurve).
import type { GridModel } from "../editor/model";
import type { EvidenceSet } from "./evidence";
import { disagreements, measuredPoints } from "./voice";

export function VoicePanel({ model, ev }: { model: GridModel; ev: EvidenceSet }) {
  const said = ev.feedback;
  if (!said) return <p className="muted">No feedback measured: journeymap feedback --save adds it.</p>;
  const notes = disagreements(ev);
  const points = measuredPoints(ev, model.columns);
  return (
    <div className="voice-panel">
      <p>
        What customers say: {said.name} ({said.signal}, n and 95% intervals). In the emotion lane, ◆ is
        measured (the band is its 95% interval) and ● is the team's assumed score.
      </p>
      <h3>Where the team and the customers disagree</h3>
      {notes.length ? (
        <ul className="disagreements">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : (
        <p>The measured curve agrees with the team&apos;s wherever it was measured.</p>
      )}
      <h3>The measured curve</h3>
      <ul className="measured-points">
        {points.map((p) => (
          <li key={p.column}>{p.words}</li>
        ))}
      </ul>
    </div>
  );
}
