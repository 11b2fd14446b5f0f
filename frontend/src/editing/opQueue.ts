// The editor's save path: every edit an operation with its own op_id, applied at once to the
// journey on screen, queued, sent in batches to POST /api/journeys/{id}/ops, and counted saved
// only when the server's revision for it has come back. See docs/web.md, "Editing: how changes
// are saved", for the behaviour this implements (retries, refusals, stale revisions, reloads).
import { EditError, applyOp } from "./applyOp";
import type { EditJourney } from "./model";
import {
  newOpId,
  targetKey,
  targetOf,
  type Op,
  type OpItem,
  type OpsBatch,
  type OpsResult,
  type Target,
} from "./ops";
import type { PendingStore } from "./persistence";
import { refusalMessage, refusedIndex, type ServerProblem } from "./refusals";

export type { ServerProblem } from "./refusals";
import { UndoHistory, withInverses, type UndoEntry } from "./undo";

/** `live`: the answer came over the live socket, where every applied operation already came
 * back as a committed `op` (applyRemote) before its ack: nothing is applied again. */
export type SendAnswer =
  | { ok: true; result: OpsResult; live?: boolean }
  | { ok: false; problem: ServerProblem };
/** Sends one batch; rejects (throws) when no answer came back (network down, server gone). */
export type Transport = (journeyId: string, batch: OpsBatch) => Promise<SendAnswer>;
/** Reads the journey as the server has it now (after a stale base revision). */
export type Reader = (journeyId: string) => Promise<{ rev: number; journey: EditJourney }>;

export interface QueueOptions {
  journeyId: string;
  rev: number; // the revision `journey` was read at
  journey: EditJourney;
  send: Transport;
  read?: Reader;
  store?: PendingStore | null;
  batchWindowMs?: number; // edits made within this time go in one batch (typing, dragging)
  maxBatch?: number; // at most this many operations a batch (the server takes 1000)
  retryBaseMs?: number; // first wait after a failed send; doubled each time ...
  retryMaxMs?: number; // ... up to this
}

export interface Refusal {
  target: Target;
  opId: string;
  message: string;
}

export type SaveState = "saved" | "saving" | "offline" | "blocked";
export interface SaveStatus {
  state: SaveState;
  waiting: number; // operations not yet acknowledged by a revision
  text: string;
}

/** The attempts a stale base revision gets to re-read and resend before it counts as refused. */
const STALE_TRIES = 3;
const RETRIED = new Set([408, 429, 500, 502, 503, 504]);

export class OpQueue {
  readonly journeyId: string;
  readonly history = new UndoHistory();
  private confirmed: EditJourney; // the server's journey at `rev`
  private revision: number;
  private view: EditJourney; // `confirmed` with every pending operation applied
  private queued: OpItem[] = []; // not sent yet
  private inFlight: OpItem[] | null = null; // the batch being sent: kept as is until answered
  private readonly refusals = new Map<string, Refusal>();
  /** How many of the queued operations still go one a batch (after an unnamed refusal). */
  private singly = 0;
  private readonly acked = new Map<string, number>(); // op_id -> revision
  private readonly seen = new Set<string>(); // op_ids of others' operations in `confirmed`
  private readonly together = new Set<string>(); // op_ids of edits of several operations
  private offline = false;
  private blocked: string | null = null;
  private sending = false;
  private attempt = 0;
  private staleTries = 0;
  private windowTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly listeners = new Set<() => void>();
  private readonly options: Required<Omit<QueueOptions, "read" | "store">> &
    Pick<QueueOptions, "read" | "store">;

  constructor(options: QueueOptions) {
    this.options = {
      batchWindowMs: 300,
      maxBatch: 200,
      retryBaseMs: 1000,
      retryMaxMs: 30_000,
      ...options,
    };
    this.journeyId = options.journeyId;
    this.confirmed = options.journey;
    this.revision = options.rev;
    // Edits left from before a reload go first: they were made first. Those the server already
    // has (the answer was lost) come back `duplicate`, so sending them again is harmless.
    this.queued = options.store?.load(this.journeyId) ?? [];
    this.view = this.recompute();
    if (this.queued.length) this.scheduleFlush();
  }

