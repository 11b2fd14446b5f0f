// A stand-in for POST /api/journeys/{id}/ops in the queue's tests: it keeps a journey and a
// revision, applies each batch all or nothing, answers a known op_id `duplicate` (as the
// server's op log does), refuses what cannot apply with the domain's "operation N (...)"
// wording, and can be told to fail the next sends (no answer, a status) to test the queue.
import { EditError, applyOp } from "../editing/applyOp";
import type { EditJourney } from "../editing/model";
import type { OpsBatch, OpItem } from "../editing/ops";
import type { SendAnswer, ServerProblem } from "../editing/opQueue";

export type Failure = "network" | ServerProblem;

export class OpsServer {
  rev = 1;
  readonly batches: OpsBatch[] = [];
  readonly failures: Failure[] = [];
  private readonly known = new Map<string, number>();
  /** A rule of the server's the client does not know (a lane that cannot hold a card's kind):
   * it refuses the whole batch without naming the operation, as the journey's checks do. */
  rule: ((item: OpItem) => string | null) | null = null;

  constructor(public journey: EditJourney) {}

  /** Someone else's edit, straight on the server. */
  external(items: OpItem[]): void {
    this.journey = items.reduce((j, item) => applyOp(j, item.op), this.journey);
    this.rev += 1;
    for (const item of items) this.known.set(item.op_id, this.rev);
  }

  readonly send = (_journeyId: string, batch: OpsBatch): Promise<SendAnswer> => {
    this.batches.push(structuredClone(batch));
    const failure = this.failures.shift();
    if (failure === "network") return Promise.reject(new TypeError("Failed to fetch"));
    if (failure) return Promise.resolve({ ok: false, problem: failure });
    if (batch.base_rev < 1 || batch.base_rev > this.rev) {
      return Promise.resolve({
        ok: false,
        problem: { status: 422, detail: `base_rev ${batch.base_rev} is not a revision` },
      });
    }
    const fresh = batch.ops.filter((o) => !this.known.has(o.op_id));
    const acks = (status: "applied" | "duplicate") =>
      batch.ops.map((o) => ({
        op_id: o.op_id,
        rev: this.known.get(o.op_id) ?? this.rev,
        status: this.known.has(o.op_id) ? ("duplicate" as const) : status,
      }));
    if (fresh.length === 0) {
      return Promise.resolve({
        ok: true,
        result: { rev: this.rev, status: "duplicate", acks: acks("duplicate"), overwrites: [] },
      });
    }
    const broken = this.rule ? fresh.map(this.rule).find((why) => why) : null;
    if (broken) return Promise.resolve({ ok: false, problem: { status: 422, detail: broken } });
    let state = this.journey;
    for (const [i, item] of fresh.entries()) {
      try {
        state = applyOp(state, item.op);
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
        const detail =
          fresh.length === 1
            ? error.message
            : `operation ${i + 1} (${item.op.kind} ${item.op.entity}): ${error.message}`;
        return Promise.resolve({ ok: false, problem: { status: 422, detail } });
      }
    }
    this.journey = state;
    this.rev += 1;
    for (const item of fresh) this.known.set(item.op_id, this.rev);
    return Promise.resolve({
      ok: true,
      result: { rev: this.rev, status: "applied", acks: acks("applied"), overwrites: [] },
    });
  };

  readonly read = (): Promise<{ rev: number; journey: EditJourney }> =>
    Promise.resolve({ rev: this.rev, journey: this.journey });
}

/** A Map behind the Web Storage interface: localStorage in tests that run in node. */
export class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}
