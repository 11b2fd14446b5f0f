// Undo and redo of one's own edits as inverse operations, never by restoring a snapshot: a
// snapshot would also wipe whatever others changed meanwhile, an inverse touches only what the
// edit touched. Each inverse is computed from the journey just before the edit is applied.
import { applyOp, siblings } from "./applyOp";
import { NESTED, findItem, type EditJourney } from "./model";
import type { MoveOp, Op } from "./ops";

/** The operation that takes `after = applyOp(before, op)` back to `before` (as the document
 * shows it: the same items, fields and order). `before` must be the journey `op` applies to. */
export function inverseOf(before: EditJourney, op: Op): Op {
  switch (op.kind) {
    case "add":
      // The add gave the id, so its undo can name it. Redo is then a restore (the inverse of
      // this delete), not the add again: the server keeps the tombstone and its id is taken.
      return { kind: "delete", entity: op.entity, id: op.id };
    case "delete":
      return { kind: "restore", entity: op.entity, id: op.id };
    case "restore":
      return { kind: "delete", entity: op.entity, id: op.id };
    case "set": {
      const old =
        op.entity === "journey"
          ? before.header[op.field]
          : op.id == null
            ? undefined
            : findItem(before, op.entity, op.id)?.fields[op.field];
      return {
        kind: "set",
        entity: op.entity,
        id: op.id ?? null,
        field: op.field,
        value: old ?? null,
      };
    }
    case "rename": {
      const item = findItem(before, op.entity, op.id);
      const old = item?.fields[op.entity === "card" ? "text" : "name"];
      return {
        kind: "rename",
        entity: op.entity,
        id: op.id,
        name: typeof old === "string" ? old : "",
      };
    }
    case "move":
      return moveBack(before, op);
  }
}

/** A move to where the item was: its old parent or cell, beside its old neighbour. The key it
 * gets may differ from the old one; the order it gives is the same. */
function moveBack(before: EditJourney, op: MoveOp): Op {
  const item = findItem(before, op.entity, op.id);
  if (!item) return op; // cannot happen for an op that applied; the server will say so
  const back: MoveOp = { kind: "move", entity: op.entity, id: op.id };
  if (op.entity === "card" || op.entity === "emotion") {
    back.stage = item.fields.stage as string;
    back.step = (item.fields.step as string | null | undefined) ?? null;
    if (op.entity === "card") back.lane = item.fields.lane as string;
  } else if (NESTED[op.entity]) {
    if (NESTED[op.entity]!.parent === "stage") back.stage = item.parent;
    else back.section = item.parent;
  }
  const sibs = siblings(before, op.entity, item);
  const previous = sibs.filter((s) => s.key < item.key).pop();
  const next = sibs.find((s) => s.key > item.key);
  if (previous) back.after = previous.id;
  else if (next) back.before = next.id;
  return back;
}

/** One user action: the operations it sent and the ones that take it back. */
export interface UndoEntry {
  ops: Op[];
  inverses: Op[]; // in the order to apply them (the last op's inverse first)
  opIds: string[]; // the op_ids the action was sent with, so a refusal can drop it
}

/** `ops` applied in order to `before`, with their inverses; EditError if one cannot apply. */
export function withInverses(
  before: EditJourney,
  ops: readonly Op[],
): { after: EditJourney; inverses: Op[] } {
  let state = before;
  const inverses: Op[] = [];
  for (const op of ops) {
    inverses.unshift(inverseOf(state, op));
    state = applyOp(state, op);
  }
  return { after: state, inverses };
}

/** The two stacks. A new edit clears redo, as everywhere. Undoing yields the inverses to send
 * (as a new edit with new op_ids); its own inverses (computed when it applies) become the redo. */
export class UndoHistory {
  private done: UndoEntry[] = [];
  private undone: UndoEntry[] = [];

  constructor(private readonly limit = 200) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** A new edit by the user. */
  record(entry: UndoEntry): void {
    this.done.push(entry);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  /** The entry to undo: the caller sends its inverses and hands back the entry they made. */
  takeUndo(): UndoEntry | undefined {
    return this.done.pop();
  }

  takeRedo(): UndoEntry | undefined {
    return this.undone.pop();
  }

  /** An undo sent: redoing it takes its inverses. */
  pushRedo(entry: UndoEntry): void {
    this.undone.push(entry);
  }

  /** A redo sent: it can be undone again (without clearing the rest of redo). */
  pushUndo(entry: UndoEntry): void {
    this.done.push(entry);
  }

  /** The server refused one of these op_ids: its action is no more, so neither is its undo. */
  forget(opId: string): void {
    const keep = (e: UndoEntry): boolean => !e.opIds.includes(opId);
    this.done = this.done.filter(keep);
    this.undone = this.undone.filter(keep);
  }
}
