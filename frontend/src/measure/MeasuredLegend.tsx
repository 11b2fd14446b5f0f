// The legend's part on measured figures, shown once the journey has evidence.
import { useMeasure } from "./store";

export function MeasuredLegend() {
  const ev = useMeasure((s) => s.evidence);
  if (!ev) return null;
  return (
    <div className="legend-group">
      <h3>Measured</h3>
      <ul>
        <li>
          <span className="legend-measured">1,234</span> measured from events
        </li>
        <li>
          <span className="legend-measured">&lt;{ev.min_count}</span> too few customers to show
        </li>
        <li>
          <span className="legend-measured stale">stale</span> measured before the journey changed
        </li>
        {ev.feedback && <li>◆ measured emotion, band: 95% interval</li>}
      </ul>
    </div>
  );
}
