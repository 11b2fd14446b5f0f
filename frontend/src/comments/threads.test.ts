import { describe, expect, it } from "vitest";
import {
  type Comment,
  countLabel,
  mayResolve,
  openCounts,
  parseTarget,
  threadsOf,
} from "./threads";

let next = 1;
function comment(over: Partial<Comment> = {}): Comment {
  const id = next++;
  return {
    id,
    target_kind: "card",
    target_id: "c1",
    parent_id: null,
    author_id: "ann",
    author_name: "Ann",
    text: `comment ${id}`,
    mentions: [],
    created_at: "2026-12-07T10:00:00Z",
    updated_at: "2026-12-07T10:00:00Z",
    resolved_at: null,
    etag: `"${id}"`,
    ...over,
  };
}

describe("threads", () => {
  it("groups replies, however deep, under their top comment", () => {
    const a = comment();
    const b = comment({ target_kind: "stage", target_id: "s1" });
    const r1 = comment({ parent_id: a.id });
    const r2 = comment({ parent_id: r1.id });
    const all = threadsOf([a, b, r1, r2]);
    expect(all.map((t) => [t.root.id, t.replies.map((r) => r.id)])).toEqual([
      [a.id, [r1.id, r2.id]],
      [b.id, []],
    ]);
    expect(
      threadsOf([a, b, r1], { kind: "stage", id: "s1" }).map((t) => t.root.id),
    ).toEqual([b.id]);
  });

  it("counts open threads per target for the badges", () => {
    const a = comment();
    const b = comment({ resolved_at: "2026-12-07T11:00:00Z" });
    const c = comment();
    const reply = comment({ parent_id: a.id });
    const s = comment({ target_kind: "stage", target_id: "s1" });
    const counts = openCounts([a, b, c, reply, s]);
    expect(Object.fromEntries(counts)).toEqual({ "card:c1": 2, "stage:s1": 1 });
    expect(openCounts([b]).size).toBe(0);
  });

  it("names a badge", () => {
    expect(countLabel(3)).toBe("3 open comments");
    expect(countLabel(1)).toBe("1 open comment");
  });

  it("lets the author of the top comment resolve, as the policy says", () => {
    const a = comment({ author_id: "ann" });
    expect(mayResolve(a, "ann")).toBe(true);
    expect(mayResolve(a, "bo")).toBe(false);
    expect(mayResolve(comment({ author_id: null }), null)).toBe(false);
  });

  it("reads a target from an address", () => {
    expect(parseTarget("card:a:b")).toEqual({ kind: "card", id: "a:b" });
    expect(parseTarget("stage:x")).toEqual({ kind: "stage", id: "x" });
    expect(parseTarget("lane:x")).toBeNull();
    expect(parseTarget("card:")).toBeNull();
    expect(parseTarget(null)).toBeNull();
  });
});
