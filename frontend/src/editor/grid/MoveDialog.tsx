// "Move to…": the keyboard's way to make any move a drag makes, choosing the column (a stage,
// or one of its steps), the lane, and first or last in that cell.
import { useRef, useState } from "react";
import type { Card } from "../../api/journey";
import { useJourney } from "../../state/journey";
import { useEditor } from "../EditorContext";
import { columnWords, gridModel } from "../model";
import { cardLanes, cardsIn, dropCard, placeWords } from "../structure";
import { focusCard } from "./ui";
import { useModal } from "../../app/useModal";
import { createPortal } from "react-dom";

export function MoveDialog(props: { card: Card; onClose: () => void }) {
  const { card } = props;
  const editor = useEditor()!;
  const doc = useJourney((s) => s.doc)!;
  const model = gridModel(doc);
  const lanes = cardLanes(model, card.kind);
  const here = model.columnOf(card.stage, card.step) ?? 0;
  const [column, setColumn] = useState(String(here));
  const [lane, setLane] = useState(card.lane);
  const [first, setFirst] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  useModal(ref);
  const close = () => {
    props.onClose();
    focusCard(card.id);
  };
  const move = () => {
    const c = model.columns[Number(column)];
    if (!c) return;
    const cell = { stage: c.stage.id, step: c.stepId, lane };
    const others = cardsIn(doc, cell).filter((x) => x.id !== card.id);
    const op = dropCard(doc, card.id, cell, first && others[0] ? { id: others[0].id, edge: "before" } : undefined);
    if (op && editor.edit(op)) editor.announce(`Moved to ${placeWords(doc, cell)}`);
    close();
  };
  // In the page's body: not inside a draggable card or head, where typing would start a drag.
  return createPortal(
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="move-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <h2 id="move-title">Move the card</h2>
      <form
        className="move-form"
        onSubmit={(e) => {
          e.preventDefault();
          move();
        }}
      >
        <label>
          Stage
          <select value={column} onChange={(e) => setColumn(e.target.value)}>
            {model.columns.map((c) => (
              <option key={c.index} value={c.index}>
                {columnWords(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Lane
          <select value={lane} onChange={(e) => setLane(e.target.value)}>
            {lanes.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Place in the cell
          <select value={first ? "first" : "last"} onChange={(e) => setFirst(e.target.value === "first")}>
            <option value="last">Last</option>
            <option value="first">First</option>
          </select>
        </label>
        <div className="dialog-buttons">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Move
          </button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
