// The measured figures inside a touchpoint card and a stage head, as the poster writes them
// (blue; grey italic and marked when stale). The lines are for the eye; one sentence is read.
import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { type Figures, cardFigures, stageFigures } from "./evidence";
import { useMeasure } from "./store";
import "./measure.css";

function FigureLines({ figures, className, target }: { figures: Figures; className: string; target: string }) {
  return (
    <span className={`${className}${figures.stale ? " stale" : ""}`} data-measured={target}>
      <span aria-hidden="true">
        {figures.lines.map((line) => (
          <span key={line} className="figure-line">
            {line}
          </span>
        ))}
      </span>
      <span className="visually-hidden">, {figures.label}</span>
    </span>
  );
}

/** The evidence, what went stale and the lens: stable references the figures derive from. */
function useSeen() {
  return useMeasure(useShallow((s) => ({ ev: s.evidence, stale: s.answer?.stale, lens: s.lens })));
}

export function CardFigures({ cardId }: { cardId: string }) {
  const { ev, stale, lens } = useSeen();
  const figures = useMemo(() => (ev ? cardFigures(ev, stale, cardId, lens) : null), [ev, stale, cardId, lens]);
  return figures ? <FigureLines figures={figures} className="card-measured" target={cardId} /> : null;
}

export function StageFigures({ stageId }: { stageId: string }) {
  const { ev, stale, lens } = useSeen();
  const figures = useMemo(() => (ev ? stageFigures(ev, stale, stageId, lens) : null), [ev, stale, stageId, lens]);
  return figures ? <FigureLines figures={figures} className="stage-funnel" target={stageId} /> : null;
}
