// The app's pages and their addresses: the server answers every page path with the app, and
// the app picks the page from the path.
export type Route =
  | { page: "home" }
  | { page: "sign-in"; next: string | null }
  | { page: "setup" }
  | { page: "library"; workspaceId: string }
  | { page: "journey"; journeyId: string }
  | { page: "history"; journeyId: string }
  | { page: "compare"; journeyId: string; otherId: string | null }
  | { page: "shared"; token: string }
  | { page: "members"; workspaceId: string }
  | { page: "personas"; workspaceId: string }
  | { page: "account" }
  | { page: "present"; journeyId: string }
  | { page: "shared-present"; token: string }
  | { page: "mentions" }
  | { page: "not-found"; path: string };

function segment(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export function parseRoute(pathname: string, search = ""): Route {
  const parts = pathname.split("/").filter(Boolean);
  const [first, second] = parts;
  const one = parts.length === 1;
  const two = parts.length === 2;
  if (parts.length === 0) return { page: "home" };
  if (one && first === "sign-in") {
    const next = new URLSearchParams(search).get("next");
    return { page: "sign-in", next: next?.startsWith("/") && !next.startsWith("//") ? next : null };
  }
  if (one && first === "setup") return { page: "setup" };
  if (one && first === "account") return { page: "account" };
  const team = parts.length === 3 && first === "w" && second !== undefined ? segment(second) : null;
  if (team && parts[2] === "members") return { page: "members", workspaceId: team };
  if (team && parts[2] === "personas") return { page: "personas", workspaceId: team };
  if (one && first === "mentions") return { page: "mentions" };
  // Presenting a journey, or a shared one: /j/{id}/present, /shared/{token}/present.
  const shown = parts.length === 3 && parts[2] === "present" && second ? segment(second) : null;
  if (shown && first === "j") return { page: "present", journeyId: shown };
  if (shown && first === "shared") return { page: "shared-present", token: shown };
  const id = two && second !== undefined ? segment(second) : null;
  if (id && first === "w") return { page: "library", workspaceId: id };
  if (id && first === "j") return { page: "journey", journeyId: id };
  if (id && first === "shared") return { page: "shared", token: id };
  // A journey's history, and its comparison with its counterpart (or another journey).
  const jid = first === "j" && second !== undefined ? segment(second) : null;
  if (jid && parts.length === 3 && parts[2] === "history") {
    return { page: "history", journeyId: jid };
  }
  if (jid && parts[2] === "compare" && parts.length <= 4) {
    const other = parts[3] === undefined ? null : segment(parts[3]);
    if (parts.length === 3 || other) return { page: "compare", journeyId: jid, otherId: other };
  }
  return { page: "not-found", path: pathname };
}

export const paths = {
  home: () => "/",
  signIn: (next?: string) => (next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in"),
  setup: () => "/setup",
  library: (workspaceId: string) => `/w/${encodeURIComponent(workspaceId)}`,
  journey: (journeyId: string) => `/j/${encodeURIComponent(journeyId)}`,
  history: (journeyId: string) => `/j/${encodeURIComponent(journeyId)}/history`,
  compare: (journeyId: string, otherId?: string) =>
    `/j/${encodeURIComponent(journeyId)}/compare` +
    (otherId ? `/${encodeURIComponent(otherId)}` : ""),
  members: (workspaceId: string) => `/w/${encodeURIComponent(workspaceId)}/members`,
  personas: (workspaceId: string) => `/w/${encodeURIComponent(workspaceId)}/personas`,
  account: () => "/account",
  present: (journeyId: string) => `/j/${encodeURIComponent(journeyId)}/present`,
  sharedPresent: (token: string) => `/shared/${encodeURIComponent(token)}/present`,
  shared: (token: string) => `/shared/${encodeURIComponent(token)}`,
  mentions: () => "/mentions",
  /** A journey with one card's or stage's comment thread open. */
  thread: (journeyId: string, kind: string, id: string) =>
    `/j/${encodeURIComponent(journeyId)}?thread=${encodeURIComponent(`${kind}:${id}`)}`,
};
