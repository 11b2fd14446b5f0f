// Pending operations kept in the browser's storage, so that an edit made just before a reload,
// a crash or a closed laptop is sent when the page comes back. Keyed by journey; the version
// tag lets a later format be told apart; whatever cannot be read is dropped, never trusted.
import type { OpItem } from "./ops";

/** The part of the Web Storage API used here (localStorage, or a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const STORAGE_VERSION = 1;
const PREFIX = "journeymap.pending.";
const KINDS = new Set(["add", "set", "rename", "move", "delete", "restore"]);

interface Stored {
  version: number;
  journey: string;
  ops: OpItem[];
}

/** Where a journey's pending operations are kept: per person (a shared browser never sends one
 * person's edits as another's), then per journey. */
export function storageKey(journeyId: string, owner = ""): string {
  return owner ? `${PREFIX}${owner}.${journeyId}` : `${PREFIX}${journeyId}`;
}

function isOpItem(value: unknown): value is OpItem {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { op_id?: unknown; op?: unknown };
  if (typeof v.op_id !== "string" || v.op_id === "") return false;
  if (typeof v.op !== "object" || v.op === null) return false;
  const op = v.op as { kind?: unknown; entity?: unknown };
  return typeof op.kind === "string" && KINDS.has(op.kind) && typeof op.entity === "string";
}

/** Pending operations of one journey in a key-value storage. */
export class PendingStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly owner = "",
  ) {}

  /** The browser's localStorage for this person, or null where there is none (or it is
   * blocked). */
  static local(owner = ""): PendingStore | null {
    try {
      const storage = globalThis.localStorage as KeyValueStorage | undefined;
      return storage ? new PendingStore(storage, owner) : null;
    } catch {
      return null; // a storage the browser denies (privacy settings) throws on access
    }
  }

  /** The operations left pending for this journey; [] when none, or when what is stored is
   * not ours to read (another version, a broken write, someone's hand edit). */
  load(journeyId: string): OpItem[] {
    let text: string | null;
    try {
      text = this.storage.getItem(storageKey(journeyId, this.owner));
    } catch {
      return [];
    }
    if (text === null) return [];
    try {
      const data = JSON.parse(text) as Partial<Stored>;
      if (
        data.version === STORAGE_VERSION &&
        data.journey === journeyId &&
        Array.isArray(data.ops)
      ) {
        if (data.ops.every(isOpItem)) return data.ops;
      }
    } catch {
      // fall through: unreadable
    }
    this.clear(journeyId); // so it is not read (and refused) again on every load
    return [];
  }

  /** Keep these as the journey's pending operations (none: forget the entry). */
  save(journeyId: string, ops: readonly OpItem[]): void {
    if (ops.length === 0) {
      this.clear(journeyId);
      return;
    }
    const data: Stored = { version: STORAGE_VERSION, journey: journeyId, ops: [...ops] };
    try {
      this.storage.setItem(storageKey(journeyId, this.owner), JSON.stringify(data));
    } catch {
      // Storage full or denied: the edits still go to the server, they only would not survive
      // a reload. Nothing better to do here than not to crash the editor.
    }
  }

  clear(journeyId: string): void {
    try {
      this.storage.removeItem(storageKey(journeyId, this.owner));
    } catch {
      // as above
    }
  }
}
