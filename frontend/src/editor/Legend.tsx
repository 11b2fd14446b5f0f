import { MeasuredLegend } from "../measure/MeasuredLegend";
import { CONFIDENCE_LABEL, KIND_LABEL, OPPORTUNITY_STATUS, scoreColour, statusText } from "./poster";

/** The poster's legend: card kinds, confidence, the emotion scale, severity and status. */
export function Legend() {
  return (
    <section className="legend" aria-labelledby="legend-title">
      <h2 id="legend-title">Legend</h2>
      <div className="legend-group">
        <h3>Cards</h3>
        <ul>
          {Object.entries(KIND_LABEL).map(([kind, label]) => (
            <li key={kind}>
              <span className={`swatch kind-${kind}`} aria-hidden="true" />
              {label}
            </li>
          ))}
        </ul>
      </div>
      <div className="legend-group">
        <h3>Confidence</h3>
        <ul>
          {Object.entries(CONFIDENCE_LABEL).map(([key, label]) => (
            <li key={key}>
              <span className={`swatch conf conf-${key}`} aria-hidden="true" />
              {label} ({key[0]?.toUpperCase()})
            </li>
          ))}
        </ul>
      </div>
      <div className="legend-group">
        <h3>Emotion</h3>
        <ul>
          {[-2, -1, 0, 1, 2].map((s) => (
            <li key={s}>
              <svg width="14" height="14" aria-hidden="true" focusable="false">
                <circle cx="7" cy="7" r="7" fill={scoreColour(s)} />
              </svg>
              {s > 0 ? `+${s}` : s < 0 ? `−${-s}` : "0"}
            </li>
          ))}
        </ul>
      </div>
      <div className="legend-group">
        <h3>Opportunity status</h3>
        <ul>
          {OPPORTUNITY_STATUS.map((s) => (
            <li key={s}>
              <span className={`status-dot st-${s}`} aria-hidden="true" />
              {statusText(s)}
            </li>
          ))}
        </ul>
      </div>
      <MeasuredLegend />
      <p className="legend-note">
        Pain severity: filled dots out of five. A, R, O: assumed, reported, observed.
      </p>
    </section>
  );
}
