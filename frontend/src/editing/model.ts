// The journey as the editor edits it: every entity a flat item with its order key, its parent
// and a tombstone flag, so that operations apply locally exactly as the server applies them
// (src/journeymap/domain/apply.py) and undo can bring a deleted item back to where it was.
// Values are never changed in place: an edit builds new objects, so a snapshot taken before an
// edit stays as it was (what rollback and the tests compare against).
import type { EntityKind } from "./ops";
import { compareKeys, initialKeys } from "./orderKeys";

export interface Item {
  id: string;
  key: string; // fractional order key among its siblings
  deleted: boolean;
  parent: string | null; // a step's stage, a lane's section; null for the rest
  fields: Readonly<Record<string, unknown>>; // everything else, as the document has it
}

export interface EditJourney {
  header: Readonly<Record<string, unknown>>; // the journey's own fields (title, owner, ...)
  items: Readonly<Record<EntityKind, readonly Item[]>>;
}

/** Where each kind sits in the document: top-level list, or nested in a parent's list. */
export const TOP: Partial<Record<EntityKind, string>> = {
  persona: "personas",
  channel: "channels",
  stage: "stages",
  section: "sections",
  card: "cards",
  emotion: "emotions",
};
export const NESTED: Partial<Record<EntityKind, { parent: EntityKind; list: string }>> = {
  step: { parent: "stage", list: "steps" },
  lane: { parent: "section", list: "lanes" },
};
export const KINDS: readonly EntityKind[] = [
  "persona",
  "channel",
  "stage",
  "step",
  "section",
  "lane",
  "card",
  "emotion",
];
const BOOKKEEPING = new Set(["order_key", "deleted"]);

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function listOf(o: Obj, key: string): Obj[] {
  const value = o[key];
  return Array.isArray(value) ? value.filter(isObj) : [];
}

/** Items of one list, keyed by `order_key` when the document carries them (every item), else
 * given keys in listed order: the server lists them in key order, so the order is the same. */
function readItems(raw: Obj[], parent: string | null, drop: readonly string[]): Item[] {
  const keyed = raw.every((o) => typeof o.order_key === "string" && o.order_key !== "");
  const fresh = keyed ? [] : initialKeys(raw.length);
  return raw.map((o, i) => {
    const fields: Obj = {};
    for (const [k, v] of Object.entries(o)) {
      if (k !== "id" && !BOOKKEEPING.has(k) && !drop.includes(k)) fields[k] = v;
    }
    return {
      id: String(o.id),
      key: keyed ? String(o.order_key) : fresh[i]!,
      deleted: o.deleted === true,
      parent,
      fields,
    };
  });
}

/** The editor's journey from the document of GET /api/journeys/{id} (or a journey file). */
export function fromDocument(document: unknown): EditJourney {
  const doc = isObj(document) ? document : {};
  const header: Obj = {};
  const lists = new Set(Object.values(TOP));
  for (const [k, v] of Object.entries(doc)) if (!lists.has(k)) header[k] = v;
  const items = {} as Record<EntityKind, Item[]>;
  for (const kind of KINDS) items[kind] = [];
  for (const [kind, list] of Object.entries(TOP) as [EntityKind, string][]) {
    const drop = kind === "stage" ? ["steps"] : kind === "section" ? ["lanes"] : [];
    const raw = listOf(doc, list);
    items[kind] = readItems(raw, null, drop);
    for (const [child, where] of Object.entries(NESTED) as [
      EntityKind,
      { parent: EntityKind; list: string },
    ][]) {
      if (where.parent !== kind) continue;
      items[child] = raw.flatMap((p) => readItems(listOf(p, where.list), String(p.id), []));
    }
  }
  return { header, items };
}

function byKey(a: Item, b: Item): number {
  return compareKeys(a.key, b.key);
}

/** The live items of a kind in order (the parent's, when given). */
export function live(j: EditJourney, kind: EntityKind, parent?: string | null): Item[] {
  return j.items[kind]
    .filter((it) => !it.deleted && (parent === undefined || it.parent === parent))
    .sort(byKey);
}

/** The journey as the server's document shows it: live items in order, no bookkeeping. This is
 * what "the same journey" means in the undo tests: order matters, the keys that give it not. */
export function toDocument(j: EditJourney): Obj {
  const doc: Obj = { ...j.header };
  for (const [kind, list] of Object.entries(TOP) as [EntityKind, string][]) {
    doc[list] = live(j, kind).map((it) => {
      const out: Obj = { id: it.id, ...it.fields };
      for (const [child, where] of Object.entries(NESTED) as [
        EntityKind,
        { parent: EntityKind; list: string },
      ][]) {
        if (where.parent === kind) {
          out[where.list] = live(j, child, it.id).map((c) => ({ id: c.id, ...c.fields }));
        }
      }
      return out;
    });
  }
  return doc;
}

export function findItem(j: EditJourney, kind: EntityKind, id: string): Item | undefined {
  return j.items[kind].find((it) => it.id === id);
}

/** `j` with `item` replacing the item of its kind with the same id, or appended. */
export function putItem(j: EditJourney, kind: EntityKind, item: Item): EditJourney {
  const list = j.items[kind];
  const at = list.findIndex((it) => it.id === item.id);
  const next = at < 0 ? [...list, item] : list.map((it, i) => (i === at ? item : it));
  return { ...j, items: { ...j.items, [kind]: next } };
}
