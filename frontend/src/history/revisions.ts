// The history list's words and choices: who and when for a revision, its line, the revisions and
// named versions offered in the "compare" pickers, and the pair a click opens. Pure (Vitest).
import type { components } from "../api/schema";

export type Revision = components["schemas"]["RevisionPublic"];
export type Version = components["schemas"]["VersionPublic"];

/** "Ada", or who it was when the name is not told (a share link, a deleted account). */
export function whoText(rev: Pick<Revision, "actor" | "actor_name">): string {
  if (rev.actor_name) return rev.actor_name;
  return rev.actor ? "A former member" : "Someone";
}

/** "7 Dec 2026, 15:20" in the reader's own time zone. */
export function whenText(ts: string, locale?: string): string {
  const at = new Date(ts);
  if (Number.isNaN(at.getTime())) return ts;
  return at.toLocaleString(locale ?? "en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** Which pair of revisions the page compares: `to` is drawn, changes since `from` marked. */
export interface Pair {
  from: number | null; // null: nothing before (revision 1)
  to: number;
}

/** Opening a revision shows what it changed: versus the one before it. */
export function pairFor(rev: number): Pair {
  return { from: rev > 1 ? rev - 1 : null, to: rev };
}

export interface Choice {
  rev: number;
  label: string;
}

/** The revisions and named versions a picker offers, newest first; a version says its name. */
export function choices(current: number, versions: readonly Version[]): Choice[] {
  const named = new Map<number, string[]>();
  for (const v of versions) named.set(v.rev, [...(named.get(v.rev) ?? []), v.name]);
  const out: Choice[] = [];
  for (let rev = current; rev >= 1; rev -= 1) {
    const names = named.get(rev);
    const base = rev === current ? `Revision ${rev} (current)` : `Revision ${rev}`;
    out.push({ rev, label: names ? `${names.join(", ")} — ${base.toLowerCase()}` : base });
  }
  return out;
}

/** The banner over the drawn revision: what is shown and what is marked. */
export function pairText(pair: Pair, current: number, versions: readonly Version[]): string {
  const name = (rev: number) => {
    const v = versions.find((x) => x.rev === rev);
    const base = rev === current ? `revision ${rev} (the current one)` : `revision ${rev}`;
    return v ? `“${v.name}” (${base})` : base;
  };
  const shown = `Showing ${name(pair.to)}, read-only`;
  if (pair.from === null) return `${shown}: the journey as created`;
  return `${shown}, with the changes since ${name(pair.from)} highlighted`;
}

/** The ETag the restore's If-Match carries: the journey's current revision. */
export function etagOf(rev: number): string {
  return `"r${rev}"`;
}

/** The pair a link names (`?rev=5`, `?rev=5&from=2`), when it is within 1..current. */
export function pairFromQuery(search: string, current: number): Pair | null {
  const q = new URLSearchParams(search);
  const num = (key: string): number | null => {
    const text = q.get(key);
    if (text === null || !/^\d+$/.test(text)) return null;
    const n = Number(text);
    return n >= 1 && n <= current ? n : null;
  };
  const to = num("rev");
  if (to === null) return null;
  return q.has("from") ? { from: num("from"), to } : pairFor(to);
}

/** The link's query for a pair: none for the default (the current revision vs the one before). */
export function queryOf(pair: Pair, current: number): string {
  const plain = pairFor(pair.to);
  if (pair.to === current && pair.from === plain.from) return "";
  return pair.from === plain.from ? `?rev=${pair.to}` : `?rev=${pair.to}&from=${pair.from ?? ""}`;
}
