// The editor's keyboard shortcuts, in one list: the `?` dialog shows this list, so what it
// says is what the keys do. Undo and redo act on one's own edits (inverse operations) outside
// text fields; inside one the browser's own undo of the typing applies.
import { useEffect } from "react";
import { create } from "zustand";
import { useJourney } from "../state/journey";

export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: "Ctrl/⌘ + Z", what: "Undo your last change" },
  { keys: "Shift + Ctrl/⌘ + Z, or Ctrl + Y", what: "Redo" },
  { keys: "n", what: "Add a card in the cell that has the focus" },
  { keys: "Enter (on a card)", what: "Open the card's details" },
  { keys: "F2 (on a card)", what: "Edit the card's text in place" },
  { keys: "Alt + ← / →", what: "Move the card to the previous or next column" },
  { keys: "Alt + ↑ / ↓", what: "Move the card up or down in its cell, then to the lane above or below" },
  { keys: "Delete (on a card)", what: "Delete the card (undo brings it back)" },
  {
    keys: "↑ ↓ PageUp PageDown Home End (on an emotion point)",
    what: "Change the point's score: 0.5 (0.1 with Shift), 1, the lowest, the highest",
  },
  { keys: "Delete (on an emotion point)", what: "Delete the point (undo brings it back)" },
  { keys: "Escape", what: "Close a panel, a menu or a text field without saving the typing" },
  { keys: "?", what: "Show these shortcuts" },
];

export const useShortcutsDialog = create<{ open: boolean; show: (open: boolean) => void }>()(
  (set) => ({ open: false, show: (open) => set({ open }) }),
);

/** Whether the key went to something that takes text (its own undo, its own letters). */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["button", "checkbox", "radio", "range", "submit", "reset"].includes(type);
}

function isSelect(target: EventTarget | null): boolean {
  return target instanceof HTMLSelectElement;
}

/** What a key press outside text fields means for the whole editor. */
export function shortcutOf(e: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): "undo" | "redo" | "help" | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && !e.altKey && key === "z") return e.shiftKey ? "redo" : "undo";
  if (e.ctrlKey && !e.metaKey && !e.altKey && key === "y") return "redo";
  if (!mod && !e.altKey && e.key === "?") return "help";
  return null;
}

export function useEditShortcuts(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const what = shortcutOf(e);
      if (what === null) return;
      // Inside a text field the browser's own undo is the one meant; a select has none.
      if (isTextTarget(e.target) && !(what !== "help" && isSelect(e.target))) return;
      e.preventDefault();
      if (what === "undo") useJourney.getState().undo();
      else if (what === "redo") useJourney.getState().redo();
      else useShortcutsDialog.getState().show(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}
