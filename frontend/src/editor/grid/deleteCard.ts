import type { Card, JourneyDoc } from "../../api/journey";
import type { Editor } from "../EditorContext";
import { neighbourOf, shortText } from "../structure";
import { addButtonId, focusCard, focusLater } from "./ui";

/** Delete a card (from the grid or its panel), say so, and keep the keyboard in its cell. */
export function deleteCard(editor: Editor, doc: JourneyDoc, card: Card): boolean {
  const next = neighbourOf(doc, card.id);
  if (!editor.edit({ kind: "delete", entity: "card", id: card.id })) return false;
  editor.announce(`${shortText(card.text)} deleted. Ctrl+Z brings it back.`);
  if (next) focusCard(next);
  else focusLater(addButtonId(card)); // the last of its cell: the cell's "+" keeps the keyboard
  return true;
}
