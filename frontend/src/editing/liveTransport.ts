// The live socket (/api/journeys/{id}/live, docs/api.md "Live"): the editor's queue sends over
// it when it is open (REST when not), everyone's committed operations come back on it in
// revision order and go into the queue's confirmed journey (pending edits on top), and the
// people on the journey are seen (presence). Same-field overwrites become notices with the
// value to restore. No DOM here: the socket, the clock and the randomness are handed in.
import type { EditJourney } from "./model";
import type { Op, OpItem, OpsBatch, OpsResult } from "./ops";
import { targetKey, targetOf } from "./ops";
import type { SendAnswer, Transport } from "./opQueue";
import { throttle, type Throttled } from "./presence";
import type { Ack, OpOut, PresenceOut, Server as ServerMessage } from "../api/live";

/** The window event a live notice (`evidence`, `comments`) is told by; `detail` is its `about`. */
export const LIVE_NOTICE = "journeymap:live-notice";

/** What the client needs of a WebSocket (the browser's fits). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** What the client needs of the editor's queue (OpQueue has it; a viewer's too). */
export interface LiveQueue {
  readonly rev: number;
  applyRemote(rev: number, opId: string, op: Op): boolean;
  replaceConfirmed(rev: number, journey: EditJourney): void;
  isOwn(opId: string): boolean;
  isTogether(opId: string): boolean;
  wake(): Promise<void>;
  edit(ops: Op | Op[]): string[];
}

export interface Person {
  conn: string;
  actor: string | null;
  name: string;
  card: string | null; // the card they are editing or dragging
  dragging: boolean; // true: they are dragging `card`
  cursor: { x: number; y: number } | null; // on the grid, in grid pixels
}

/** A field someone else's value replaced, or that replaced theirs: `value` is what Restore
 * sets again (a new operation). */
export interface OverwriteNotice {
  key: string;
  who: string; // the other person
  mine: boolean; // true: they overwrote my value; false: mine replaced theirs
  entity: string;
  id: string | null;
  field: string;
  value: unknown;
}

export interface LiveOptions {
  url: string;
  connect: (url: string) => SocketLike;
  queue: LiveQueue;
  /** The journey from a `welcome` snapshot (a GET answer) for the queue. */
  fromSnapshot: (snapshot: Record<string, unknown>) => EditJourney;
  onReload: (reason: string) => void;
  /** Names people by their actor id (the workspace's members); else `data.name`. */
  nameOf?: (actor: string | null) => string | undefined;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  presenceIntervalMs?: number;
  random?: () => number;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export type LiveState = "connecting" | "open" | "closed";

const OPEN = 1;

interface Waiting {
  ids: Set<string>;
  acks: Ack[];
  resolve: (answer: SendAnswer) => void;
  reject: (error: Error) => void;
}

export class LiveClient {
  state: LiveState = "closed";
  readonly people = new Map<string, Person>();
  notices: OverwriteNotice[] = [];
  /** How many times the server said the journey's comments changed. */
  commentNotices = 0;
  private socket: SocketLike | null = null;
  private welcomed = false;
  // A revision whose operations came in part (its `last` not yet): not held until it is whole,
  // so a reconnect's hello names the one before it (a drop may fall inside a REST batch).
  private partRev: number | null = null;
  private stopped = false;
  private attempt = 0;
  private timer: unknown = null;
  private readonly waiting: Waiting[] = [];
  private readonly mySets = new Map<string, unknown>(); // fields I set, by target key
  private readonly names = new Map<string, string>(); // actor -> name, learnt from presence
  private readonly listeners = new Set<() => void>();
  private myPresence: Record<string, unknown> = {};
  private readonly presence: Throttled<Record<string, unknown>>;
  private readonly o: Required<Omit<LiveOptions, "nameOf">> & Pick<LiveOptions, "nameOf">;

  constructor(options: LiveOptions) {
    this.o = {
      backoffBaseMs: 500,
      backoffMaxMs: 15_000,
      presenceIntervalMs: 50,
      random: Math.random,
      now: () => Date.now(),
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
      ...options,
    };
    this.presence = throttle(
      (data) => this.sendRaw({ type: "presence", data }),
      this.o.presenceIntervalMs,
      { now: this.o.now, setTimer: this.o.setTimer, clearTimer: this.o.clearTimer },
    );
  }

  /** The last revision held whole: what `hello` names as `since_rev`. */
  get heldRev(): number {
    const rev = this.o.queue.rev;
    return this.partRev === null ? rev : Math.min(rev, this.partRev - 1);
  }

