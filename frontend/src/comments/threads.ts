// A journey's comments as threads: a top-level comment and its replies, on one card or stage;
// the open threads counted per target (the badges); who may resolve a thread.
import type { components } from "../api/schema";

export type Comment = components["schemas"]["CommentPublic"];
export type TargetKind = "card" | "stage";

export interface Target {
  kind: TargetKind;
  id: string;
}

export interface Thread {
  root: Comment;
  replies: Comment[];
  resolved: boolean;
}

export function targetKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}

/** "card:abc" back to its target; null for anything else. */
export function parseTarget(text: string | null): Target | null {
  if (!text) return null;
  const at = text.indexOf(":");
  const kind = text.slice(0, at);
  const id = text.slice(at + 1);
  if (at < 0 || !id || (kind !== "card" && kind !== "stage")) return null;
  return { kind, id };
}

/** The threads, oldest first, of one target (or of all); a reply goes with its top comment,
 * however deep (the server keeps replies after their parent). */
export function threadsOf(
  comments: readonly Comment[],
  target?: Target | null,
): Thread[] {
  const byId = new Map(comments.map((c) => [c.id, c]));
  const rootOf = (c: Comment): Comment => {
    let at = c;
    for (let hops = 0; at.parent_id != null && hops < 50; hops++) {
      const up = byId.get(at.parent_id);
      if (!up) break;
      at = up;
    }
    return at;
  };
  const threads = new Map<number, Thread>();
  for (const c of comments) {
    if (target && (c.target_kind !== target.kind || c.target_id !== target.id))
      continue;
    const root = rootOf(c);
    let thread = threads.get(root.id);
    if (!thread) {
      thread = { root, replies: [], resolved: root.resolved_at != null };
      threads.set(root.id, thread);
    }
    if (c.id !== root.id) thread.replies.push(c);
  }
  return [...threads.values()];
}

/** Open threads per target ("card:id" -> count): what the badges show. */
export function openCounts(comments: readonly Comment[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of threadsOf(comments)) {
    if (t.resolved) continue;
    const key = targetKey(t.root.target_kind, t.root.target_id);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** A badge's accessible name. */
export function countLabel(n: number): string {
  return `${n} open comment${n === 1 ? "" : "s"}`;
}

/** Who may resolve or reopen a thread: as services/policy.py says (may_change_comment), the
 * author of its top comment only. The server decides; this only hides a button that would be
 * refused. */
export function mayResolve(
  root: Comment,
  me: string | null | undefined,
): boolean {
  return me != null && root.author_id === me;
}

/** Whether a role may write comments: commenters and up (services/policy.py). */
export function mayComment(role: string | null | undefined): boolean {
  return role === "commenter" || role === "editor" || role === "owner";
}
