// The journey library of one workspace: the filters and sorts `GET .../journeys` has, a page at
// a time; each summary names the personas, the review-by date and who changed it last.
import { create } from "zustand";
import { type Api, must } from "../api/client";
import { messageOf } from "../api/problem";
import type { components, operations } from "../api/schema";

export type Summary = components["schemas"]["JourneySummary"];
export type Workspace = components["schemas"]["WorkspacePublic"];
type LibraryQuery = NonNullable<
  operations["library_api_workspaces__workspace_id__journeys_get"]["parameters"]["query"]
>;
export type Sort = NonNullable<LibraryQuery["sort"]>;
export type StatusFilter = NonNullable<LibraryQuery["status"]>;
export type StateFilter = NonNullable<LibraryQuery["state"]>;

export interface Filters {
  q: string;
  persona: string;
  stage: string;
  owner: string;
  status: StatusFilter | "";
  state: StateFilter | "";
  sort: Sort;
}

export const NO_FILTERS: Filters = {
  q: "",
  persona: "",
  stage: "",
  owner: "",
  status: "",
  state: "",
  sort: "updated",
};
export const PAGE = 50;

export interface LibraryState {
  workspaces: Workspace[];
  workspaceId: string | null;
  filters: Filters;
  offset: number;
  items: Summary[];
  total: number;
  loading: boolean;
  error: string | null;
  asked: number; // the newest request: older answers are dropped
  loadWorkspaces: (api: Api) => Promise<Workspace[]>;
  open: (api: Api, workspaceId: string) => Promise<void>;
  setFilters: (api: Api, change: Partial<Filters>) => Promise<void>;
  page: (api: Api, offset: number) => Promise<void>;
  refresh: (api: Api) => Promise<void>;
}

/** The query the API takes: empty filters are left out. */
export function libraryQuery(filters: Filters, offset: number): LibraryQuery {
  const query: LibraryQuery = { sort: filters.sort, offset, limit: PAGE };
  const q = filters.q.trim();
  if (q) query.q = q;
  if (filters.persona.trim()) query.persona = filters.persona.trim();
  if (filters.stage.trim()) query.stage = filters.stage.trim();
  if (filters.owner.trim()) query.owner = filters.owner.trim();
  if (filters.status) query.status = filters.status;
  if (filters.state) query.state = filters.state;
  return query;
}

export const useLibrary = create<LibraryState>()((set, get) => {
  const fetchPage = async (api: Api): Promise<void> => {
    const { workspaceId, filters, offset } = get();
    if (!workspaceId) return;
    const asked = get().asked + 1;
    set({ loading: true, error: null, asked });
    try {
      const page = await must(
        api.GET("/api/workspaces/{workspace_id}/journeys", {
          params: { path: { workspace_id: workspaceId }, query: libraryQuery(filters, offset) },
        }),
      );
      if (get().asked === asked) {
        set({ items: page.items, total: page.total, loading: false });
      }
    } catch (error) {
      if (get().asked === asked) set({ loading: false, error: messageOf(error) });
    }
  };
  return {
    workspaces: [],
    workspaceId: null,
    filters: NO_FILTERS,
    offset: 0,
    items: [],
    total: 0,
    loading: false,
    error: null,
    asked: 0,
    loadWorkspaces: async (api) => {
      const workspaces = await must(api.GET("/api/workspaces"));
      set({ workspaces });
      return workspaces;
    },
    open: async (api, workspaceId) => {
      if (workspaceId !== get().workspaceId) {
        set({ workspaceId, offset: 0, items: [], total: 0, filters: NO_FILTERS });
      }
      await fetchPage(api);
    },
    setFilters: async (api, change) => {
      set({ filters: { ...get().filters, ...change }, offset: 0 });
      await fetchPage(api);
    },
    page: async (api, offset) => {
      set({ offset: Math.max(0, offset) });
      await fetchPage(api);
    },
    refresh: fetchPage,
  };
});
