// A share link's state as the Share panel lists it: live, expired or revoked, and when.
import type { components } from "../api/schema";

export type ShareLink = components["schemas"]["ShareLinkPublic"];
export type LinkState = "live" | "expired" | "revoked";

export function linkState(link: ShareLink, now: number = Date.now()): LinkState {
  if (link.revoked_at) return "revoked";
  if (link.expires_at && Date.parse(link.expires_at) <= now) return "expired";
  return "live";
}

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });

/** "Live · expires 14 Dec 2026", "Revoked 7 Dec 2026", ... */
export function linkStateText(link: ShareLink, now: number = Date.now()): string {
  switch (linkState(link, now)) {
    case "revoked":
      return `Revoked ${day(link.revoked_at!)}`;
    case "expired":
      return `Expired ${day(link.expires_at!)}`;
    case "live":
      return link.expires_at ? `Live · expires ${day(link.expires_at)}` : "Live · never expires";
  }
}

/** Live links first, newest first within each state. */
export function sortLinks(links: readonly ShareLink[], now: number = Date.now()): ShareLink[] {
  const rank = { live: 0, expired: 1, revoked: 2 } as const;
  return [...links].sort(
    (a, b) =>
      rank[linkState(a, now)] - rank[linkState(b, now)] || b.created_at.localeCompare(a.created_at),
  );
}
