import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { storeDocument } from "../test/fixtures";
import { applyOp } from "./applyOp";
import { fromDocument, live } from "./model";
import { compareKeys, freeKey, initialKeys, keyAt, keyBetween } from "./orderKeys";

// The keys the server's port computed for these calls (tests/domain/test_ordering.py checks
// the port against them): the editor must place items exactly where the server will.
const recorded = JSON.parse(
  readFileSync(new URL("../../../tests/domain/data/order_keys.json", import.meta.url), "utf8"),
) as { calls: { a: string | null; b: string | null; n: number; result: string[] }[] };

describe("order keys", () => {
  it("are the keys the server computes", () => {
    const single = recorded.calls.filter((c) => c.n === 1);
    expect(single.length).toBeGreaterThan(3);
    for (const call of single) expect(keyBetween(call.a, call.b)).toBe(call.result[0]);
    for (const call of recorded.calls.filter((c) => c.a === null && c.b === null)) {
      expect(initialKeys(call.n)).toEqual(call.result);
    }
  });

  it("place an item between two neighbours, and at either end", () => {
    const keys = initialKeys(3);
    const [a, b, c] = keys as [string, string, string];
    const middle = keyAt(keys, 1);
    expect(compareKeys(a, middle)).toBe(-1);
    expect(compareKeys(middle, b)).toBe(-1);
    expect(compareKeys(keyAt(keys, 0), a)).toBe(-1);
    expect(compareKeys(c, keyAt(keys, 3))).toBe(-1);
    expect(keyAt([], 0)).toBe("a0");
  });

  it("keep finding room between ever closer neighbours", () => {
    let low = "a0";
    const high = "a1";
    for (let i = 0; i < 50; i++) {
      const next = keyBetween(low, high);
      expect(next > low && next < high).toBe(true);
      low = next;
    }
  });

  it("give a restored item its old key, or one just after whoever took it", () => {
    expect(freeKey(["a0", "a2"], "a1")).toBe("a1");
    const taken = freeKey(["a0", "a1", "a2"], "a1");
    expect(taken > "a1" && taken < "a2").toBe(true);
    expect(freeKey(["a1"], "a1") > "a1").toBe(true);
  });

  it("order a card added after a neighbour between it and the next", () => {
    const j = fromDocument({
      id: "j",
      title: "t",
      stages: [{ id: "s", name: "S" }],
      sections: [{ id: "x", name: "X", lanes: [{ id: "l", name: "L" }] }],
      cards: ["one", "two", "three"].map((id) => ({
        id,
        kind: "note",
        stage: "s",
        lane: "l",
        text: id,
      })),
    });
    const add = (after: string | null, before: string | null, id: string) =>
      applyOp(j, {
        kind: "add",
        entity: "card",
        id,
        value: { kind: "note", stage: "s", lane: "l", text: id },
        after,
        before,
      });
    const order = (jj: typeof j) => live(jj, "card").map((c) => c.id);
    expect(order(add("one", null, "new"))).toEqual(["one", "new", "two", "three"]);
    expect(order(add(null, "one", "new"))).toEqual(["new", "one", "two", "three"]);
    expect(order(add("three", null, "new"))).toEqual(["one", "two", "three", "new"]);
    expect(order(add(null, null, "new"))).toEqual(["one", "two", "three", "new"]);
    expect(() => add("elsewhere", null, "new")).toThrow("'elsewhere' is not beside this card");
  });

  it("are read from a document that carries them, in their order whatever the listing", () => {
    const doc = storeDocument();
    doc.personas = [
      { id: "late", name: "Late", order_key: "a2" },
      { id: "early", name: "Early", order_key: "a0" },
    ];
    expect(live(fromDocument(doc), "persona").map((p) => p.id)).toEqual(["early", "late"]);
  });
});