  // ------------------------------------------------------------ reading

  get journey(): EditJourney {
    return this.view;
  }

  /** The server revision the journey on screen is based on. */
  get rev(): number {
    return this.revision;
  }

  /** The revision an edit was saved in; undefined while it is not (or if it was refused). */
  savedIn(opId: string): number | undefined {
    return this.acked.get(opId);
  }

  get pending(): readonly OpItem[] {
    return [...(this.inFlight ?? []), ...this.queued];
  }

  status(): SaveStatus {
    const waiting = this.pending.length;
    const changes = `${waiting} change${waiting === 1 ? "" : "s"} waiting`;
    if (waiting === 0) return { state: "saved", waiting, text: "Saved" };
    if (this.blocked !== null)
      return { state: "blocked", waiting, text: `Not saved: ${this.blocked}; ${changes}` };
    if (this.offline) return { state: "offline", waiting, text: `Offline: ${changes}` };
    return { state: "saving", waiting, text: "Saving…" };
  }

  /** The server's message for a refused edit of this field (or entity: field null). */
  refusalFor(target: Target): string | undefined {
    return this.refusals.get(targetKey(target))?.message;
  }

  get refused(): Refusal[] {
    return [...this.refusals.values()];
  }

  dismiss(target: Target): void {
    if (this.refusals.delete(targetKey(target))) this.notify();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ------------------------------------------------------------ editing

  /** Apply an edit (one user action: one or more operations) on screen and queue it. Throws
   * EditError, changing nothing, when it cannot apply to the journey as it is on screen. */
  edit(ops: Op | Op[]): string[] {
    const list = Array.isArray(ops) ? ops : [ops];
    const entry = this.enqueue(list);
    this.history.record(entry);
    return entry.opIds;
  }

  /** Undo one's last edit by sending its inverse; false when there is nothing to undo. If it
   * can no longer apply (someone deleted what it touched), EditError and the entry is gone. */
  undo(): boolean {
    const entry = this.history.takeUndo();
    if (!entry) return false;
    this.history.pushRedo(this.enqueue(entry.inverses));
    return true;
  }

  redo(): boolean {
    const entry = this.history.takeRedo();
    if (!entry) return false;
    this.history.pushUndo(this.enqueue(entry.inverses));
    return true;
  }

  private enqueue(ops: Op[]): UndoEntry {
    const { after, inverses } = withInverses(this.view, ops); // EditError: nothing queued
    const items = ops.map((op) => ({ op_id: newOpId(), op }));
    if (items.length > 1) for (const item of items) this.together.add(item.op_id);
    for (const item of items) this.refusals.delete(targetKey(targetOf(item.op)));
    this.view = after;
    this.queued.push(...items);
    this.persist();
    this.scheduleFlush();
    this.notify();
    return { ops, inverses, opIds: items.map((i) => i.op_id) };
  }

  // ------------------------------------------------------------ others' edits (live)

  /** A committed operation from the live socket, in revision order: anyone's, one's own
   * included. It goes into the confirmed journey and the pending edits are put on top again;
   * one's own pending operation it names counts as saved (in `rev`) and leaves the queue.
   * Returns false when the journey already had it (an echo of what a REST answer confirmed,
   * or older than the revision held). */
  applyRemote(rev: number, opId: string, op: Op): boolean {
    if (rev < this.revision || this.acked.has(opId) || this.seen.has(opId)) return false;
    this.confirmed = lenient(this.confirmed, [{ op_id: opId, op }]);
    this.revision = rev;
    const mine = this.pending.some((item) => item.op_id === opId);
    if (mine) {
      this.acked.set(opId, rev);
      if (this.inFlight) this.inFlight = this.inFlight.filter((i) => i.op_id !== opId);
      this.queued = this.queued.filter((i) => i.op_id !== opId);
      this.persist();
    } else {
      this.seen.add(opId);
    }
    this.view = this.recompute();
    this.notify();
    return true;
  }

  /** Whether this operation is part of one edit of several operations, which only make sense
   * together (a future-state map and the map it improves): the live socket applies each
   * operation on its own, so such a batch goes by REST, all or nothing. */
  isTogether(opId: string): boolean {
    return this.together.has(opId);
  }

  /** Whether this operation is one of one's own (pending, or saved in this session). */
  isOwn(opId: string): boolean {
    return this.acked.has(opId) || this.pending.some((item) => item.op_id === opId);
  }

  /** The journey as the server has it at `rev` (a `welcome` snapshot): it replaces the
   * confirmed one, with the pending edits on top. */
  replaceConfirmed(rev: number, journey: EditJourney): void {
    this.confirmed = journey;
    this.revision = rev;
    this.seen.clear();
    this.view = this.recompute();
    this.notify();
  }

  // ------------------------------------------------------------ sending

  /** Send what is queued now, without waiting for the batching window (leaving the page). */
  flush(): Promise<void> {
    this.clearWindow();
    return this.pump();
  }

  /** Try again now: the browser says it is online again, or the user pressed "Retry". */
  wake(): Promise<void> {
    this.blocked = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    return this.pump();
  }

  private isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    this.clearWindow();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.listeners.clear();
  }

