// The band's five lines, -2 to +2, labelled at the left; the zero line solid.
import type { ReactNode } from "react";
import { HEIGHT, MAX, MIN, curvePath, yOf } from "./scale";

const LEVELS = Array.from({ length: MAX - MIN + 1 }, (_, i) => MAX - i);

export function EmotionAxes({ width }: { width: number }) {
  return (
    <>
      {LEVELS.map((s) => (
        <g key={s}>
          <line x1={0} x2={width} y1={yOf(s)} y2={yOf(s)} className={s === 0 ? "axis zero" : "axis"} />
          <text x={4} y={yOf(s) - 3} className="axis-label">
            {s > 0 ? `+${s}` : s < 0 ? `−${-s}` : "0"}
          </text>
        </g>
      ))}
    </>
  );
}

/** The lane's picture: the band, the curve through `curve`, then the points (`children`).
 * Hidden from screen readers: the notes under it (and, for editors, the sliders) say it. */
export function EmotionSvg(props: { width: number; curve: [number, number][]; children: ReactNode }) {
  const { width, curve } = props;
  return (
    <svg
      className="emotion-svg"
      width={width}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      aria-hidden="true"
      focusable="false"
    >
      <EmotionAxes width={width} />
      {curve.length > 1 && <path className="emotion-curve" d={curvePath(curve)} />}
      {props.children}
    </svg>
  );
}
