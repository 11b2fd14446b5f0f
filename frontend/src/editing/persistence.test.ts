import { describe, expect, it, vi } from "vitest";
import { MemoryStorage } from "../test/opsServer";
import type { OpItem } from "./ops";
import { PendingStore, STORAGE_VERSION, storageKey } from "./persistence";

const ops: OpItem[] = [
  { op_id: "1f0c", op: { kind: "rename", entity: "stage", id: "awareness", name: "Discover" } },
  { op_id: "2a9d", op: { kind: "delete", entity: "card", id: "ad" } },
];

describe("pending operations in storage", () => {
  it("are kept per journey and read back as they were", () => {
    const storage = new MemoryStorage();
    new PendingStore(storage).save("j1", ops);
    const again = new PendingStore(storage); // a new page over the same storage
    expect(again.load("j1")).toEqual(ops);
    expect(again.load("j2")).toEqual([]);
    expect(JSON.parse(storage.getItem(storageKey("j1"))!)).toMatchObject({
      version: STORAGE_VERSION,
      journey: "j1",
    });
  });

  it("leave nothing behind once nothing is pending", () => {
    const storage = new MemoryStorage();
    const store = new PendingStore(storage);
    store.save("j1", ops);
    store.save("j1", []);
    expect(storage.data.size).toBe(0);
  });

  it.each([
    ["not JSON", "{oops"],
    ["another version", JSON.stringify({ version: 99, journey: "j1", ops })],
    ["another journey's entry", JSON.stringify({ version: STORAGE_VERSION, journey: "j2", ops })],
    [
      "ops that are not a list",
      JSON.stringify({ version: STORAGE_VERSION, journey: "j1", ops: "x" }),
    ],
    [
      "an op without an op_id",
      JSON.stringify({ version: STORAGE_VERSION, journey: "j1", ops: [{ op: ops[0]!.op }] }),
    ],
    [
      "an op of no known kind",
      JSON.stringify({
        version: STORAGE_VERSION,
        journey: "j1",
        ops: [{ op_id: "x", op: { kind: "explode", entity: "card" } }],
      }),
    ],
    ["null", "null"],
  ])("are ignored, and dropped, when stored as %s", (_, text) => {
    const storage = new MemoryStorage();
    storage.setItem(storageKey("j1"), text);
    expect(new PendingStore(storage).load("j1")).toEqual([]);
    expect(storage.getItem(storageKey("j1"))).toBeNull();
  });

  it("do not break the editor when the storage refuses", () => {
    const refusing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => {
        throw new Error("SecurityError");
      },
    };
    const store = new PendingStore(refusing);
    expect(() => store.save("j1", ops)).not.toThrow();
    expect(store.load("j1")).toEqual([]);
  });

  it("come from localStorage where the page has one, and none where it has not", () => {
    const storage = new MemoryStorage();
    vi.stubGlobal("localStorage", storage);
    try {
      PendingStore.local()!.save("j1", ops);
      expect(storage.data.has(storageKey("j1"))).toBe(true);
      vi.stubGlobal("localStorage", undefined);
      expect(PendingStore.local()).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
