// What the server's refusal of a batch says, read for the editor: which operation it refused
// (so only that one is rolled back) and the words to show beside its field.
import type { OpItem } from "./ops";

/** What a refusal says; the api's `Problem` (api/problem.ts) has this shape. */
export interface ServerProblem {
  status: number; // 0: no answer at all
  detail: string;
  retryAfter?: number | null; // seconds
  errors?: { field: string; message: string }[];
  op_id?: string; // the refused operation, when the server names it
}

/** Which operation of the batch a refusal names: by op_id, by a field path (`ops.2...`), or
 * by the domain's "operation 3 (set card): ..." (1-based); a batch of one is that one. */
export function refusedIndex(problem: ServerProblem, batch: readonly OpItem[]): number | null {
  if (problem.op_id) {
    const at = batch.findIndex((item) => item.op_id === problem.op_id);
    if (at >= 0) return at;
  }
  for (const error of problem.errors ?? []) {
    const match = /(?:^|\.)ops\.(\d+)(?:\.|$)/.exec(error.field);
    if (match && Number(match[1]) < batch.length) return Number(match[1]);
  }
  // "operation 2 (set card): ..." (the domain) or "operation 2 (<op_id>): ..." (the batch's
  // parser, which names the op_id); both count from 1 over the batch as sent.
  const named = /^operation (\d+)(?: \(([^)]*)\))?:/.exec(problem.detail);
  if (named) {
    const byId = batch.findIndex((item) => item.op_id === named[2]);
    if (byId >= 0) return byId;
    const n = Number(named[1]);
    if (n >= 1 && n <= batch.length) return n - 1;
  }
  return batch.length === 1 ? 0 : null;
}

/** The refusal's words for the field, without the batch's "operation 2 (...): " prefix. */
export function refusalMessage(problem: ServerProblem): string {
  return problem.detail.replace(/^operation \d+(?: \([^)]*\))?: /, "");
}
