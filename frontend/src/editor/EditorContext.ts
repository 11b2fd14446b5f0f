// What the map's parts need to edit: one way to make a change (an operation through the queue,
// the only write path) and the server's words on refused ones. The map is read-only where no
// editor is given (a viewer, a commenter, a share link): parts check `useEditor()` and draw no
// control at all when it is null.
import { createContext, useContext } from "react";
import type { Op, Target } from "../editing/ops";

export interface Editor {
  /** One user action (one or more operations); false when it could not apply on screen. */
  edit: (ops: Op | Op[]) => boolean;
  /** The server's message for a refused edit of this field (or entity: field null). */
  refusalFor: (target: Target) => string | undefined;
  /** Say something to screen readers (a move made by keyboard, an undo). */
  announce: (text: string) => void;
}

export const EditorContext = createContext<Editor | null>(null);

export function useEditor(): Editor | null {
  return useContext(EditorContext);
}
