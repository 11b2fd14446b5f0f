// Presentation mode: the journey full screen and read-only, the persona first, then one stage
// at a time (its cards lane by lane), the emotion curve drawn up to the stage shown. Arrow
// keys, Page Up/Down, Space, Home and End move; Escape leaves (the first Escape of a full
// screen ends the full screen, as the browser does). Without the Fullscreen API the slides
// still fill the window.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { JourneyDoc } from "../api/journey";
import { CardFace, cardClasses } from "../editor/CardView";
import { EmotionSvg } from "../editor/emotion/EmotionAxes";
import { pathPoints, xOf, yOf } from "../editor/emotion/scale";
import { gridModel } from "../editor/model";
import { PersonaBox } from "../editor/PersonaBox";
import { scoreColour, scoreText } from "../editor/poster";
import { keyMove, slideWords, slidesOf, stagesShown } from "./steps";
import "./present.css";

const COL = 160;

function Curve({ doc, shown }: { doc: JourneyDoc; shown: number }) {
  const model = useMemo(() => gridModel(doc), [doc]);
  const stageIndex = new Map(doc.stages.map((s, i) => [s.id, i]));
  // The poster's columns (a stage's steps each have one); the points of the stages shown.
  const inView = (column: number) => (stageIndex.get(model.columns[column]?.stage.id ?? "") ?? 0) < shown;
  const points = model.points.filter((p) => !p.onTouchpoint && inView(p.column));
  const width = Math.max(model.columns.length, 1) * COL;
  const curve = pathPoints(
    points.map((p) => ({ id: p.point.id, column: p.column, onTouchpoint: false, score: p.point.score })),
    COL,
  );
  return (
    <div className="present-curve">
      {/* The band at three quarters of its size; the stage names under their columns. */}
      <div className="present-curve-inner" style={{ maxWidth: width * 0.75 }}>
      <EmotionSvg width={width} curve={curve}>
        {points.map((p) => (
          <g key={p.point.id}>
            <circle cx={xOf(p.column, false, COL)} cy={yOf(p.point.score)} r={8} fill={scoreColour(p.point.score)} />
            <text x={xOf(p.column, false, COL) + 12} y={yOf(p.point.score) + 4} className="score-label">
              {scoreText(p.point.score)}
            </text>
          </g>
        ))}
      </EmotionSvg>
      <ol className="present-stage-names" aria-hidden="true">
        {model.stages.map((s, i) => (
          <li
            key={s.stage.id}
            className={i < shown ? (i === shown - 1 ? "now" : "done") : ""}
            style={{ flex: Math.max(s.span, 1) }}
          >
            {s.stage.name}
          </li>
        ))}
      </ol>
      </div>
    </div>
  );
}

function StageSlide({ doc, index }: { doc: JourneyDoc; index: number }) {
  const stage = doc.stages[index]!;
  const lanes = doc.sections.flatMap((s) => s.lanes.map((l) => ({ lane: l, section: s })));
  const cards = doc.cards.filter((c) => c.stage === stage.id);
  const feelings = doc.emotions.filter((e) => e.stage === stage.id && e.card == null && e.note);
  return (
    <>
      <p className="present-kicker">
        Stage {index + 1} of {doc.stages.length}
      </p>
      <h2 className="present-title">{stage.name}</h2>
      {stage.description && <p className="present-lead">{stage.description}</p>}
      {feelings.map((e) => (
        <p key={e.id} className="present-feeling">
          Feels {scoreText(e.score)}: {e.note}
        </p>
      ))}
      <div className="present-lanes">
        {lanes.map(({ lane }) => {
          const here = cards.filter((c) => c.lane === lane.id);
          if (here.length === 0) return null;
          return (
            <section key={lane.id} className="present-lane" aria-label={lane.name}>
              <h3>{lane.name}</h3>
              <ul>
                {here.map((c) => (
                  <li key={c.id} className={cardClasses(c, false)}>
                    <CardFace card={c} />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
        {cards.length === 0 && <p className="present-lead">No cards in this stage yet.</p>}
      </div>
    </>
  );
}

export function Presentation({ doc, onLeave }: { doc: JourneyDoc; onLeave: () => void }) {
  const slides = useMemo(() => slidesOf(doc), [doc]);
  const [at, setAt] = useState(0);
  const [full, setFull] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const canFull = typeof document.documentElement.requestFullscreen === "function";

  const enterFull = useCallback(() => {
    frame.current?.requestFullscreen().catch(() => undefined); // refused: the window it is
  }, []);
  const leave = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    onLeave();
  }, [onLeave]);

  useEffect(() => {
    enterFull();
    const changed = () => setFull(document.fullscreenElement !== null);
    document.addEventListener("fullscreenchange", changed);
    return () => {
      document.removeEventListener("fullscreenchange", changed);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, [enterFull]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target?.tagName === "BUTTON" && (e.key === " " || e.key === "Enter")) return;
      const move = keyMove(e.key, at, slides.length, e.shiftKey);
      if (move === null) return;
      e.preventDefault();
      if (move === "leave") leave();
      else setAt(move.to);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [at, slides.length, leave]);
  useEffect(() => frame.current?.focus(), []);

  const slide = slides[at];
  const words = slideWords(doc, slide);
  return (
    <div
      className="presentation"
      ref={frame}
      tabIndex={-1}
      role="region"
      aria-roledescription="presentation"
      aria-label={`${doc.title}: presentation`}
    >
      <header className="present-bar">
        <span className="present-journey">{doc.title}</span>
        <span className="present-count" aria-hidden="true">
          {at + 1} / {slides.length}
        </span>
        <div className="present-controls">
          <button type="button" onClick={() => setAt(Math.max(at - 1, 0))} disabled={at === 0}>
            ← Previous
          </button>
          <button type="button" onClick={() => setAt(Math.min(at + 1, slides.length - 1))} disabled={at >= slides.length - 1}>
            Next →
          </button>
          {canFull && !full && (
            <button type="button" onClick={enterFull}>
              Full screen
            </button>
          )}
          <button type="button" onClick={leave}>
            Leave (Esc)
          </button>
        </div>
      </header>
      <main className="present-slide" id="main">
        <p className="visually-hidden" role="status" aria-live="polite">
          {words}
        </p>
        {slide?.kind === "persona" && (
          <>
            <p className="present-kicker">Who this journey is about</p>
            {doc.personas.map((p) => (
              <PersonaBox key={p.id} persona={p} />
            ))}
          </>
        )}
        {slide?.kind === "stage" && <StageSlide doc={doc} index={slide.index} />}
        {slides.length === 0 && <h2 className="present-title">This journey has no stages yet.</h2>}
      </main>
      {doc.stages.length > 0 && <Curve doc={doc} shown={stagesShown(slides, at)} />}
      <p className="present-hint">← → to move · Esc to leave</p>
    </div>
  );
}
