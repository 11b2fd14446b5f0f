// What the grid is doing right now, beyond the journey: which name or card text is being typed
// in place. A new stage or card starts in this state, so one can type its name at once.
import { create } from "zustand";

export interface GridUi {
  renaming: string | null; // a stage, step, section or lane whose name is being typed
  typing: string | null; // a card whose text is being typed
  drafting: string | null; // a cell (cellKey) where a new card's text is being typed
  rename: (id: string | null) => void;
  type: (id: string | null) => void;
  draft: (cell: string | null) => void;
}

/** A cell as one string, for `drafting`. */
export function cellKey(cell: { stage: string; step: string | null; lane: string }): string {
  return `${cell.stage}|${cell.step ?? ""}|${cell.lane}`;
}

export const useGridUi = create<GridUi>()((set) => ({
  renaming: null,
  typing: null,
  drafting: null,
  rename: (id) => set({ renaming: id }),
  type: (id) => set({ typing: id }),
  draft: (cell) => set({ drafting: cell }),
}));

/** Focus a card once the grid has drawn it where it now is. */
export function focusCard(id: string): void {
  focusLater(`card-${id}`);
}

/** Focus an element by id once the grid has drawn it (after a rename, its actions button). */
export function focusLater(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

/** The id of a stage's, step's, section's or lane's actions button. */
export function actionsId(id: string): string {
  return `actions-${id}`;
}

/** The id of a cell's "+" button. */
export function addButtonId(cell: { stage: string; step?: string | null; lane: string }): string {
  return `add-${cell.stage}-${cell.step ?? ""}-${cell.lane}`;
}
