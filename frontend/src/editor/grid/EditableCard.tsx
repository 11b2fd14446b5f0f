// A card on a map the person may edit: the same face as the poster's, plus its text typed in
// place (F2 or a double click), dragged to another cell or place in its cell, moved by keyboard
// (Alt+arrows, or "Move to…" in its menu) and deleted (Delete; Ctrl+Z brings it back).
import { memo, useRef, useState } from "react";
import type { Card } from "../../api/journey";
import { useJourney } from "../../state/journey";
import { CardButton, cardClasses } from "../CardView";
import { useEditor } from "../EditorContext";
import { gridModel } from "../model";
import { type Cell, keyboardMove, laneKindOf, placeWords, shortText } from "../structure";
import { deleteCard } from "./deleteCard";
import { ActionsMenu } from "./ActionsMenu";
import { useCardDnd } from "./dnd";
import { InlineText } from "./InlineText";
import { MoveDialog } from "./MoveDialog";
import { focusCard, useGridUi } from "./ui";

const ARROWS: Record<string, "left" | "right" | "up" | "down"> = {
  ArrowLeft: "left",
  ArrowRight: "right",
  ArrowUp: "up",
  ArrowDown: "down",
};

export const EditableCard = memo(
  function EditableCard(props: { card: Card; selected: boolean; onOpen: (id: string) => void }) {
    const { card, selected } = props;
    const editor = useEditor()!;
    const typing = useGridUi((s) => s.typing === card.id);
    const type = useGridUi((s) => s.type);
    const [moving, setMoving] = useState(false);
    const slot = useRef<HTMLDivElement>(null);
    const cell: Cell = { stage: card.stage, step: card.step ?? null, lane: card.lane };
    const laneKind = useJourney((s) => laneKindOf(s.doc, card.lane));
    const { edge, dragging } = useCardDnd(slot, card, cell, laneKind ?? "text", !typing && !!laneKind);
    const refusal =
      editor.refusalFor({ entity: "card", id: card.id, field: "text" }) ??
      editor.refusalFor({ entity: "card", id: card.id, field: null });

    const moveBy = (direction: "left" | "right" | "up" | "down") => {
      const doc = useJourney.getState().doc!;
      const next = keyboardMove(doc, gridModel(doc), card.id, direction);
      if (!next) {
        editor.announce(`${shortText(card.text)} cannot move ${direction}: the edge of the map`);
        return;
      }
      if (editor.edit(next.op)) {
        const where = placeWords(useJourney.getState().doc!, next.cell);
        editor.announce(`${shortText(card.text)} moved to ${where}`);
        focusCard(card.id);
      }
    };
    const remove = () => void deleteCard(editor, useJourney.getState().doc!, card);
    const onKeyDown = (e: React.KeyboardEvent) => {
      const direction = ARROWS[e.key];
      if (direction && e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        moveBy(direction);
      } else if (e.key === "F2") {
        e.preventDefault();
        type(card.id);
      } else if (e.key === "Delete" || e.key === "Backspace") {
        e.preventDefault();
        remove();
      }
    };

    const classes = [
      "card-slot",
      edge ? `drop-${edge}` : "",
      dragging ? "dragging" : "",
    ].join(" ");
    return (
      <div ref={slot} className={classes} data-card-slot={card.id}>
        {typing ? (
          <div className={`${cardClasses(card, selected)} editing`}>
            <InlineText
              multiline
              allowEmpty={false}
              value={card.text}
              label="Card text"
              onDone={(value) => {
                type(null);
                if (value !== null) editor.edit({ kind: "rename", entity: "card", id: card.id, name: value });
                focusCard(card.id);
              }}
            />
          </div>
        ) : (
          <CardButton
            card={card}
            selected={selected}
            onOpen={props.onOpen}
            aria-keyshortcuts="F2 Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown Delete"
            onDoubleClick={() => type(card.id)}
            onKeyDown={onKeyDown}
          />
        )}
        <ActionsMenu
          className="card-actions"
          label={`Card ${shortText(card.text)}: actions`}
          items={[
            { label: "Edit the text", onSelect: () => type(card.id) },
            { label: "Open the details", onSelect: () => props.onOpen(card.id) },
            { label: "Move to…", onSelect: () => setMoving(true) },
            { label: "Move left", onSelect: () => moveBy("left") },
            { label: "Move right", onSelect: () => moveBy("right") },
            { label: "Move up", onSelect: () => moveBy("up") },
            { label: "Move down", onSelect: () => moveBy("down") },
            { label: "Delete the card", onSelect: remove },
          ]}
        />
        {refusal && (
          <span className="refusal" role="alert">
            {refusal}
          </span>
        )}
        {moving && <MoveDialog card={card} onClose={() => setMoving(false)} />}
      </div>
    );
  },
  (a, b) => a.selected === b.selected && a.onOpen === b.onOpen && sameCard(a.card, b.card),
);

/** Cards are rebuilt on every edit; one whose fields are the same need not be drawn again. */
export function sameCard(a: Card, b: Card): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof Card)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const x = a[k];
    const y = b[k];
    return x === y || (typeof x === "object" && JSON.stringify(x) === JSON.stringify(y));
  });
}