  private scheduleFlush(): void {
    if (this.queued.length >= this.options.maxBatch) {
      void this.flush();
    } else if (this.windowTimer === null) {
      this.windowTimer = setTimeout(() => {
        this.windowTimer = null;
        void this.pump();
      }, this.options.batchWindowMs);
    }
  }

  private clearWindow(): void {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
  }

  /** Send batches one at a time until nothing is queued, or a wait (backoff, sign-in) starts. */
  private async pump(): Promise<void> {
    while (!this.disposed && !this.sending && this.retryTimer === null && this.blocked === null) {
      // Every operation of the batch came back over the live socket while it waited to be
      // sent again (after a reconnect): nothing is left to send.
      if (this.inFlight !== null && this.inFlight.length === 0) this.inFlight = null;
      if (this.inFlight === null) {
        if (this.queued.length === 0) return;
        this.inFlight = this.queued.splice(0, this.singly > 0 ? 1 : this.options.maxBatch);
        if (this.singly > 0) this.singly -= 1;
      }
      this.sending = true;
      let answer: SendAnswer | null;
      try {
        answer = await this.options.send(this.journeyId, {
          base_rev: this.revision,
          ops: this.inFlight,
        });
      } catch {
        answer = null;
      } finally {
        this.sending = false;
      }
      if (this.isDisposed()) return; // disposed while the answer was on its way
      if (answer === null) this.waitAndRetry(null, true);
      else if (answer.ok) this.accepted(answer.result, answer.live === true);
      else await this.answeredNo(answer.problem);
      this.notify();
    }
  }

  private accepted(result: OpsResult, live: boolean): void {
    const batch = this.inFlight ?? [];
    const expected = this.revision + (result.status === "applied" ? 1 : 0);
    // A REST answer whose operations the live socket already brought back (applyRemote took
    // them out of the batch): the revision held may be past this one already.
    const echoed = result.acks.some((ack) => this.acked.has(ack.op_id));
    if (!live) this.confirmed = lenient(this.confirmed, batch);
    this.revision = live || echoed ? Math.max(this.revision, result.rev) : result.rev;
    for (const ack of result.acks) this.acked.set(ack.op_id, ack.rev);
    this.inFlight = null;
    this.offline = false;
    this.attempt = 0;
    this.staleTries = 0;
    this.persist();
    this.view = this.recompute();
    // Someone else wrote in between: our `confirmed` lacks their edits. Re-read (the server
    // has ours too by now), so that the next inverse and the next placement start from it.
    if (!live && result.rev !== expected && this.options.read)
      void this.rebase().then(() => this.notify());
  }