  get ready(): boolean {
    return this.welcomed && this.socket !== null && this.socket.readyState === OPEN;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.o.clearTimer(this.timer);
    this.timer = null;
    this.presence.cancel();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.dropped();
    this.listeners.clear();
  }

  /** The queue's transport: over the socket when it is open and welcomed, else `fallback`;
   * a batch holding an edit of several operations goes by `fallback` (REST applies a batch
   * all or nothing; the socket applies each operation on its own). */
  transport(fallback: Transport): Transport {
    return (journeyId: string, batch: OpsBatch) =>
      this.ready && !batch.ops.some((item) => this.o.queue.isTogether(item.op_id))
        ? this.sendOps(batch)
        : fallback(journeyId, batch);
  }

  /** Where I am (the card I edit, my cursor): sent at most every presenceIntervalMs. */
  setPresence(data: Record<string, unknown>): void {
    this.myPresence = { ...this.myPresence, ...data };
    if (this.ready) this.presence.call(this.myPresence);
  }

  dismiss(key: string): void {
    this.notices = this.notices.filter((n) => n.key !== key);
    this.notify();
  }

  /** Put the value back: a new `set`, never a revision restore. */
  restore(key: string): void {
    const notice = this.notices.find((n) => n.key === key);
    if (!notice) return;
    this.o.queue.edit({
      kind: "set",
      entity: notice.entity as "card",
      id: notice.id,
      field: notice.field,
      value: notice.value,
    });
    this.dismiss(key);
  }

  // ---------------------------------------------------------------- the socket

