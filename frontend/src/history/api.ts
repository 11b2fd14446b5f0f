// The history API as the history page asks it (through the generated client): the journey and
// the caller's role, a page of revisions, the named versions, and a pair of revisions compared.
import type { Api } from "../api/client";
import { must } from "../api/client";
import { type JourneyDoc, readJourney } from "../api/journey";
import { newOpId } from "../editing/ops";
import { cardMarks, type Mark, withGhosts } from "./changes";
import { etagOf, type Pair, type Revision, type Version } from "./revisions";

export interface Head {
  title: string;
  workspaceId: string;
  rev: number;
  canEdit: boolean;
}

export async function loadHead(api: Api, journeyId: string): Promise<Head> {
  const path = { journey_id: journeyId };
  const journey = await must(api.GET("/api/journeys/{journey_id}", { params: { path } }));
  let role: string | null = null;
  try {
    const ws = await must(
      api.GET("/api/workspaces/{workspace_id}", {
        params: { path: { workspace_id: journey.workspace_id } },
      }),
    );
    role = ws.role;
  } catch {
    role = null; // not told: reading only
  }
  return {
    title: journey.document.title,
    workspaceId: journey.workspace_id,
    rev: journey.rev,
    canEdit: role === "editor" || role === "owner",
  };
}

export async function loadRevisions(
  api: Api,
  journeyId: string,
  before?: number,
): Promise<{ items: Revision[]; nextBefore: number | null }> {
  const page = await must(
    api.GET("/api/journeys/{journey_id}/history", {
      params: {
        path: { journey_id: journeyId },
        query: before ? { before, limit: 50 } : { limit: 50 },
      },
    }),
  );
  return { items: page.items, nextBefore: page.next_before };
}

export async function loadVersions(api: Api, journeyId: string): Promise<Version[]> {
  return must(
    api.GET("/api/journeys/{journey_id}/versions", { params: { path: { journey_id: journeyId } } }),
  );
}

async function docAt(api: Api, journeyId: string, rev: number): Promise<JourneyDoc> {
  const found = await must(
    api.GET("/api/journeys/{journey_id}/revisions/{rev}/map", {
      params: { path: { journey_id: journeyId, rev } },
    }),
  );
  return readJourney(found.document);
}

export interface Compared {
  pair: Pair;
  doc: JourneyDoc; // `to`, with the removed cards as ghosts
  marks: Map<string, Mark>;
  summary: string[];
}

export async function loadPair(api: Api, journeyId: string, pair: Pair): Promise<Compared> {
  const after = await docAt(api, journeyId, pair.to);
  if (pair.from === null) return { pair, doc: after, marks: new Map(), summary: [] };
  const [before, diff] = await Promise.all([
    docAt(api, journeyId, pair.from),
    must(
      api.GET("/api/journeys/{journey_id}/diff", {
        params: { path: { journey_id: journeyId }, query: { from: pair.from, to: pair.to } },
      }),
    ),
  ]);
  const marks = cardMarks(diff.diff);
  return { pair, doc: withGhosts(after, before, marks), marks, summary: diff.summary };
}

export async function restore(api: Api, journeyId: string, rev: number, current: number) {
  return must(
    api.POST("/api/journeys/{journey_id}/restore", {
      params: { path: { journey_id: journeyId }, header: { "If-Match": etagOf(current) } },
      body: { rev, op_id: newOpId() },
    }),
  );
}

export async function nameVersion(api: Api, journeyId: string, name: string, rev: number) {
  return must(
    api.POST("/api/journeys/{journey_id}/versions", {
      params: { path: { journey_id: journeyId } },
      body: { name, rev },
    }),
  );
}