  private async answeredNo(problem: ServerProblem): Promise<void> {
    const status = problem.status;
    // 422 "base_rev 9 is not a revision of this journey": our revision is not the server's
    // (a journey restored from its history): the same cure as a stale one.
    const stale = status === 409 || status === 412 || /^base_rev \d+ is not/.test(problem.detail);
    if (stale && this.options.read && this.staleTries < STALE_TRIES) {
      // A stale base revision: re-read the journey, put our pending operations on top of it
      // again (they name ids and neighbours, not positions, so they still mean the same), and
      // send the same batch with the same op_ids from the new base.
      this.staleTries += 1;
      if (!(await this.rebase())) this.waitAndRetry(null, true);
      return;
    }
    if (status === 0 || RETRIED.has(status)) {
      this.waitAndRetry(problem.retryAfter ?? null, status === 0 || status >= 502);
      return;
    }
    if (status === 401) {
      // Signed out (the session ended): keep every edit and wait for `wake` after sign-in.
      this.blocked = problem.detail || "sign in again";
      return;
    }
    this.reject(problem);
  }

  private waitAndRetry(retryAfterSeconds: number | null, offline: boolean): void {
    this.offline = offline;
    const backoff = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** this.attempt);
    this.attempt += 1;
    const delay = retryAfterSeconds !== null ? retryAfterSeconds * 1000 : backoff;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.pump();
    }, delay);
  }

  /** Re-read the journey and rebase what is pending on it; false when the read failed. */
  private async rebase(): Promise<boolean> {
    try {
      const fresh = await this.options.read!(this.journeyId);
      // A read that left before our last batch was acknowledged lacks it: keep what we have.
      if (fresh.rev < this.revision) return true;
      this.confirmed = fresh.journey;
      this.revision = fresh.rev;
      this.view = this.recompute();
      return true;
    } catch {
      return false;
    }
  }

  /** The server refused the batch (all or nothing: none of it was applied). The operation it
   * names is dropped, rolled back on screen, and its message kept for its field; the rest of
   * the batch goes back to the head of the queue with the same op_ids. When the refusal names
   * no operation, the whole batch is refused with it. */
  private reject(problem: ServerProblem): void {
    const batch = this.inFlight ?? [];
    this.inFlight = null;
    const culprit = refusedIndex(problem, batch);
    if (culprit === null && problem.status === 422 && batch.length > 1) {
      // The journey's checks refused the batch without naming the operation: send these one
      // at a time, so that only the one at fault is refused and the rest are saved.
      this.queued.unshift(...batch);
      this.singly = batch.length;
      return;
    }
    const refused = culprit === null ? batch : [batch[culprit]!];
    const message = refusalMessage(problem);
    for (const item of refused) {
      const target = targetOf(item.op);
      this.refusals.set(targetKey(target), { target, opId: item.op_id, message });
      this.history.forget(item.op_id);
    }
    this.queued.unshift(...batch.filter((item) => !refused.includes(item)));
    this.persist();
    this.view = this.recompute();
  }

  private recompute(): EditJourney {
    return lenient(this.confirmed, this.pending);
  }

  private persist(): void {
    this.options.store?.save(this.journeyId, this.pending);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Operations applied one by one, skipping those that no longer apply (what they touched was
 * deleted by someone else, or they are already in the journey): the server decides on them. */
function lenient(journey: EditJourney, items: readonly OpItem[]): EditJourney {
  let state = journey;
  for (const item of items) {
    try {
      state = applyOp(state, item.op);
    } catch (error) {
      if (!(error instanceof EditError)) throw error;
    }
  }
  return state;
}
