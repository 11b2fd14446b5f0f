// @mention completion in a comment box: which member is being typed after an "@", the members
// that fit, and the text with the chosen one put in. The server finds mentions by "@email" or
// "@display name" (the longest wins: services/comments.py find_mentions), so what is inserted
// is the name, or the email where two members share that name.

export interface Member {
  user_id: string;
  email: string;
  display_name: string;
}

/** The "@..." being typed: where its "@" is, and the words after it up to the caret. */
export interface Typing {
  at: number;
  query: string;
}

const MAX_QUERY = 60;

function wordChar(c: string): boolean {
  return /[\p{L}\p{N}_.@]/u.test(c);
}

/** The mention being typed at `caret`, if any: an "@" at the start or after a non-word
 * character (so not the "@" of an email address), then no line break and no second "@". */
export function typingAt(text: string, caret: number): Typing | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf("@");
  if (at < 0) return null;
  if (at > 0 && wordChar(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  if (query.length > MAX_QUERY || /[\n@]/.test(query) || query.startsWith(" "))
    return null;
  return { at, query };
}

/** The members that fit `query`, best first: a name that starts with it, then a word of a
 * name, then an email; then anywhere in either. At most `limit`. */
export function matchMembers(
  members: readonly Member[],
  query: string,
  limit = 6,
): Member[] {
  const q = query.trim().toLowerCase();
  const rank = (m: Member): number => {
    const name = m.display_name.toLowerCase();
    const email = m.email.toLowerCase();
    if (!q) return 0;
    if (name.startsWith(q)) return 0;
    if (name.split(/\s+/).some((w) => w.startsWith(q))) return 1;
    if (email.startsWith(q)) return 2;
    if (name.includes(q) || email.includes(q)) return 3;
    return -1;
  };
  return members
    .map((m) => ({ m, r: rank(m) }))
    .filter((x) => x.r >= 0)
    .sort(
      (a, b) => a.r - b.r || a.m.display_name.localeCompare(b.m.display_name),
    )
    .slice(0, limit)
    .map((x) => x.m);
}

/** How a member is written after the "@": their name, unless another member has the same one
 * (or it is empty), then their email. */
export function mentionLabel(
  member: Member,
  members: readonly Member[],
): string {
  const name = member.display_name.trim();
  const same = members.filter(
    (m) => m.display_name.trim().toLowerCase() === name.toLowerCase(),
  );
  return name && same.length <= 1 ? name : member.email;
}

/** The text with the mention being typed replaced by the member's, and a space after it;
 * `caret` is where typing goes on. */
export function insertMention(
  text: string,
  typing: Typing,
  caret: number,
  member: Member,
  members: readonly Member[],
): { text: string; caret: number } {
  const label = `@${mentionLabel(member, members)}`;
  const after = text.slice(caret);
  const gap = after.startsWith(" ") ? "" : " ";
  const head = text.slice(0, typing.at) + label + gap;
  return { text: head + after, caret: head.length + (gap ? 0 : 1) };
}

/** The option the arrow keys move to, wrapping around; -1 for none. */
export function moveActive(
  active: number,
  count: number,
  key: "ArrowDown" | "ArrowUp",
): number {
  if (count === 0) return -1;
  if (key === "ArrowDown") return active < 0 ? 0 : (active + 1) % count;
  return active <= 0 ? count - 1 : active - 1;
}
