// The queue's transport over the app's API client: one batch, one POST. A request that gets no
// answer rejects (openapi-fetch rethrows fetch's TypeError), which the queue counts as offline.
import type { Api } from "../api/client";
import { toProblem } from "../api/problem";
import type { components } from "../api/schema";
import type { OpsBatch, OpsResult } from "./ops";
import type { Transport } from "./opQueue";

export function apiTransport(api: Api): Transport {
  return async (journeyId: string, batch: OpsBatch) => {
    const answer = await api.POST("/api/journeys/{journey_id}/ops", {
      params: { path: { journey_id: journeyId } },
      // editing/ops.ts mirrors the description's operation union field for field; the
      // generated union is wider in its optional fields, so the batch is handed over as it.
      body: batch as unknown as components["schemas"]["OpsBatch"],
    });
    if (answer.response.ok) return { ok: true, result: answer.data as OpsResult };
    return { ok: false, problem: toProblem(answer.response, answer.error) };
  };
}
