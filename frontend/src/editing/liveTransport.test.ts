import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { storeDocument } from "../test/fixtures";
import { EditError, applyOp } from "./applyOp";
import { LiveClient, type SocketLike } from "./liveTransport";
import { findItem, fromDocument, type EditJourney } from "./model";
import { OpQueue } from "./opQueue";
import type { Op, OpItem } from "./ops";
import { throttle } from "./presence";

type Msg = Record<string, unknown>;

class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  sent: Msg[] = [];
  constructor(
    readonly server: FakeLiveServer,
    readonly actor: string,
  ) {}
  send(data: string): void {
    const message = JSON.parse(data) as Msg;
    this.sent.push(message);
    this.server.receive(this, message);
  }
  close(code = 1000): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.server.sockets.delete(this);
    this.onclose?.({ code });
  }
  deliver(message: Msg): void {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(message) });
  }
}

/** The server's live behaviour, per docs/api.md: each op its own revision, `op` to everyone
 * (the sender too) before the sender's ack, a repeated op_id answered `duplicate`. */
class FakeLiveServer {
  rev = 1;
  journey: EditJourney = fromDocument(storeDocument());
  log: { rev: number; op_id: string; actor: string; op: Op }[] = [];
  sockets = new Set<FakeSocket>();
  up = true;
  connect = (actor: string) => (): FakeSocket => {
    const socket = new FakeSocket(this, actor);
    queueMicrotask(() => {
      if (!this.up) {
        socket.close(1006);
        return;
      }
      socket.readyState = 1;
      this.sockets.add(socket);
      socket.onopen?.({});
    });
    return socket;
  };
  receive(socket: FakeSocket, message: Msg): void {
    if (message.type === "hello") {
      const since = message.since_rev as number;
      const ops = this.log
        .filter((r) => r.rev > since)
        .map((r, n, all) => ({ type: "op", ...r, last: all[n + 1]?.rev !== r.rev }));
      socket.deliver({ type: "welcome", rev: this.rev, ops, snapshot: null });
    } else if (message.type === "ops") {
      for (const item of message.ops as OpItem[]) this.apply(socket, item);
    } else if (message.type === "presence") {
      for (const other of this.sockets)
        if (other !== socket)
          other.deliver({
            type: "presence",
            conn: socket.actor,
            actor: socket.actor,
            data: message.data,
          });
    }
  }
  apply(socket: FakeSocket, item: OpItem): void {
    const before = this.log.find((r) => r.op_id === item.op_id);
    if (before) {
      socket.deliver({ type: "ack", op_id: item.op_id, rev: before.rev, status: "duplicate" });
      return;
    }
    try {
      this.journey = applyOp(this.journey, item.op);
    } catch (error) {
      if (!(error instanceof EditError)) throw error;
      socket.deliver({
        type: "ack",
        op_id: item.op_id,
        rev: this.rev,
        status: "rejected",
        detail: error.message,
      });
      return;
    }
    this.rev += 1;
    const record = { rev: this.rev, op_id: item.op_id, actor: socket.actor, op: item.op };
    this.log.push(record);
    for (const other of this.sockets) other.deliver({ type: "op", ...record, last: true });
    socket.deliver({ type: "ack", op_id: item.op_id, rev: this.rev, status: "applied" });
  }
  /** Someone else's edit, committed (as a REST write or another socket would). */
  commit(actor: string, op: Op, opId = crypto.randomUUID()): void {
    this.journey = applyOp(this.journey, op);
    this.rev += 1;
    const record = { rev: this.rev, op_id: opId, actor, op };
    this.log.push(record);
    for (const other of this.sockets) other.deliver({ type: "op", ...record, last: true });
  }
  /** A REST batch: one revision of several operations, its `op`s sent one by one; `cut`
   * drops every socket after that many of them. */
  commitBatch(actor: string, ops: Op[], cut = ops.length): string[] {
    this.rev += 1;
    const records = ops.map((op) => {
      this.journey = applyOp(this.journey, op);
      return { rev: this.rev, op_id: crypto.randomUUID(), actor, op };
    });
    this.log.push(...records);
    records.forEach((record, n) => {
      if (n === cut) this.dropAll();
      const last = n === records.length - 1;
      for (const other of this.sockets) other.deliver({ type: "op", ...record, last });
    });
    return records.map((r) => r.op_id);
  }
  dropAll(): void {
    for (const socket of [...this.sockets]) socket.close(1006);
  }
}

