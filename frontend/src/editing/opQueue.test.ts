import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryStorage, OpsServer } from "../test/opsServer";
import { storeDocument } from "../test/fixtures";
import { findItem, fromDocument, toDocument } from "./model";
import { OpQueue, type QueueOptions } from "./opQueue";
import { refusedIndex } from "./refusals";
import type { Op } from "./ops";
import { PendingStore } from "./persistence";

const rename = (id: string, name: string): Op => ({ kind: "rename", entity: "stage", id, name });
const severity = (id: string, value: unknown): Op => ({
  kind: "set",
  entity: "card",
  id,
  field: "severity",
  value,
});

function setup(options: Partial<QueueOptions> = {}) {
  const server = new OpsServer(fromDocument(storeDocument()));
  const queue = new OpQueue({
    journeyId: "online-store",
    rev: server.rev,
    journey: server.journey,
    send: server.send,
    read: server.read,
    batchWindowMs: 100,
    retryBaseMs: 1000,
    ...options,
  });
  return { server, queue };
}

const stageName = (queue: OpQueue, id: string) => findItem(queue.journey, "stage", id)?.fields.name;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the operation queue", () => {
  it("applies an edit at once and sends the edits of one window as one batch", async () => {
    const { server, queue } = setup();
    queue.edit(rename("awareness", "Discover"));
    queue.edit(rename("decision", "Choose"));
    queue.edit(severity("fee-late", 5));
    expect(stageName(queue, "awareness")).toBe("Discover"); // optimistic: before any answer
    expect(server.batches).toHaveLength(0);
    expect(queue.status()).toEqual({ state: "saving", waiting: 3, text: "Saving…" });

    await vi.advanceTimersByTimeAsync(100);
    expect(server.batches).toHaveLength(1);
    expect(server.batches[0]!.base_rev).toBe(1);
    expect(server.batches[0]!.ops.map((o) => o.op)).toEqual([
      rename("awareness", "Discover"),
      rename("decision", "Choose"),
      severity("fee-late", 5),
    ]);
    expect(queue.status().text).toBe("Saved");
    expect(queue.rev).toBe(2);
    expect(toDocument(server.journey)).toEqual(toDocument(queue.journey));
  });

  it("sends at once when a batch is full, and the rest in the next one", async () => {
    const { server, queue } = setup({ maxBatch: 2 });
    queue.edit(rename("awareness", "A"));
    queue.edit(rename("decision", "B"));
    queue.edit(rename("advocacy", "C"));
    await vi.advanceTimersByTimeAsync(0);
    expect(server.batches[0]!.ops).toHaveLength(2); // full: no waiting for the window
    await vi.advanceTimersByTimeAsync(100);
    expect(server.batches.map((b) => b.ops.length)).toEqual([2, 1]);
    expect(server.batches[1]!.base_rev).toBe(2);
    expect(queue.status().state).toBe("saved");
  });

  it("counts an edit saved only when its revision has come back", async () => {
    const { server, queue } = setup();
    let answer: (() => void) | undefined;
    const slow: QueueOptions["send"] = (id, batch) =>
      new Promise((resolve) => (answer = () => void server.send(id, batch).then(resolve)));
    const q = new OpQueue({
      journeyId: "online-store",
      rev: 1,
      journey: queue.journey,
      send: slow,
      batchWindowMs: 10,
    });
    const [opId] = q.edit(rename("awareness", "Discover"));
    await vi.advanceTimersByTimeAsync(10);
    expect(answer).toBeDefined(); // sent, not answered
    expect(q.status().text).toBe("Saving…");
    expect(q.savedIn(opId!)).toBeUndefined();
    answer!();
    await vi.advanceTimersByTimeAsync(0);
    expect(q.savedIn(opId!)).toBe(2);
    expect(q.status().text).toBe("Saved");
  });

  it("retries after a network error with the same op_ids, backing off, and says it is offline", async () => {
    const { server, queue } = setup();
    server.failures.push("network", "network");
    queue.edit(rename("awareness", "Discover"));
    queue.edit(severity("fee-late", 4));
    await vi.advanceTimersByTimeAsync(100);
    expect(queue.status()).toEqual({
      state: "offline",
      waiting: 2,
      text: "Offline: 2 changes waiting",
    });
    expect(stageName(queue, "awareness")).toBe("Discover"); // still on screen

    await vi.advanceTimersByTimeAsync(999);
    expect(server.batches).toHaveLength(1); // waits 1 s before the first retry
    await vi.advanceTimersByTimeAsync(1);
    expect(server.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(server.batches).toHaveLength(2); // then 2 s
    await vi.advanceTimersByTimeAsync(1);
    expect(server.batches).toHaveLength(3);

    const ids = server.batches.map((b) => b.ops.map((o) => o.op_id));
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    expect(queue.status().text).toBe("Saved");
    expect(server.rev).toBe(2); // applied once
  });

  it("sends again at once when woken (the browser is online again)", async () => {
    const { server, queue } = setup();
    server.failures.push("network");
    queue.edit(rename("awareness", "Discover"));
    await vi.advanceTimersByTimeAsync(100);
    expect(queue.status().text).toBe("Offline: 1 change waiting");
    await queue.wake();
    expect(queue.status().text).toBe("Saved");
    expect(server.batches).toHaveLength(2);
  });

  it("retries a 502, 503 and 504 with the same op_ids, waiting as Retry-After says", async () => {
    const { server, queue } = setup();
    server.failures.push(
      { status: 502, detail: "Bad Gateway" },
      { status: 503, detail: "busy", retryAfter: 7 },
      { status: 504, detail: "timeout" },
    );
    queue.edit(rename("awareness", "Discover"));
    await vi.advanceTimersByTimeAsync(100 + 1000);
    expect(server.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(6999);
    expect(server.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1 + 4000);
    expect(server.batches).toHaveLength(4);
    expect(new Set(server.batches.map((b) => b.ops[0]!.op_id)).size).toBe(1);
    expect(queue.status().text).toBe("Saved");
  });

  it("rolls back the refused operation of a batch, keeps its message for its field, and saves the rest", async () => {
    const { server, queue } = setup();
    server.failures.push({
      status: 422,
      detail: "operation 2 (set card): severity: must be 1 to 5",
    });
    const before = findItem(queue.journey, "card", "fee-late")!.fields.severity;
    queue.edit(rename("awareness", "Discover"));
    const [refusedId] = queue.edit(severity("fee-late", 9));
    expect(findItem(queue.journey, "card", "fee-late")!.fields.severity).toBe(9);

    await vi.advanceTimersByTimeAsync(100);
    expect(findItem(queue.journey, "card", "fee-late")!.fields.severity).toBe(before);
    expect(queue.refusalFor({ entity: "card", id: "fee-late", field: "severity" })).toBe(
      "severity: must be 1 to 5",
    );
    expect(queue.refused.map((r) => r.opId)).toEqual([refusedId]);
    // the other operation went again, with its op_id, and is saved
    expect(server.batches[1]!.ops.map((o) => o.op_id)).toEqual([server.batches[0]!.ops[0]!.op_id]);
    expect(stageName(queue, "awareness")).toBe("Discover");
    expect(queue.status().text).toBe("Saved");
    expect(queue.savedIn(refusedId!)).toBeUndefined();
    // undo skips the refused edit: it undoes the rename
    queue.undo();
    expect(stageName(queue, "awareness")).toBe("Awareness");
    // editing the field again clears its message
    queue.edit(severity("fee-late", 4));
    expect(queue.refusalFor({ entity: "card", id: "fee-late", field: "severity" })).toBeUndefined();
  });

  it("rolls back a whole batch the server refuses without naming an operation", async () => {
    const { server, queue } = setup();
    server.failures.push({ status: 403, detail: "viewers cannot edit this journey" });
    queue.edit(rename("awareness", "Discover"));
    queue.edit(rename("decision", "Choose"));
    await vi.advanceTimersByTimeAsync(100);
    expect(stageName(queue, "awareness")).toBe("Awareness");
    expect(stageName(queue, "decision")).toBe("Decision");
    expect(queue.refusalFor({ entity: "stage", id: "decision", field: "name" })).toBe(
      "viewers cannot edit this journey",
    );
    expect(queue.status().text).toBe("Saved"); // nothing waiting: the refusals are shown by their fields
    expect(queue.history.canUndo).toBe(false);
  });

  it("sends a batch refused without naming an operation one at a time, so only that one is lost", async () => {
    const { server, queue } = setup();
    server.rule = (item) =>
      item.op.kind === "rename" && item.op.id === "decision" ? "a stage may not be called that" : null;
    queue.edit(rename("awareness", "Discover"));
    queue.edit(rename("decision", "Choose"));
    queue.edit(severity("fee-late", 2));
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.batches.map((b) => b.ops.length)).toEqual([3, 1, 1, 1]);
    expect(stageName(queue, "awareness")).toBe("Discover");
    expect(stageName(queue, "decision")).toBe("Decision");
    expect(queue.refusalFor({ entity: "stage", id: "decision", field: "name" })).toBe(
      "a stage may not be called that",
    );
    expect(findItem(server.journey, "stage", "awareness")?.fields.name).toBe("Discover");
    expect(findItem(server.journey, "card", "fee-late")?.fields.severity).toBe(2);
    expect(queue.pending).toHaveLength(0);
    // Afterwards batches are whole again.
    queue.edit(rename("advocacy", "Recommend"));
    queue.edit(rename("awareness", "See"));
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.batches.at(-1)?.ops).toHaveLength(2);
  });

  it("rolls back an edit the server refuses because someone deleted what it touched", async () => {
    const { server, queue } = setup();
    server.external([{ op_id: "theirs", op: { kind: "delete", entity: "card", id: "fee-late" } }]);
    queue.edit(severity("fee-late", 2));
    await vi.advanceTimersByTimeAsync(100);
    expect(queue.refusalFor({ entity: "card", id: "fee-late", field: "severity" })).toBe(
      "card 'fee-late' is deleted",
    );
    expect(queue.pending).toHaveLength(0);
  });

  it("re-reads the journey on a stale base revision and sends the same op_ids on top of it", async () => {
    const { server, queue } = setup();
    server.external([{ op_id: "theirs", op: rename("advocacy", "Recommend") }]);
    server.failures.push({
      status: 412,
      detail: "changed since your revision: stage awareness (the journey is at rev 2)",
    });
    queue.edit(rename("awareness", "Discover"));
    await vi.advanceTimersByTimeAsync(100);
    expect(server.batches.map((b) => b.base_rev)).toEqual([1, 2]);
    expect(server.batches[1]!.ops[0]!.op_id).toBe(server.batches[0]!.ops[0]!.op_id);
    expect(stageName(queue, "awareness")).toBe("Discover");
    expect(stageName(queue, "advocacy")).toBe("Recommend"); // theirs, kept
    expect(queue.rev).toBe(3);
    expect(queue.status().text).toBe("Saved");
  });

  it("re-reads and resends when the server knows no such base revision", async () => {
    const { server, queue } = setup();
    server.failures.push({
      status: 422,
      detail: "base_rev 1 is not a revision of this journey (1 to 0)",
    });
    queue.edit(rename("awareness", "Discover"));
    await vi.advanceTimersByTimeAsync(100);
    expect(server.batches).toHaveLength(2);
    expect(queue.refused).toEqual([]);
    expect(queue.status().text).toBe("Saved");
  });

  it("re-reads after a save when others wrote in between, so the screen shows their edits too", async () => {
    const { server, queue } = setup();
    server.external([{ op_id: "theirs", op: rename("advocacy", "Recommend") }]);
    queue.edit(rename("awareness", "Discover"));
    await vi.advanceTimersByTimeAsync(100);
    expect(queue.rev).toBe(3);
    expect(toDocument(queue.journey)).toEqual(toDocument(server.journey));
  });

  it("keeps edits while signed out and sends them when woken after signing in", async () => {
    const { server, queue } = setup();
    server.failures.push({ status: 401, detail: "sign in again" });
    queue.edit(rename("awareness", "Discover"));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.batches).toHaveLength(1);
    expect(queue.status()).toMatchObject({ state: "blocked", waiting: 1 });
    await queue.wake();
    expect(queue.status().text).toBe("Saved");
  });

  it("refuses an edit that cannot apply on screen, queuing nothing", () => {
    const { queue } = setup();
    expect(() => queue.edit(rename("nowhere", "X"))).toThrow("no stage 'nowhere'");
    expect(queue.pending).toHaveLength(0);
  });

  it("tells subscribers of every change", async () => {
    const { queue } = setup();
    const heard = vi.fn();
    queue.subscribe(heard);
    queue.edit(rename("awareness", "Discover"));
    expect(heard).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(heard.mock.calls.length).toBeGreaterThan(1);
  });
});

