// The six edit operations as POST /api/journeys/{id}/ops takes them in `ops[].op`.
// They mirror the server's operation union (src/journeymap/domain/operations.py, the `op` of
// the OpenAPI `OpItem`): the wire types there say only `dict`, so they are written out here.
// Keep the two in step: a field added on the server is a field added here.

/** Every kind of thing an operation names (the journey itself only for `set`). */
export type EntityKind =
  | "persona"
  | "channel"
  | "stage"
  | "step"
  | "section"
  | "lane"
  | "card"
  | "emotion";

/** Where an added or moved item goes among its siblings: after one, before one, or (neither)
 * at the end. The server computes the order key; the client never sends one. */
interface Placed {
  before?: string | null;
  after?: string | null;
}

/** Add an entity. `value` holds its fields; a step names its `stage`, a lane its `section`.
 * The editor always gives the id, so that undo (a delete) and the ops after it can name it. */
export interface AddOp extends Placed {
  kind: "add";
  entity: EntityKind;
  id: string;
  value: Record<string, unknown>;
}

/** Set one field of an entity, or of the journey (`entity: "journey"`, no id). */
export interface SetOp {
  kind: "set";
  entity: EntityKind | "journey";
  id?: string | null;
  field: string;
  value: unknown;
}

/** Set the name of a stage, step, section, lane, persona or channel (a card's text). */
export interface RenameOp {
  kind: "rename";
  entity: EntityKind;
  id: string;
  name: string;
}

/** Reorder an entity, or move it: a step to a `stage`, a lane to a `section`, a card to another
 * `stage`/`step`/`lane` (a stage without a step puts a card at stage level), an emotion point
 * to another `stage`/`step`. */
export interface MoveOp extends Placed {
  kind: "move";
  entity: EntityKind;
  id: string;
  stage?: string | null;
  step?: string | null;
  lane?: string | null;
  section?: string | null;
}

/** Delete an entity: the server keeps a tombstone, so `restore` brings it back. */
export interface DeleteOp {
  kind: "delete";
  entity: EntityKind;
  id: string;
}

export interface RestoreOp {
  kind: "restore";
  entity: EntityKind;
  id: string;
}

export type Op = AddOp | SetOp | RenameOp | MoveOp | DeleteOp | RestoreOp;

/** One operation as the batch carries it: the client's op_id makes a resend harmless (the
 * server answers `duplicate` with the revision it was applied in). */
export interface OpItem {
  op_id: string;
  op: Op;
}

/** The body of POST /api/journeys/{id}/ops. */
export interface OpsBatch {
  base_rev: number;
  ops: OpItem[];
}

/** The server's answer to an accepted batch (OpenAPI `OpsResult`). */
export interface OpsResult {
  rev: number;
  status: "applied" | "duplicate" | "unchanged";
  acks: { op_id: string; rev: number; status: "applied" | "duplicate" }[];
  overwrites: {
    op_id: string;
    entity: string;
    id: string | null;
    field: string;
    rev: number;
    actor: string | null;
    by_op_id: string;
  }[];
}

/** The field of an entity an operation concerns, so a refusal can be shown beside it:
 * `field` is null when the whole entity is concerned (add, move, delete, restore). */
export interface Target {
  entity: EntityKind | "journey";
  id: string | null;
  field: string | null;
}

export function targetOf(op: Op): Target {
  switch (op.kind) {
    case "set":
      return { entity: op.entity, id: op.id ?? null, field: op.field };
    case "rename":
      return { entity: op.entity, id: op.id, field: op.entity === "card" ? "text" : "name" };
    default:
      return { entity: op.entity, id: op.id, field: null };
  }
}

/** A string key for a target, for maps of messages by field. */
export function targetKey(target: Target): string {
  return `${target.entity}:${target.id ?? ""}:${target.field ?? ""}`;
}

/** A fresh op_id: unique per edit, kept across retries and reloads. */
export function newOpId(): string {
  return crypto.randomUUID();
}

/** An id for an entity the editor adds: the add names it, so that its undo (a delete) and the
 * edits queued after it can name it before the server has answered. Matches the server's id
 * rule (letters, digits, '-', '_', '.'; at most 64), e.g. "card-3f9a1c2b0d4e". */
export function newEntityId(entity: EntityKind): string {
  return `${entity}-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
}
