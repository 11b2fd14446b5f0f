// The emotion lane where the person may edit: each point a slider (arrows, PageUp/PageDown,
// Home, End; Delete removes it) that is also dragged up and down, the curve redrawn as it moves
// and one operation sent when it is let go; a "+" in each column without a point adds one; each
// point's note is typed in place. The rules are in scale.ts and points.ts.
import { useRef, useState } from "react";
import "./emotion.css";
import type { EmotionPoint } from "../../api/journey";
import { useEditor } from "../EditorContext";
import { COL_W } from "../Grid";
import { InlineText } from "../grid/InlineText";
import type { Column, GridModel, PlacedPoint } from "../model";
import { scoreColour, scoreText } from "../poster";
import { MeasuredCurve } from "../../measure/MeasuredCurve";
import { EmotionSvg } from "./EmotionAxes";
import {
  addPoint,
  columnWords,
  columnsWithoutPoint,
  deletePoint,
  placeWords,
  setNote,
  setScore,
  sliderName,
  valueText,
} from "./points";
import { HEIGHT, dragScore, keyScore, pathPoints, xOf, yOf } from "./scale";
import { newEntityId } from "../../editing/ops";

interface Grab {
  id: string;
  pointerId: number;
  start: number; // the score when grabbed
  clientY: number;
  zoom: number; // screen pixels per band pixel (the map's zoom)
}

const sliderId = (id: string) => `emotion-${id}`;
const columnKey = (c: Column) => `${c.stage.id}/${c.stepId ?? ""}`;

function focusLater(selector: string): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus());
}

export function EditableEmotion({ model }: { model: GridModel }) {
  const editor = useEditor()!;
  const plot = useRef<HTMLDivElement>(null);
  const grab = useRef<Grab | null>(null);
  const [live, setLive] = useState<{ id: string; score: number } | null>(null);
  const [typing, setTyping] = useState<string | null>(null);
  const width = model.columns.length * COL_W;
  const scoreOf = (p: EmotionPoint) => (live && live.id === p.id ? live.score : p.score);
  const curve = pathPoints(
    model.points.map((p) => ({
      id: p.point.id,
      column: p.column,
      onTouchpoint: p.point.card != null,
      score: p.point.score,
    })),
    COL_W,
    live,
  );

  const change = (p: PlacedPoint, score: number) => {
    if (score !== p.point.score) editor.edit(setScore(p.point.id, score));
  };
  const remove = (p: PlacedPoint) => {
    const place = placeWords(model, p);
    const column = model.columns[p.column];
    if (!editor.edit(deletePoint(p.point.id))) return;
    editor.announce(`The emotion point at ${place} is deleted. Ctrl+Z brings it back.`);
    if (column) focusLater(`[data-emotion-add="${CSS.escape(columnKey(column))}"]`);
  };
  const add = (column: Column) => {
    const op = addPoint(column, newEntityId("emotion"));
    if (!editor.edit(op)) return;
    editor.announce(`An emotion point is added at ${columnWords(column)}, at 0`);
    focusLater(`#${CSS.escape(sliderId(op.kind === "add" ? op.id : ""))}`);
  };

  const onKeyDown = (p: PlacedPoint) => (e: React.KeyboardEvent) => {
    if (grab.current) {
      if (e.key === "Escape") {
        e.preventDefault();
        cancel();
      }
      return;
    }
    if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      remove(p);
      return;
    }
    const next = keyScore(p.point.score, e);
    if (next === null) return;
    e.preventDefault();
    change(p, next);
  };
  const cancel = () => {
    grab.current = null;
    setLive(null);
  };
  const onPointerDown = (p: PlacedPoint) => (e: React.PointerEvent<HTMLElement>) => {
    if (e.button !== 0 || !plot.current) return;
    e.preventDefault(); // no text selection while dragging
    e.currentTarget.focus();
    e.currentTarget.setPointerCapture(e.pointerId);
    const zoom = plot.current.getBoundingClientRect().height / HEIGHT;
    grab.current = { id: p.point.id, pointerId: e.pointerId, start: p.point.score, clientY: e.clientY, zoom };
    setLive({ id: p.point.id, score: p.point.score });
  };
  const scoreFrom = (e: React.PointerEvent): number | null => {
    const g = grab.current;
    if (!g || g.pointerId !== e.pointerId) return null;
    return dragScore(g.start, e.clientY - g.clientY, g.zoom);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const score = scoreFrom(e);
    const g = grab.current;
    if (score === null || !g) return;
    setLive((was) => (was && was.id === g.id && was.score === score ? was : { id: g.id, score }));
  };
  const onPointerUp = (p: PlacedPoint) => (e: React.PointerEvent) => {
    const score = scoreFrom(e);
    if (score === null) return;
    grab.current = null;
    setLive(null);
    change(p, score); // one operation for the whole drag
  };

  const free = columnsWithoutPoint(model);
  const byColumn = model.columns.map((c) => model.points.filter((p) => p.column === c.index));
  return (
    <>
      <div className="emotion-plot" ref={plot} style={{ width, height: HEIGHT }}>
        <EmotionSvg width={width} curve={curve}>
          {model.points.map((p) => {
            const score = scoreOf(p.point);
            return (
              <text
                key={p.point.id}
                x={xOf(p.column, p.onTouchpoint, COL_W) + 13}
                y={yOf(score) - 13}
                className="score-label"
              >
                {scoreText(score)}
              </text>
            );
          })}
          <MeasuredCurve model={model} />
        </EmotionSvg>
        {free.map((c) => (
          <button
            key={columnKey(c)}
            type="button"
            className="emotion-add"
            data-emotion-add={columnKey(c)}
            style={{ left: xOf(c.index, false, COL_W), top: yOf(0) }}
            aria-label={`Add an emotion point at ${columnWords(c)}`}
            onClick={() => add(c)}
          >
            +
          </button>
        ))}
        {model.points.map((p) => {
          const score = scoreOf(p.point);
          const dragging = live?.id === p.point.id;
          const classes = ["emotion-point", p.onTouchpoint ? "touchpoint" : "", dragging ? "dragging" : ""];
          return (
            <div
              key={p.point.id}
              id={sliderId(p.point.id)}
              role="slider"
              tabIndex={0}
              aria-label={sliderName(model, p)}
              aria-orientation="vertical"
              aria-valuemin={-2}
              aria-valuemax={2}
              aria-valuenow={score}
              aria-valuetext={valueText(score, p.point.note)}
              aria-keyshortcuts="ArrowUp ArrowDown PageUp PageDown Home End Delete"
              className={classes.join(" ")}
              style={
                {
                  left: xOf(p.column, p.onTouchpoint, COL_W),
                  top: yOf(score),
                  "--dot": scoreColour(score),
                } as React.CSSProperties
              }
              onKeyDown={onKeyDown(p)}
              onPointerDown={onPointerDown(p)}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp(p)}
              onPointerCancel={cancel}
              onLostPointerCapture={() => grab.current && cancel()}
            />
          );
        })}
      </div>
      <ol className="emotion-notes">
        {model.columns.map((c, i) => (
          <li key={c.index} className="emotion-column">
            {(byColumn[i] ?? []).map((p) => (
              <Note
                key={p.point.id}
                place={placeWords(model, p)}
                point={p.point}
                score={scoreOf(p.point)}
                typing={typing === p.point.id}
                onType={(on) => setTyping(on ? p.point.id : null)}
                onDelete={() => remove(p)}
              />
            ))}
          </li>
        ))}
      </ol>
    </>
  );
}

