// The emotion lane's edits and words, pure: what a point is called (its stage, step or
// touchpoint), what a screen reader hears as its value, which columns have no point of their own
// yet, and the operations a change of score, a note, an added or a deleted point send.
import type { Op } from "../../editing/ops";
import { type Column, type GridModel, type PlacedPoint, columnWords } from "../model";

export { columnWords };
import { scoreText } from "../poster";
import { shortText } from "../structure";


/** Where a point is: its column, and its touchpoint's text when it is a touchpoint's. */
export function placeWords(model: GridModel, placed: PlacedPoint): string {
  const column = model.columns[placed.column];
  const where = column ? columnWords(column) : placed.point.stage;
  const card = placed.point.card ? model.cardsById.get(placed.point.card) : undefined;
  return card ? `${where}, touchpoint ${card.text.trim() ? shortText(card.text) : card.id}` : where;
}

/** The slider's accessible name. */
export function sliderName(model: GridModel, placed: PlacedPoint): string {
  return `Emotion at ${placeWords(model, placed)}`;
}

/** The slider's value as a screen reader says it: the score, then the note. */
export function valueText(score: number, note: string | null | undefined): string {
  const n = note?.trim();
  return n ? `${scoreText(score)}, ${shortText(n, 80)}` : scoreText(score);
}

/** The columns where a point may be added: those without a point of their own (a
 * touchpoint's point does not count; the column's own is the curve's). */
export function columnsWithoutPoint(model: GridModel): Column[] {
  const taken = new Set(model.points.filter((p) => p.point.card == null).map((p) => p.column));
  return model.columns.filter((c) => !taken.has(c.index));
}

export function setScore(id: string, score: number): Op {
  return { kind: "set", entity: "emotion", id, field: "score", value: score };
}

/** The note as typed: an empty one clears it (the server keeps no empty text). */
export function setNote(id: string, text: string): Op {
  const value = text.trim() === "" ? null : text.trim();
  return { kind: "set", entity: "emotion", id, field: "note", value };
}

/** A new point in `column`, neutral (0) until moved. */
export function addPoint(column: Column, id: string, score = 0): Op {
  const value: Record<string, unknown> = { stage: column.stage.id, score };
  if (column.stepId) value.step = column.stepId;
  return { kind: "add", entity: "emotion", id, value };
}

export function deletePoint(id: string): Op {
  return { kind: "delete", entity: "emotion", id };
}