const text = (id: string, value: string): Op => ({
  kind: "set",
  entity: "card",
  id,
  field: "text",
  value,
});
const cardText = (journey: EditJourney, id: string) => findItem(journey, "card", id)?.fields.text;

function client(server: FakeLiveServer, actor = "ann") {
  const rest = vi.fn(() => Promise.reject(new Error("offline")));
  let live: LiveClient | null = null;
  const queue = new OpQueue({
    journeyId: "online-store",
    rev: server.rev,
    journey: server.journey,
    send: (id, batch) => live!.transport(rest)(id, batch),
    batchWindowMs: 10,
    retryBaseMs: 1000,
  });
  live = new LiveClient({
    url: "ws://test/api/journeys/online-store/live",
    connect: server.connect(actor),
    queue,
    fromSnapshot: (s) =>
      fromDocument((s as { document: Parameters<typeof fromDocument>[0] }).document),
    onReload: vi.fn(),
    random: () => 0.5,
  });
  live.start();
  return { queue, live, rest };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("the live transport", () => {
  it("says hello with the revision held, sends edits over the socket, saved on their revision", async () => {
    const server = new FakeLiveServer();
    const { queue, live, rest } = client(server);
    await vi.advanceTimersByTimeAsync(0);
    expect(live.ready).toBe(true);
    const socket = [...server.sockets][0]!;
    expect(socket.sent[0]).toEqual({ type: "hello", proto: 1, since_rev: 1 });
    const [first] = queue.edit(text("fee-late", "One"));
    const [second] = queue.edit(text("fee-late", "Two"));
    await vi.advanceTimersByTimeAsync(20);
    expect(rest).not.toHaveBeenCalled();
    expect(socket.sent.filter((m) => m.type === "ops")).toHaveLength(1);
    expect(queue.savedIn(first!)).toBe(2);
    expect(queue.savedIn(second!)).toBe(3); // in the order sent
    expect(queue.pending).toHaveLength(0);
    expect(queue.rev).toBe(3);
    expect(cardText(queue.journey, "fee-late")).toBe("Two");
    expect(queue.status().state).toBe("saved");
  });

  it("applies others' operations and rebases pending edits on top", async () => {
    const server = new FakeLiveServer();
    const { queue } = client(server);
    await vi.advanceTimersByTimeAsync(0);
    queue.edit(text("fee-late", "Mine"));
    server.commit("bob", {
      kind: "set",
      entity: "card",
      id: "fee-late",
      field: "severity",
      value: 5,
    });
    // Bob's edit is in, mine is still pending on top of it.
    expect(queue.rev).toBe(2);
    expect(queue.pending).toHaveLength(1);
    expect(findItem(queue.journey, "card", "fee-late")?.fields.severity).toBe(5);
    expect(cardText(queue.journey, "fee-late")).toBe("Mine");
    await vi.advanceTimersByTimeAsync(20);
    expect(queue.pending).toHaveLength(0);
    expect(queue.journey).toEqual(server.journey);
  });

  it("resends pending edits after a reconnect with the same op_ids; duplicates count as saved", async () => {
    const server = new FakeLiveServer();
    const { queue, live } = client(server);
    await vi.advanceTimersByTimeAsync(0);
    // The server applies the op but the connection drops before its answer arrives.
    const socket = [...server.sockets][0]!;
    const deliver = socket.deliver.bind(socket);
    socket.deliver = () => {};
    const [id] = queue.edit(text("fee-late", "Kept"));
    await vi.advanceTimersByTimeAsync(20);
    socket.deliver = deliver;
    expect(server.log.map((r) => r.op_id)).toEqual([id]);
    server.dropAll();
    expect(live.ready).toBe(false);
    expect(queue.savedIn(id!)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000); // backoff with jitter: 375 ms here
    expect(live.ready).toBe(true);
    await vi.advanceTimersByTimeAsync(1100);
    // Caught up from the log in the welcome: my op came back, so it is saved in its revision.
    expect(queue.savedIn(id!)).toBe(2);
    expect(queue.pending).toHaveLength(0);
    expect(server.log).toHaveLength(1); // applied once
    expect(cardText(queue.journey, "fee-late")).toBe("Kept");
  });

  it("holds a revision only once its last op came: a drop inside it asks for it again", async () => {
    const server = new FakeLiveServer();
    const { queue, live } = client(server);
    await vi.advanceTimersByTimeAsync(0);
    const severity = (value: number): Op => ({
      kind: "set",
      entity: "card",
      id: "fee-late",
      field: "severity",
      value,
    });
    // A REST batch of three operations, revision 2; the socket drops after the first.
    const ids = server.commitBatch("bob", [text("fee-late", "One"), severity(4), severity(2)], 1);
    expect(live.ready).toBe(false);
    expect(queue.rev).toBe(2); // the first op is applied ...
    expect(live.heldRev).toBe(1); // ... but revision 2 is not held whole
    await vi.advanceTimersByTimeAsync(1000);
    const hello = [...server.sockets][0]!.sent[0]!;
    expect(hello).toEqual({ type: "hello", proto: 1, since_rev: 1 });
    // The welcome carried revision 2 whole: the rest of it applied, the first op not twice.
    expect(live.heldRev).toBe(2);
    expect(queue.journey).toEqual(server.journey);
    expect(findItem(queue.journey, "card", "fee-late")?.fields.severity).toBe(2);
    expect(server.log.map((r) => r.op_id)).toEqual(ids);
    // Whole revisions, as they come, are held at once.
    server.commitBatch("bob", [severity(3), severity(1)]);
    expect(live.heldRev).toBe(3);
  });

  it("an op resent after a reconnect is answered duplicate and saved", async () => {
    const server = new FakeLiveServer();
    const { queue } = client(server);
    await vi.advanceTimersByTimeAsync(0);
    const socket = [...server.sockets][0]!;
    // Every answer is lost: the op is committed but nothing comes back.
    socket.deliver = () => {};
    const [id] = queue.edit(text("fee-late", "Again"));
    await vi.advanceTimersByTimeAsync(20);
    // The client reconnects claiming it is at the new rev already (it read it by REST, say),
    // so the welcome does not carry the op: the resend is what tells it.
    (queue as unknown as { revision: number }).revision = server.rev;
    socket.close(1006);
    await vi.advanceTimersByTimeAsync(3000);
    const resent = [...server.sockets][0]!.sent.filter((m) => m.type === "ops");
    expect((resent[0]!.ops as OpItem[])[0]!.op_id).toBe(id);
    expect(queue.savedIn(id!)).toBe(2);
    expect(server.log).toHaveLength(1);
  });

  it("shows an edit of something another person deleted as refused", async () => {
    const server = new FakeLiveServer();
    const { queue } = client(server);
    await vi.advanceTimersByTimeAsync(0);
    const socket = [...server.sockets][0]!;
    const deliver = socket.deliver.bind(socket);
    socket.deliver = () => {}; // I do not hear of the delete before my edit goes
    server.commit("bob", { kind: "delete", entity: "card", id: "fee-late" });
    socket.deliver = deliver;
    queue.edit(text("fee-late", "Too late"));
    await vi.advanceTimersByTimeAsync(20);
    expect(queue.refusalFor({ entity: "card", id: "fee-late", field: "text" })).toBeTruthy();
    expect(queue.pending).toHaveLength(0);
  });

  it("tells both people of a same-field overwrite, with the value Restore sets again", async () => {
    const server = new FakeLiveServer();
    const ann = client(server, "ann");
    const bob = client(server, "bob");
    await vi.advanceTimersByTimeAsync(0);
    ann.queue.edit(text("fee-late", "Ann's"));
    await vi.advanceTimersByTimeAsync(20);
    // Bob's ack says whose value his replaced (the server computes it; the fake adds it).
    const bobSocket = [...server.sockets].find((s) => s.actor === "bob")!;
    const deliver = bobSocket.deliver.bind(bobSocket);
    bobSocket.deliver = (m: Msg) =>
      deliver(
        m.type === "ack" && m.status === "applied"
          ? {
              ...m,
              overwrites: [
                {
                  entity: "card",
                  id: "fee-late",
                  field: "text",
                  rev: 2,
                  actor: "ann",
                  by_op_id: "x",
                  old_value: "Ann's",
                },
              ],
            }
          : m,
      );
    bob.queue.edit(text("fee-late", "Bob's"));
    await vi.advanceTimersByTimeAsync(20);
    expect(bob.live.notices).toMatchObject([
      { who: "ann", mine: false, field: "text", value: "Ann's" },
    ]);
    expect(ann.live.notices).toMatchObject([
      { who: "bob", mine: true, field: "text", value: "Ann's" },
    ]);
    expect(cardText(ann.queue.journey, "fee-late")).toBe("Bob's");
    ann.live.restore(ann.live.notices[0]!.key);
    await vi.advanceTimersByTimeAsync(20);
    expect(ann.live.notices).toHaveLength(0);
    expect(cardText(server.journey, "fee-late")).toBe("Ann's");
    expect(cardText(bob.queue.journey, "fee-late")).toBe("Ann's");
    expect(server.log.at(-1)!.op).toEqual(text("fee-late", "Ann's")); // a new op, a set
  });

  it("undo stays per person", async () => {
    const server = new FakeLiveServer();
    const ann = client(server, "ann");
    const bob = client(server, "bob");
    await vi.advanceTimersByTimeAsync(0);
    ann.queue.edit(text("fee-late", "Ann's"));
    await vi.advanceTimersByTimeAsync(20);
    bob.queue.edit({ kind: "set", entity: "card", id: "fee-late", field: "severity", value: 1 });
    await vi.advanceTimersByTimeAsync(20);
    ann.queue.undo();
    await vi.advanceTimersByTimeAsync(20);
    expect(findItem(server.journey, "card", "fee-late")?.fields.severity).toBe(1);
    expect(bob.queue.journey).toEqual(server.journey);
    expect(ann.queue.journey).toEqual(server.journey);
  });

  it("sees who is here and forgets them when they leave", async () => {
    const server = new FakeLiveServer();
    const ann = client(server, "ann");
    const bob = client(server, "bob");
    await vi.advanceTimersByTimeAsync(0);
    bob.live.setPresence({ name: "Bob", card: "fee-late", cursor: { x: 10, y: 20 } });
    await vi.advanceTimersByTimeAsync(100);
    expect(ann.live.people.get("bob")).toMatchObject({
      name: "Bob",
      card: "fee-late",
      cursor: { x: 10, y: 20 },
    });
    [...server.sockets][0]!.deliver({ type: "presence", conn: "bob", actor: "bob", left: true });
    expect(ann.live.people.has("bob")).toBe(false);
  });

  it("sees which card someone drags, and when they stop", async () => {
    const server = new FakeLiveServer();
    const ann = client(server, "ann");
    const bob = client(server, "bob");
    await vi.advanceTimersByTimeAsync(0);
    bob.live.setPresence({ name: "Bob", card: "fee-late", dragging: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(ann.live.people.get("bob")).toMatchObject({ card: "fee-late", dragging: true });
    bob.live.setPresence({ card: null, dragging: false });
    await vi.advanceTimersByTimeAsync(100);
    expect(ann.live.people.get("bob")).toMatchObject({ card: null, dragging: false });
    // A `dragging` without a card, or not a boolean, marks nothing.
    [...server.sockets][0]!.deliver({
      type: "presence",
      conn: "eve",
      actor: "eve",
      data: { dragging: "yes", card: "fee-late" },
    });
    expect(ann.live.people.get("eve")?.dragging).toBe(false);
  });

  it("keeps the server's order when someone's edit lands between mine and my ack", async () => {
    const server = new FakeLiveServer();
    const ann = client(server, "ann");
    const bob = client(server, "bob");
    await vi.advanceTimersByTimeAsync(0);
    // Ann's op is applied (rev 2) and Bob's (rev 3) lands before Ann hears her ack.
    const annSocket = [...server.sockets].find((s) => s.actor === "ann")!;
    const deliver = annSocket.deliver.bind(annSocket);
    const held: Msg[] = [];
    annSocket.deliver = (m: Msg) => void held.push(m);
    ann.queue.edit(text("fee-late", "Ann's"));
    await vi.advanceTimersByTimeAsync(20);
    bob.queue.edit(text("fee-late", "Bob's"));
    await vi.advanceTimersByTimeAsync(20);
    annSocket.deliver = deliver;
    // Ann hears: op rev 2 (hers), ack, op rev 3 (Bob's): in order, Bob's wins everywhere.
    for (const m of held) deliver(m);
    await vi.advanceTimersByTimeAsync(20);
    expect(cardText(ann.queue.journey, "fee-late")).toBe("Bob's");
    expect(ann.queue.journey).toEqual(server.journey);
    expect(bob.queue.journey).toEqual(server.journey);
    expect(ann.queue.pending).toHaveLength(0);
  });

  it("takes a welcome's snapshot as the journey, pending edits on top", async () => {
    const server = new FakeLiveServer();
    const { queue } = client(server);
    await vi.advanceTimersByTimeAsync(0);
    const socket = [...server.sockets][0]!;
    socket.deliver = () => {}; // nothing comes back for a while
    queue.edit(text("fee-late", "Mine"));
    await vi.advanceTimersByTimeAsync(20);
    const doc = storeDocument();
    socket.deliver = FakeSocket.prototype.deliver.bind(socket);
    socket.onmessage?.({
      data: JSON.stringify({ type: "welcome", rev: 40, ops: null, snapshot: { document: doc } }),
    });
    expect(queue.rev).toBe(40);
    expect(queue.pending).toHaveLength(1);
    expect(cardText(queue.journey, "fee-late")).toBe("Mine");
    expect(findItem(queue.journey, "stage", "awareness")).toBeTruthy();
  });

  it("reloads when the server says so", async () => {
    const server = new FakeLiveServer();
    const onReload = vi.fn();
    const queue = new OpQueue({
      journeyId: "online-store",
      rev: server.rev,
      journey: server.journey,
      send: () => Promise.reject(new Error("unused")),
    });
    const live = new LiveClient({
      url: "ws://test",
      connect: server.connect("ann"),
      queue,
      fromSnapshot: (s) => fromDocument(s),
      onReload,
    });
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    [...server.sockets][0]!.deliver({ type: "reload", reason: "deleted" });
    expect(onReload).toHaveBeenCalledWith("deleted");
    live.stop();
  });

  it("sends an edit of several operations by REST, all or nothing", async () => {
    const server = new FakeLiveServer();
    const { queue, live, rest } = client(server);
    await vi.advanceTimersByTimeAsync(0);
    queue.edit([text("fee-late", "One"), text("fee-late", "Two")]);
    await vi.advanceTimersByTimeAsync(20);
    expect(rest).toHaveBeenCalledTimes(1);
    expect(live.ready).toBe(true);
    const socket = [...server.sockets][0]!;
    expect(socket.sent.filter((m) => m.type === "ops")).toHaveLength(0);
    live.stop();
  });

  it("falls back to REST when the socket cannot open", async () => {
    const server = new FakeLiveServer();
    server.up = false;
    const { queue, live, rest } = client(server);
    await vi.advanceTimersByTimeAsync(0);
    expect(live.ready).toBe(false);
    queue.edit(text("fee-late", "Rest"));
    await vi.advanceTimersByTimeAsync(20);
    expect(rest).toHaveBeenCalledTimes(1);
    live.stop();
  });
});

describe("presence throttling", () => {
  it("sends at most one message an interval, the latest value last", () => {
    let now = 0;
    const timers: { at: number; run: () => void }[] = [];
    const sent: number[] = [];
    const t = throttle((v: number) => sent.push(v), 50, {
      now: () => now,
      setTimer: (run, ms) => timers.push({ at: now + ms, run }),
      clearTimer: () => {},
    });
    for (let i = 0; i < 100; i += 1) {
      now = i * 5; // a call every 5 ms for half a second
      const due = timers.filter((x) => x.at <= now);
      for (const timer of due) timers.splice(timers.indexOf(timer), 1);
      for (const timer of due) timer.run();
      t.call(i);
    }
    now = 1000;
    for (const timer of timers.splice(0)) timer.run();
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent[0]).toBe(0);
    expect(sent.at(-1)).toBe(99);
  });
});

describe("avatars", () => {
  it("have initials and a stable colour", async () => {
    const { initials, colourIndex, PALETTE_SIZE } = await import("./presence");
    expect(initials("Ann Lee")).toBe("AL");
    expect(initials("bob@example.com")).toBe("B");
    expect(initials("Émile zola-Durand")).toBe("ÉZ");
    expect(colourIndex("user-1")).toBe(colourIndex("user-1"));
    expect(colourIndex("user-1")).toBeLessThan(PALETTE_SIZE);
  });
});

describe("overwrite notices", () => {
  it("name who overwrote what", async () => {
    const { noticeText } = await import("./presence");
    const base = { key: "k", entity: "card", id: "c", field: "text", value: "x" };
    expect(noticeText({ ...base, who: "Bob", mine: true })).toBe(
      "Bob changed the text of this card you had just set.",
    );
    expect(noticeText({ ...base, who: "Ann", mine: false, field: "due_date" })).toBe(
      "You changed the due date of this card Ann had just set.",
    );
  });
});