  private open(): void {
    if (this.stopped) return;
    this.state = "connecting";
    let socket: SocketLike;
    try {
      socket = this.o.connect(this.o.url);
    } catch {
      this.reconnectLater();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.sendRaw({ type: "hello", proto: 1, since_rev: this.heldRev });
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket || typeof event.data !== "string") return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      this.receive(message);
    };
    socket.onerror = () => {};
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.dropped();
      if (event.code === 4404) this.o.onReload("deleted");
      else if (event.code === 4401 || event.code === 4426) this.state = "closed";
      else this.reconnectLater();
      this.notify();
    };
    this.notify();
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.state = "closed";
    const cap = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** this.attempt);
    this.attempt += 1;
    const delay = cap / 2 + (cap / 2) * this.o.random(); // exponential, with jitter
    this.timer = this.o.setTimer(() => {
      this.timer = null;
      this.open();
    }, delay);
  }

  /** The socket went: every batch waiting for acks fails (the queue retries it, same op_ids),
   * and the people seen through it are gone. */
  private dropped(): void {
    this.welcomed = false;
    for (const w of this.waiting.splice(0)) w.reject(new Error("live socket closed"));
    this.people.clear();
  }

  private sendRaw(message: Record<string, unknown>): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private sendOps(batch: OpsBatch): Promise<SendAnswer> {
    return new Promise<SendAnswer>((resolve, reject) => {
      if (batch.ops.length === 0) {
        resolve({ ok: true, live: true, result: emptyResult(this.o.queue.rev) });
        return;
      }
      this.waiting.push({ ids: new Set(batch.ops.map((i) => i.op_id)), acks: [], resolve, reject });
      this.sendRaw({ type: "ops", base_rev: batch.base_rev, ops: batch.ops });
    });
  }

  private receive(message: ServerMessage): void {
    switch (message.type) {
      case "welcome": {
        if (message.snapshot) {
          this.o.queue.replaceConfirmed(message.rev, this.o.fromSnapshot(message.snapshot));
        } else {
          for (const op of message.ops ?? []) this.remoteOp(op);
        }
        this.partRev = null; // a welcome holds whole revisions, up to its `rev`
        this.welcomed = true;
        this.state = "open";
        this.attempt = 0;
        this.sendRaw({ type: "presence", data: this.myPresence });
        void this.o.queue.wake(); // resend what is pending, same op_ids, over the socket
        break;
      }
      case "op":
        this.remoteOp(message);
        break;
      case "ack":
        this.ack(message);
        break;
      case "presence":
        this.seePresence(message);
        break;
      case "reload":
        this.o.onReload(message.reason);
        break;
      default:
        // Notices about comments and evidence. Comments: the panel and badges read them again
        // (comments/, by commentNotices); both are told by an event on the window too
        // (measure/store.ts reads the evidence again).
        if (message.about === "comments") this.commentNotices += 1;
        if (typeof window !== "undefined") {
          window.dispatchEvent(new CustomEvent(LIVE_NOTICE, { detail: message.about }));
        }
        break;
    }
    this.notify();
  }

  private remoteOp(message: OpOut): void {
    // `last` false: more of this revision is to come (absent, from an older server: whole).
    this.partRev = !message.last ? message.rev : null;
    const op = message.op as unknown as Op;
    const own = this.o.queue.isOwn(message.op_id);
    if (!this.o.queue.applyRemote(message.rev, message.op_id, op)) return;
    if (op.kind !== "set" && op.kind !== "rename") return;
    const key = targetKey(targetOf(op));
    const value = op.kind === "set" ? op.value : op.name;
    if (own) {
      this.mySets.set(key, value);
      return;
    }
    if (!this.mySets.has(key)) return;
    const target = targetOf(op);
    this.addNotice({
      key: `${key}@${message.rev}`,
      who: this.nameFor(message.actor, null),
      mine: true,
      entity: target.entity,
      id: target.id,
      field: target.field ?? "",
      value: this.mySets.get(key),
    });
    this.mySets.delete(key);
  }

  private ack(message: Ack): void {
    const at = this.waiting.findIndex((w) => w.ids.has(message.op_id));
    if (at < 0) return;
    const w = this.waiting[at]!;
    w.acks.push(message);
    for (const o of message.overwrites ?? []) {
      this.addNotice({
        key: `${o.entity}:${o.id ?? ""}:${o.field}@${message.rev}`,
        who: this.nameFor(o.actor ?? null, null),
        mine: false,
        entity: o.entity,
        id: o.id ?? null,
        field: o.field,
        value: o.old_value,
      });
    }
    if (w.acks.length < w.ids.size) return;
    this.waiting.splice(at, 1);
    w.resolve(answerOf(w.acks, this.o.queue.rev));
  }

  private seePresence(message: PresenceOut): void {
    if (message.left) {
      this.people.delete(message.conn);
      return;
    }
    const data = (message.data ?? {}) as Record<string, unknown>;
    if (message.actor && typeof data.name === "string" && data.name)
      this.names.set(message.actor, data.name);
    const known = this.people.has(message.conn);
    this.people.set(message.conn, {
      conn: message.conn,
      actor: message.actor ?? null,
      name: this.nameFor(message.actor ?? null, data.name),
      card: typeof data.card === "string" ? data.card : null,
      dragging: data.dragging === true && typeof data.card === "string",
      cursor: readCursor(data.cursor),
    });
    // Someone new: tell them I am here too (they joined after my last presence).
    if (!known) this.presence.call(this.myPresence);
  }

  private nameFor(actor: string | null, given: unknown): string {
    return (
      this.o.nameOf?.(actor) ??
      (actor !== null ? this.names.get(actor) : undefined) ??
      (typeof given === "string" && given ? given : null) ??
      actor ??
      "Someone"
    );
  }

  private addNotice(notice: OverwriteNotice): void {
    this.notices = [...this.notices.filter((n) => n.key !== notice.key), notice].slice(-5);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function readCursor(value: unknown): { x: number; y: number } | null {
  if (typeof value !== "object" || value === null) return null;
  const { x, y } = value as { x?: unknown; y?: unknown };
  return typeof x === "number" && typeof y === "number" ? { x, y } : null;
}

function emptyResult(rev: number): OpsResult {
  return { rev, status: "unchanged", acks: [], overwrites: [] };
}

/** The acks of one batch as the queue reads an answer: the first rejected one as a refusal
 * naming its op_id (the rest of the batch goes again: applied ones come back `duplicate`). */
export function answerOf(acks: readonly Ack[], rev: number): SendAnswer {
  const rejected = acks.find((a) => a.status === "rejected");
  if (rejected) {
    return {
      ok: false,
      problem: { status: 422, detail: rejected.detail ?? "refused", op_id: rejected.op_id },
    };
  }
  const saved = acks.map((a) => ({
    op_id: a.op_id,
    rev: a.rev,
    status: a.status as "applied" | "duplicate",
  }));
  const top = Math.max(rev, ...saved.map((a) => a.rev));
  const status = saved.some((a) => a.status === "applied") ? "applied" : "duplicate";
  return { ok: true, live: true, result: { rev: top, status, acks: saved, overwrites: [] } };
}

export type { OpItem };
