// The queue's transport over the app's API client: one batch, one POST. A request that gets no
// answer rejects (openapi-fetch rethrows fetch's TypeError), which the queue counts as offline.
import type { Api } from "../api/client";
import { toProblem } from "../api/problem";
import type { OpsBatch, OpsResult } from "./ops";
import type { Transport } from "./opQueue";

export function apiTransport(api: Api): Transport {
  return async (journeyId: string, batch: OpsBatch) => {
    const answer = await api.POST("/api/journeys/{journey_id}/ops", {
      params: { path: { journey_id: journeyId } },
      // The schema types an op as a free-form object (the server's union is not in it yet).
      body: batch as unknown as {
        base_rev: number;
        ops: { op_id: string; op: Record<string, unknown> }[];
      },
    });
    if (answer.response.ok) return { ok: true, result: answer.data as OpsResult };
    return { ok: false, problem: toProblem(answer.response, answer.error) };
  };
}
