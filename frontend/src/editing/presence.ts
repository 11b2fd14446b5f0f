import type { OverwriteNotice } from "./liveTransport";
// Presence goes out at most once an interval (the server relays ~20 a second at most from us):
// the first call at once, the calls inside the interval folded into one trailing call with
// the latest value.
export interface Throttled<T> {
  call(value: T): void;
  cancel(): void;
}

export interface Clock {
  now: () => number;
  setTimer: (run: () => void, ms: number) => unknown;
  clearTimer: (timer: unknown) => void;
}

export function throttle<T>(
  send: (value: T) => void,
  intervalMs: number,
  clock: Clock,
): Throttled<T> {
  let last = -Infinity;
  let timer: unknown = null;
  let latest: { value: T } | null = null;
  const fire = (): void => {
    timer = null;
    if (!latest) return;
    const { value } = latest;
    latest = null;
    last = clock.now();
    send(value);
  };
  return {
    call(value: T) {
      latest = { value };
      if (timer !== null) return;
      const wait = last + intervalMs - clock.now();
      if (wait <= 0) fire();
      else timer = clock.setTimer(fire, wait);
    },
    cancel() {
      if (timer !== null) clock.clearTimer(timer);
      timer = null;
      latest = null;
    },
  };
}

/** The card my presence names, and whether I am dragging it: the card I drag, else the one
 * I type in, else the one selected. */
export function presenceCard(where: {
  dragging: string | null;
  focused: string | null;
  selected: string | null;
}): { card: string | null; dragging: boolean } {
  if (where.dragging !== null) return { card: where.dragging, dragging: true };
  return { card: where.focused ?? where.selected, dragging: false };
}

/** What the outline on a card someone is on says: their name, and "moving" while they drag it. */
export function outlineLabel(person: { name: string; dragging: boolean }): string {
  return person.dragging ? `${person.name} is moving this card` : person.name;
}

/** A person's colour (one of PALETTE_SIZE, the same on every screen): from their actor id. */
export const PALETTE_SIZE = 8;
export function colourIndex(key: string): number {
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return hash % PALETTE_SIZE;
}

/** Up to two initials for an avatar: "Ann Lee" -> "AL", "bob@example.com" -> "B". */
export function initials(name: string): string {
  const words = name
    .replace(/@.*$/, "")
    .split(/[\s._-]+/)
    .filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => String.fromCodePoint(w.codePointAt(0)!).toUpperCase())
    .join("");
}

/** What an overwrite notice says: who overwrote what. */
export function noticeText(n: OverwriteNotice): string {
  const field = n.field.replaceAll("_", " ");
  const what = `the ${field} of ${n.entity === "journey" ? "the journey" : `this ${n.entity}`}`;
  return n.mine
    ? `${n.who} changed ${what} you had just set.`
    : `You changed ${what} ${n.who} had just set.`;
}

/** A field's value as a notice quotes it. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
