// The measured emotion curve in the emotion lane, beside the team's assumed one (as the poster
// draws it, render/voice.py): its 95% interval as a band, the curve dashed, each point a
// diamond with its value and n. Inside the lane's picture, which is hidden from screen
// readers: the customer voice panel says every point in words.
import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { COL_W } from "../editor/Grid";
import type { GridModel } from "../editor/model";
import { curvePath, xOf, yOf } from "../editor/emotion/scale";
import { countText, signedText } from "./format";
import { useMeasure } from "./store";
import { measuredPoints } from "./voice";

export function MeasuredCurve({ model }: { model: GridModel }) {
  const { ev, lens } = useMeasure(useShallow((s) => ({ ev: s.evidence, lens: s.lens })));
  const points = useMemo(() => (ev ? measuredPoints(ev, model.columns) : []), [ev, model.columns]);
  if (!ev || points.length === 0 || lens.kind !== "all") return null;
  const at = points.map((p) => ({ ...p, x: xOf(p.column, false, COL_W) }));
  const band =
    at.map((p) => `${p.x},${yOf(p.high)}`).join(" ") +
    " " +
    [...at].reverse().map((p) => `${p.x},${yOf(p.low)}`).join(" ");
  return (
    <g className="measured">
      {at.length > 1 && <polygon className="measured-band" points={band} />}
      {at.length > 1 && <path className="measured-curve" d={curvePath(at.map((p) => [p.x, yOf(p.value)]))} />}
      {at.map((p) => (
        <g key={p.column} className="measured-point" data-column={p.column} data-value={p.value.toFixed(2)}>
          <line x1={p.x} x2={p.x} y1={yOf(p.high)} y2={yOf(p.low)} />
          <rect x={p.x - 5} y={yOf(p.value) - 5} width={10} height={10} transform={`rotate(45 ${p.x} ${yOf(p.value)})`} />
          <text x={p.x - 10} y={yOf(p.value) + 4} textAnchor="end" className="measured-label">
            {signedText(p.value)}
            {p.n != null && (
              <tspan x={p.x - 10} dy={13}>
                n={countText(p.n)}
              </tspan>
            )}
          </text>
        </g>
      ))}
      <text x={model.columns.length * COL_W - 8} y={12} textAnchor="end" className="measured-legend">
        ◆ measured ({ev.feedback?.signal}), band: 95% interval · ● assumed by the team
      </text>
    </g>
  );
}
