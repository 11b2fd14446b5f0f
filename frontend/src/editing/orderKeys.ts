// Fractional order keys, computed as the server computes them (src/journeymap/domain/ordering.py,
// which uses a port of this very package, pinned to the same 3.2.0; tests/domain/test_ordering.py
// checks both give the same keys). The client places items locally with the key the server will
// give them, so the optimistic order on screen is the order the server keeps.
import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";

/** A key that sorts after `before` and before `after` (null: open-ended). */
export function keyBetween(before: string | null, after: string | null): string {
  return generateKeyBetween(before || null, after || null);
}

/** Keys for `n` items listed in this order (a document read without keys). */
export function initialKeys(n: number): string[] {
  return generateNKeysBetween(null, null, n);
}

/** The key for an item inserted at `index` among siblings with these keys (sorted). */
export function keyAt(sortedKeys: readonly string[], index: number): string {
  const before = index > 0 ? sortedKeys[index - 1]! : null;
  const after = index < sortedKeys.length ? sortedKeys[index]! : null;
  return keyBetween(before, after);
}

/** `key`, or, when an item added meanwhile holds it, a key just after that item: where a
 * restored item goes (the server's `_free_key`). */
export function freeKey(siblingKeys: readonly string[], key: string): string {
  if (!siblingKeys.includes(key)) return key;
  const later = siblingKeys.filter((k) => k > key).sort();
  return keyBetween(key, later[0] ?? null);
}

/** Keys compare bytewise (they are ASCII), as Python's `str` and PostgreSQL's COLLATE "C". */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
