// The emotion curve in its lane, as the poster draws it: a band from -2 to +2 with the points
// at their columns (a touchpoint's point right of its stage's), a smooth line through the
// stage points, and each point's score and note written under it, where a screen reader reads
// them with their stage. Where the person may edit, each point is a slider (emotion/).
import { MeasuredCurve } from "../measure/MeasuredCurve";
import { COL_W, LaneHead } from "./Grid";
import type { GridModel, LaneRow } from "./model";
import { scoreColour, scoreText } from "./poster";
import { useEditor } from "./EditorContext";
import { EditableEmotion } from "./emotion/EditableEmotion";
import { EmotionSvg } from "./emotion/EmotionAxes";
import { pathPoints, xOf, yOf } from "./emotion/scale";

/** The curve's row; `lane` when the journey has an emotion lane (its head then has the lane's
 * actions), absent when the curve is drawn on its own above the sections. */
export function EmotionRow({ model, label, lane }: { model: GridModel; label: string; lane?: LaneRow }) {
  const editor = useEditor();
  return (
    <tr className="lane-row emotion-row" data-lane={lane?.lane.id}>
      {lane ? (
        <LaneHead lane={lane.lane} section={lane.section.id} />
      ) : (
        <th scope="row" className="lane-head">
          <span className="lane-name">{label}</span>
          <span className="lane-kind">emotion</span>
        </th>
      )}
      <td className="emotion-cell" colSpan={Math.max(model.columns.length, 1)}>
        {editor ? <EditableEmotion model={model} /> : <StaticEmotion model={model} />}
      </td>
    </tr>
  );
}

function StaticEmotion({ model }: { model: GridModel }) {
  const width = model.columns.length * COL_W;
  const curve = pathPoints(
    model.points.map((p) => ({ id: p.point.id, column: p.column, onTouchpoint: p.point.card != null, score: p.point.score })),
    COL_W,
  );
  const byColumn = model.columns.map((c) => model.points.filter((p) => p.column === c.index));
  return (
    <>
      <EmotionSvg width={width} curve={curve}>
        {model.points.map((p) => {
          const x = xOf(p.column, p.onTouchpoint, COL_W);
          const y = yOf(p.point.score);
          return (
            <g key={p.point.id}>
              <circle
                cx={x}
                cy={y}
                r={p.point.card ? 6 : 8}
                fill={scoreColour(p.point.score)}
                className="emotion-dot"
              />
              <text x={x + 12} y={y + 4} className="score-label">
                {scoreText(p.point.score)}
              </text>
            </g>
          );
        })}
        <MeasuredCurve model={model} />
      </EmotionSvg>
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
                <span className="emotion-score">{scoreText(p.point.score)}</span> {p.point.note}
              </p>
            ))}
          </li>
        ))}
      </ol>
    </>
  );
}
