// The band's five lines, -2 to +2, labelled at the left; the zero line solid.
import { MAX, MIN, yOf } from "./scale";

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
