// The team pages' rules, as the server's policy has them (services/policy.py, members.py):
// the pages only call these to decide what to offer; the server decides, and its words are
// shown when it refuses.
import type { components } from "../api/schema";

export type Role = components["schemas"]["MemberPublic"]["role"];
export type Member = components["schemas"]["MemberPublic"];
export type Token = components["schemas"]["TokenPublic"];

/** Most to least, as a role select lists them. */
export const ROLES: Role[] = ["owner", "editor", "commenter", "viewer"];

export const ROLE_WORDS: Record<Role, string> = {
  owner: "Owner: everything, and the workspace's members",
  editor: "Editor: changes journeys, personas and share links",
  commenter: "Commenter: reads and comments",
  viewer: "Viewer: reads",
};

/** What the signed-in person (`me`, with `myRole`) may do to a member on the members page. */
export function memberActions(
  me: string,
  myRole: Role | undefined,
  member: Member,
  members: Member[],
): { changeRole: boolean; remove: "remove" | "leave" | null; lastOwner: boolean } {
  const owners = members.filter((m) => m.role === "owner").length;
  const lastOwner = member.role === "owner" && owners <= 1;
  const isOwner = myRole === "owner";
  const remove = member.user_id === me ? "leave" : isOwner ? "remove" : null;
  return { changeRole: isOwner, remove: lastOwner ? null : remove, lastOwner };
}

/** A token's state in words: live, or revoked. */
export function tokenState(token: Token): "live" | "revoked" {
  return token.revoked_at ? "revoked" : "live";
}

/** Live tokens first (newest first), then revoked ones. */
export function sortedTokens(tokens: Token[]): Token[] {
  return [...tokens].sort((a, b) => {
    const state = Number(Boolean(a.revoked_at)) - Number(Boolean(b.revoked_at));
    return state || b.created_at.localeCompare(a.created_at);
  });
}

/** A date and time for lists, in the browser's locale ("never" for none). */
export function when(iso: string | null | undefined): string {
  if (!iso) return "never";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Whether the new password's two copies agree (the server says whether it is good enough). */
export function passwordProblem(next: string, again: string): string | null {
  if (!next) return "Type the new password.";
  if (next !== again) return "The two new passwords are not the same.";
  return null;
}

/** A library persona's name and line for lists ("Alex · Young professional"). */
export function personaTitle(id: string, value: Record<string, unknown>): { name: string; line: string } {
  const text = (key: string) => (typeof value[key] === "string" ? value[key] : "");
  return { name: text("name") || id, line: text("segment") };
}

/** The ids of a journey's personas that came from the library (they share its ids). */
export function onTheMap(libraryIds: string[], journeyPersonaIds: string[]): Set<string> {
  const here = new Set(journeyPersonaIds);
  return new Set(libraryIds.filter((id) => here.has(id)));
}
