// Operations applied to the editor's journey as the server applies them (domain/apply.py):
// the optimistic state on screen, and the state undo computes inverses from. Only the rules
// that decide where things are and whether they exist are repeated here; whether a value is
// valid (a severity of 7, an empty name) is the server's call, and its refusal rolls back.
import { KINDS, NESTED, findItem, live, putItem, type EditJourney, type Item } from "./model";
import type { EntityKind, MoveOp, Op } from "./ops";
import { freeKey, keyAt } from "./orderKeys";
import { withDefaults } from "./defaults";

/** The operation cannot be applied to this journey; nothing changed. */
export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EditError";
  }
}

const WORD: Partial<Record<EntityKind, string>> = { emotion: "emotion point" };
const FIXED = new Set(["id", "kind", "steps", "lanes", "order_key", "deleted"]);
// A card's cell changes by a move, never by a set (the server says the same).
const PLACEMENT: Partial<Record<EntityKind, Set<string>>> = {
  card: new Set(["stage", "step", "lane"]),
};
const MOVE_TARGETS: Partial<Record<EntityKind, Set<string>>> = {
  card: new Set(["stage", "step", "lane"]),
  emotion: new Set(["stage", "step"]),
  step: new Set(["stage"]),
  lane: new Set(["section"]),
};

function word(kind: EntityKind): string {
  return WORD[kind] ?? kind;
}

function get(j: EditJourney, kind: EntityKind, id: string | null | undefined): Item {
  const item = id == null ? undefined : findItem(j, kind, id);
  if (!item) throw new EditError(`no ${word(kind)} '${id ?? ""}'`);
  return item;
}

function getLive(j: EditJourney, kind: EntityKind, id: string | null | undefined): Item {
  const item = get(j, kind, id);
  if (item.deleted) throw new EditError(`${word(kind)} '${item.id}' is deleted`);
  return item;
}

function cellOf(item: Item): string {
  const f = item.fields;
  return JSON.stringify([f.stage, f.step ?? null, f.lane]);
}

/** The live items `item` is ordered among, in order, without `item` itself. */
export function siblings(j: EditJourney, kind: EntityKind, item: Item): Item[] {
  let pool: Item[];
  if (kind === "card") pool = live(j, kind).filter((c) => cellOf(c) === cellOf(item));
  else if (NESTED[kind]) pool = live(j, kind, item.parent);
  else pool = live(j, kind);
  return pool.filter((s) => s.id !== item.id);
}

function place(
  sibs: Item[],
  before: string | null | undefined,
  after: string | null | undefined,
  what: string,
): string {
  if (before != null && after != null) throw new EditError("give `after` or `before`, not both");
  const ids = sibs.map((s) => s.id);
  for (const anchor of [after, before]) {
    if (anchor != null && !ids.includes(anchor)) {
      throw new EditError(`'${anchor}' is not beside this ${what}`);
    }
  }
  const index =
    after != null ? ids.indexOf(after) + 1 : before != null ? ids.indexOf(before) : ids.length;
  return keyAt(
    sibs.map((s) => s.key),
    index,
  );
}

/** Ids of stages and steps share one namespace (a card names either). */
function taken(j: EditJourney, kind: EntityKind, id: string): Item | undefined {
  const kinds: EntityKind[] = kind === "stage" || kind === "step" ? ["stage", "step"] : [kind];
  for (const k of kinds) {
    const found = findItem(j, k, id);
    if (found) return found;
  }
  return undefined;
}

/** A card or emotion point may only go where the map shows it. */
function requireLivePlace(
  j: EditJourney,
  kind: EntityKind,
  fields: Readonly<Record<string, unknown>>,
): void {
  if (kind !== "card" && kind !== "emotion") return;
  getLive(j, "stage", fields.stage as string);
  if (fields.step != null) getLive(j, "step", fields.step as string);
  if (kind === "card") getLive(j, "lane", fields.lane as string);
  else if (fields.card != null) getLive(j, "card", fields.card as string);
}

function add(j: EditJourney, op: Extract<Op, { kind: "add" }>): EditJourney {
  let parent: string | null = null;
  const nested = NESTED[op.entity];
  if (nested) {
    const named = op.value[nested.parent];
    if (typeof named !== "string") throw new EditError(`a ${op.entity} needs a ${nested.parent}`);
    getLive(j, nested.parent, named);
    parent = named;
  }
  // The parent is the item's place, not one of its fields; the id is the op's.
  const fields = withDefaults(
    op.entity,
    Object.fromEntries(
      Object.entries(op.value).filter(([k]) => k !== "id" && k !== nested?.parent),
    ),
  );
  const clash = taken(j, op.entity, op.id);
  if (clash) {
    throw new EditError(
      `id '${op.id}' is taken by ${clash.deleted ? "a deleted" : "another"} ${word(op.entity)}`,
    );
  }
  requireLivePlace(j, op.entity, fields);
  const item: Item = { id: op.id, key: "", deleted: false, parent, fields };
  const key = place(siblings(j, op.entity, item), op.before, op.after, word(op.entity));
  return putItem(j, op.entity, { ...item, key });
}

