import { describe, expect, it } from "vitest";
import { type ShareLink, linkState, linkStateText, sortLinks } from "./shareLinks";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const link = (over: Partial<ShareLink>): ShareLink => ({
  id: "l",
  prefix: "jm_abcd",
  created_by: null,
  created_at: "2026-12-01T10:00:00Z",
  expires_at: null,
  revoked_at: null,
  ...over,
});

describe("share links", () => {
  it("tells live, expired and revoked apart", () => {
    expect(linkState(link({}), NOW)).toBe("live");
    expect(linkState(link({ expires_at: "2026-12-08T00:00:00Z" }), NOW)).toBe("live");
    expect(linkState(link({ expires_at: "2026-12-07T11:59:59Z" }), NOW)).toBe("expired");
    expect(linkState(link({ revoked_at: "2026-12-02T00:00:00Z", expires_at: "2026-12-01T11:00:00Z" }), NOW)).toBe(
      "revoked",
    );
    expect(linkStateText(link({}), NOW)).toBe("Live · never expires");
    expect(linkStateText(link({ revoked_at: "2026-12-02T00:00:00Z" }), NOW)).toMatch(/^Revoked /);
  });

  it("lists live links first, newest first", () => {
    const a = link({ id: "a", created_at: "2026-12-01T00:00:00Z" });
    const b = link({ id: "b", created_at: "2026-12-03T00:00:00Z", revoked_at: "2026-12-04T00:00:00Z" });
    const c = link({ id: "c", created_at: "2026-12-02T00:00:00Z" });
    expect(sortLinks([a, b, c], NOW).map((l) => l.id)).toEqual(["c", "a", "b"]);
  });
});