/** A point's score and note under the band; the note typed in place, the point deleted. */
function Note(props: {
  place: string;
  point: EmotionPoint;
  score: number;
  typing: boolean;
  onType: (on: boolean) => void;
  onDelete: () => void;
}) {
  const { point, place } = props;
  const editor = useEditor()!;
  const refusal =
    editor.refusalFor({ entity: "emotion", id: point.id, field: "score" }) ??
    editor.refusalFor({ entity: "emotion", id: point.id, field: "note" }) ??
    editor.refusalFor({ entity: "emotion", id: point.id, field: null });
  const noteButton = `emotion-note-${point.id}`;
  return (
    <div className="emotion-note editable">
      <span className="emotion-score">{scoreText(props.score)}</span>{" "}
      <span className="note-line">
        {props.typing ? (
          <InlineText
            value={point.note ?? ""}
            allowEmpty
            label={`Note at ${place}`}
            className="emotion-note-text"
            onDone={(value) => {
              props.onType(false);
              if (value !== null) editor.edit(setNote(point.id, value));
              focusLater(`#${CSS.escape(noteButton)}`);
            }}
          />
        ) : (
          <button
            type="button"
            id={noteButton}
            className={point.note ? "note-text" : "note-text empty"}
            onClick={() => props.onType(true)}
          >
            <span className="visually-hidden">Edit the note at {place}: </span>
            {point.note || "Add a note"}
          </button>
        )}
        <button
          type="button"
          className="emotion-delete"
          aria-label={`Delete the emotion point at ${place}`}
          title="Delete the point"
          onClick={props.onDelete}
        >
          ×
        </button>
      </span>
      {refusal && (
        <span className="form-error inline" role="alert">
          {refusal}
        </span>
      )}
    </div>
  );
}
