import { describe, expect, it } from "vitest";
import {
  choices,
  etagOf,
  pairFor,
  pairFromQuery,
  pairText,
  queryOf,
  whenText,
  whoText,
} from "./revisions";

const version = { name: "Workshop March", rev: 3, actor: null, ts: "2026-03-12T10:00:00Z" };

describe("history list", () => {
  it("says who, even when the name is not told", () => {
    expect(whoText({ actor: "u1", actor_name: "Ada" })).toBe("Ada");
    expect(whoText({ actor: "u1", actor_name: null })).toBe("A former member");
    expect(whoText({ actor: null, actor_name: null })).toBe("Someone");
  });

  it("says when in a short date, and keeps text it cannot read", () => {
    expect(whenText("2026-12-07T15:20:00Z", "en-GB")).toMatch(/7 Dec 2026/);
    expect(whenText("soon")).toBe("soon");
  });

  it("opens a revision against the one before it", () => {
    expect(pairFor(5)).toEqual({ from: 4, to: 5 });
    expect(pairFor(1)).toEqual({ from: null, to: 1 });
  });

  it("offers every revision, newest first, with named versions by name", () => {
    const offered = choices(4, [version]);
    expect(offered.map((c) => c.rev)).toEqual([4, 3, 2, 1]);
    expect(offered[0]?.label).toBe("Revision 4 (current)");
    expect(offered[1]?.label).toBe("Workshop March — revision 3");
  });

  it("says what the banner shows", () => {
    expect(pairText({ from: 2, to: 3 }, 5, [version])).toBe(
      "Showing “Workshop March” (revision 3), read-only, with the changes since revision 2 highlighted",
    );
    expect(pairText({ from: null, to: 1 }, 5, [])).toBe(
      "Showing revision 1, read-only: the journey as created",
    );
    expect(pairText({ from: 4, to: 5 }, 5, [])).toMatch(/revision 5 \(the current one\)/);
    expect(etagOf(7)).toBe('"r7"');
  });
});

describe("a link to a revision", () => {
  it("reads the pair a link names, within the journey's revisions", () => {
    expect(pairFromQuery("?rev=3", 5)).toEqual({ from: 2, to: 3 });
    expect(pairFromQuery("?rev=4&from=1", 5)).toEqual({ from: 1, to: 4 });
    expect(pairFromQuery("?rev=4&from=", 5)).toEqual({ from: null, to: 4 });
    expect(pairFromQuery("?rev=9", 5)).toBeNull();
    expect(pairFromQuery("?rev=0", 5)).toBeNull();
    expect(pairFromQuery("?rev=2x", 5)).toBeNull();
    expect(pairFromQuery("", 5)).toBeNull();
  });

  it("writes a query the reader reads back, none for the default", () => {
    expect(queryOf({ from: 4, to: 5 }, 5)).toBe("");
    for (const pair of [
      { from: 2, to: 3 },
      { from: 1, to: 4 },
      { from: null, to: 4 },
      { from: 1, to: 5 },
    ]) {
      expect(pairFromQuery(queryOf(pair, 5), 5)).toEqual(pair);
    }
  });
});