function setField(
  j: EditJourney,
  kind: EntityKind | "journey",
  id: string | null | undefined,
  field: string,
  value: unknown,
): EditJourney {
  if (kind === "journey") {
    if (field === "id" || FIXED.has(field))
      throw new EditError(`the journey has no field '${field}' to set`);
    return { ...j, header: { ...j.header, [field]: value } };
  }
  const item = get(j, kind, id);
  if (item.deleted) throw new EditError(`${word(kind)} '${item.id}' is deleted`);
  if (FIXED.has(field) || PLACEMENT[kind]?.has(field)) {
    throw new EditError(`cannot set '${field}' on a ${word(kind)}`);
  }
  const fields = { ...item.fields, [field]: value };
  if (kind === "emotion") requireLivePlace(j, kind, fields);
  return putItem(j, kind, { ...item, fields });
}

function move(j: EditJourney, op: MoveOp): EditJourney {
  const item = getLive(j, op.entity, op.id);
  const named = (["stage", "step", "lane", "section"] as const).filter((f) => op[f] != null);
  const wrong = named.filter((f) => !MOVE_TARGETS[op.entity]?.has(f));
  if (wrong.length) throw new EditError(`a ${word(op.entity)} cannot be moved to a ${wrong[0]}`);
  if (!named.length && op.before == null && op.after == null) {
    throw new EditError("say where to: `after`, `before`, or a new place");
  }
  let moved: Item = item;
  if (op.entity === "card" || op.entity === "emotion") {
    let stage = op.stage ?? (item.fields.stage as string);
    if (op.step != null && op.stage == null) stage = get(j, "step", op.step).parent ?? stage;
    const step = op.step != null || op.stage != null ? (op.step ?? null) : item.fields.step;
    const fields: Record<string, unknown> = { ...item.fields, stage, step };
    if (op.entity === "card") fields.lane = op.lane ?? item.fields.lane;
    requireLivePlace(j, op.entity, fields);
    moved = { ...item, fields };
  } else if (NESTED[op.entity]) {
    const parentKind = NESTED[op.entity]!.parent;
    const target = (parentKind === "stage" ? op.stage : op.section) ?? item.parent;
    getLive(j, parentKind, target);
    moved = { ...item, parent: target };
  }
  moved = {
    ...moved,
    key: place(siblings(j, op.entity, moved), op.before, op.after, word(op.entity)),
  };
  let out = putItem(j, op.entity, moved);
  if (op.entity === "card")
    out = follow(
      out,
      "emotion",
      (e) => e.fields.card === op.id,
      moved.fields.stage,
      moved.fields.step,
    );
  if (op.entity === "step" && moved.parent !== item.parent) {
    // Cards and emotion points in a step go with it to its new stage.
    const cards = new Set(
      live(out, "card")
        .filter((c) => c.fields.step === op.id)
        .map((c) => c.id),
    );
    out = follow(out, "card", (c) => c.fields.step === op.id, moved.parent, undefined);
    out = follow(
      out,
      "emotion",
      (e) => e.fields.step === op.id || cards.has(String(e.fields.card)),
      moved.parent,
      undefined,
    );
  }
  return out;
}

/** Items of a kind matching `which` take a new stage (and step, when given). */
function follow(
  j: EditJourney,
  kind: EntityKind,
  which: (it: Item) => boolean,
  stage: unknown,
  step: unknown,
): EditJourney {
  const list = j.items[kind].map((it) => {
    if (!which(it)) return it;
    const fields = step === undefined ? { ...it.fields, stage } : { ...it.fields, stage, step };
    return { ...it, fields };
  });
  return { ...j, items: { ...j.items, [kind]: list } };
}

function tombstone(j: EditJourney, kind: EntityKind, id: string, deleted: boolean): EditJourney {
  const item = get(j, kind, id);
  if (item.deleted === deleted) {
    throw new EditError(`${word(kind)} '${id}' is ${deleted ? "already deleted" : "not deleted"}`);
  }
  if (deleted) return putItem(j, kind, { ...item, deleted });
  for (const [parentKind, ref] of parentsOf(kind, item)) {
    if (ref != null && get(j, parentKind, ref).deleted) {
      throw new EditError(`its ${parentKind} '${ref}' is deleted`);
    }
  }
  const key = freeKey(
    siblings(j, kind, item).map((s) => s.key),
    item.key,
  );
  return putItem(j, kind, { ...item, deleted, key });
}

function parentsOf(kind: EntityKind, item: Item): [EntityKind, string | null][] {
  const nested = NESTED[kind];
  if (nested) return [[nested.parent, item.parent]];
  const f = item.fields as Record<string, string | null>;
  if (kind === "card")
    return [
      ["stage", f.stage ?? null],
      ["step", f.step ?? null],
      ["lane", f.lane ?? null],
    ];
  if (kind === "emotion")
    return [
      ["stage", f.stage ?? null],
      ["step", f.step ?? null],
      ["card", f.card ?? null],
    ];
  return [];
}

/** The journey after `op`; EditError (and `j` unchanged) when it cannot be applied. */
export function applyOp(j: EditJourney, op: Op): EditJourney {
  if (op.kind !== "set" && !KINDS.includes(op.entity))
    throw new EditError(`unknown entity '${op.entity}'`);
  switch (op.kind) {
    case "add":
      return add(j, op);
    case "set":
      return setField(j, op.entity, op.id, op.field, op.value);
    case "rename":
      return setField(j, op.entity, op.id, op.entity === "card" ? "text" : "name", op.name);
    case "move":
      return move(j, op);
    case "delete":
      return tombstone(j, op.entity, op.id, true);
    case "restore":
      return tombstone(j, op.entity, op.id, false);
  }
}

/** `ops` applied in order, all or nothing, as the server applies a batch. */
export function applyOps(j: EditJourney, ops: readonly Op[]): EditJourney {
  return ops.reduce(applyOp, j);
}
