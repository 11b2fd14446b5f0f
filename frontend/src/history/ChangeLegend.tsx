// The key to a comparison's highlights: each mark's word, its look, and what it means.
import { HIGHLIGHT_LABEL, HIGHLIGHT_MEANING, HIGHLIGHTS, type Highlight } from "./changes";

export function ChangeLegend({ kinds = HIGHLIGHTS }: { kinds?: readonly Highlight[] }) {
  return (
    <ul className="change-legend" aria-label="What the highlights mean">
      {kinds.map((k) => (
        <li key={k}>
          <span className={`change-swatch change-${k}`} aria-hidden="true">
            {HIGHLIGHT_LABEL[k]}
          </span>
          <span className="visually-hidden">{HIGHLIGHT_LABEL[k]}: </span>
          {HIGHLIGHT_MEANING[k]}
        </li>
      ))}
    </ul>
  );
}
