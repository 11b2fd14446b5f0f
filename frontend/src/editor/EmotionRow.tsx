// The emotion curve in its lane, as the poster draws it: a band from -2 to +2 with the points
// at their columns (a touchpoint's point right of its stage's), a smooth line through the
// stage points, and each point's score and note written under it, where a screen reader reads
// them with their stage.
import { COL_W } from "./Grid";
import type { GridModel, PlacedPoint } from "./model";
import { scoreColour, scoreText, smoothPath } from "./poster";

const TOP = 16;
const BAND = 180;
const MID = TOP + BAND / 2;
const SCALE = (BAND / 2 - 10) / 2; // px per score unit

function x(p: PlacedPoint): number {
  return p.column * COL_W + (p.onTouchpoint ? COL_W * 0.75 : COL_W / 2) - 4;
}

export function EmotionRow({ model, label }: { model: GridModel; label: string }) {
  const width = model.columns.length * COL_W;
  const height = TOP + BAND + 4;
  const curve = model.points
    .filter((p) => p.point.card == null)
    .map((p): [number, number] => [x(p), MID - p.point.score * SCALE]);
  const byColumn = model.columns.map((c) => model.points.filter((p) => p.column === c.index));
  return (
    <tr className="lane-row emotion-row">
      <th scope="row" className="lane-head">
        <span className="lane-name">{label}</span>
        <span className="lane-kind">emotion</span>
      </th>
      <td className="emotion-cell" colSpan={Math.max(model.columns.length, 1)}>
        <svg
          className="emotion-svg"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          aria-hidden="true"
          focusable="false"
        >
          {[2, 1, 0, -1, -2].map((s) => (
            <g key={s}>
              <line
                x1={0}
                x2={width}
                y1={MID - s * SCALE}
                y2={MID - s * SCALE}
                className={s === 0 ? "axis zero" : "axis"}
              />
              <text x={4} y={MID - s * SCALE - 3} className="axis-label">
                {s > 0 ? `+${s}` : s < 0 ? `−${-s}` : "0"}
              </text>
            </g>
          ))}
          {curve.length > 1 && <path className="emotion-curve" d={smoothPath(curve)} />}
          {model.points.map((p) => (
            <g key={p.point.id}>
              <circle
                cx={x(p)}
                cy={MID - p.point.score * SCALE}
                r={p.point.card ? 6 : 8}
                fill={scoreColour(p.point.score)}
                className="emotion-dot"
              />
              <text x={x(p) + 12} y={MID - p.point.score * SCALE + 4} className="score-label">
                {scoreText(p.point.score)}
              </text>
            </g>
          ))}
        </svg>
        <ol className="emotion-notes">
          {model.columns.map((c, i) => (
            <li key={c.index} className="emotion-column">
              {(byColumn[i] ?? []).map((p) => (
                <p key={p.point.id} className="emotion-note">
                  <span className="visually-hidden">
                    {c.stage.name}
                    {c.stepId ? ` · ${c.label}` : ""}
                    {p.point.card ? ` · ${model.cardsById.get(p.point.card)?.text ?? ""}` : ""}:{" "}
                  </span>
                  <span className="emotion-score">{scoreText(p.point.score)}</span>{" "}
                  {p.point.note}
                </p>
              ))}
            </li>
          ))}
        </ol>
      </td>
    </tr>
  );
}
