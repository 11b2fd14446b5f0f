// The change marks of the map being compared, for the cards to read: null outside a comparison
// (the editor, a share link), so a card draws as always there.
import { createContext, useContext } from "react";
import type { Mark } from "./changes";

export const ChangeMarks = createContext<Map<string, Mark> | null>(null);

export function useChangeMark(cardId: string): Mark | undefined {
  return useContext(ChangeMarks)?.get(cardId);
}