describe("pending edits across a reload", () => {
  it("survive a reload and are sent when the page comes back", async () => {
    const storage = new MemoryStorage();
    const { server, queue } = setup({ store: new PendingStore(storage) });
    server.failures.push("network");
    const [opId] = queue.edit(rename("awareness", "Discover"));
    await vi.advanceTimersByTimeAsync(100);
    expect(queue.status().state).toBe("offline");
    queue.dispose(); // the page goes away

    const again = new OpQueue({
      journeyId: "online-store",
      rev: server.rev,
      journey: server.journey, // read afresh: without the edit
      send: server.send,
      store: new PendingStore(storage),
      batchWindowMs: 100,
    });
    expect(stageName(again, "awareness")).toBe("Discover");
    expect(again.status().text).toBe("Saving…");
    await vi.advanceTimersByTimeAsync(100);
    expect(server.batches.at(-1)!.ops[0]!.op_id).toBe(opId);
    expect(again.status().text).toBe("Saved");
    expect(storage.data.size).toBe(0); // nothing left to send
  });

  it("an edit whose answer was lost before the reload is answered duplicate, not applied twice", async () => {
    const storage = new MemoryStorage();
    const { server, queue } = setup({ store: new PendingStore(storage) });
    const add: Op = {
      kind: "add",
      entity: "card",
      id: "new-card",
      value: { kind: "note", stage: "awareness", lane: "actions", text: "Hi" },
    };
    queue.edit(add);
    const lost: QueueOptions["send"] = (id, batch) =>
      server.send(id, batch).then(() => Promise.reject(new TypeError("lost")));
    const q = new OpQueue({
      journeyId: "online-store",
      rev: 1,
      journey: server.journey,
      send: lost,
      store: new PendingStore(storage),
      batchWindowMs: 10,
    });
    queue.dispose();
    await vi.advanceTimersByTimeAsync(10);
    expect(server.rev).toBe(2); // applied, but the answer never came
    q.dispose();
    const again = new OpQueue({
      journeyId: "online-store",
      rev: server.rev,
      journey: server.journey,
      send: server.send,
      store: new PendingStore(storage),
      batchWindowMs: 10,
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(again.status().text).toBe("Saved");
    expect(server.rev).toBe(2);
    expect(toDocument(again.journey)).toEqual(toDocument(server.journey));
  });
});

describe("which operation a refusal names", () => {
  const batch = ["a", "b", "c"].map((op_id) => ({ op_id, op: rename("awareness", op_id) }));
  it("by op_id, field path, the domain's wording, or a batch of one", () => {
    expect(refusedIndex({ status: 422, detail: "x", op_id: "c" }, batch)).toBe(2);
    expect(
      refusedIndex(
        { status: 422, detail: "x", errors: [{ field: "body.ops.1.op_id", message: "too long" }] },
        batch,
      ),
    ).toBe(1);
    expect(refusedIndex({ status: 422, detail: "operation 1 (rename stage): no" }, batch)).toBe(0);
    expect(
      refusedIndex({ status: 422, detail: "operation 1 (c): kind: no such kind" }, batch),
    ).toBe(2);
    expect(refusedIndex({ status: 422, detail: "operation 2: give an `op_id`" }, batch)).toBe(1);
    expect(refusedIndex({ status: 422, detail: "no" }, batch.slice(0, 1))).toBe(0);
    expect(
      refusedIndex({ status: 422, detail: "operation 9 (rename stage): no" }, batch),
    ).toBeNull();
    expect(refusedIndex({ status: 403, detail: "no" }, batch)).toBeNull();
  });
});

describe("a re-read that comes back late", () => {
  it("is ignored when it is older than what the queue already has", async () => {
    vi.useFakeTimers();
    const server = new OpsServer(fromDocument(storeDocument()));
    const old = { rev: 1, journey: server.journey };
    server.external([{ op_id: "theirs", op: rename("advocacy", "Recommend") }]);
    let reads = 0;
    const queue = new OpQueue({
      journeyId: "online-store",
      rev: 1,
      journey: old.journey,
      send: server.send,
      read: () => {
        reads += 1;
        return Promise.resolve(old); // as if it left before our batch was acknowledged
      },
      batchWindowMs: 10,
    });
    queue.edit(rename("awareness", "Discover"));
    await vi.advanceTimersByTimeAsync(10);
    expect(reads).toBe(1); // someone else wrote: it re-read
    expect(queue.rev).toBe(3);
    expect(stageName(queue, "awareness")).toBe("Discover");
    vi.useRealTimers();
  });
});
