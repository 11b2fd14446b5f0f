// A small router over the History API (the pages and their addresses are in routes.ts).
import { create } from "zustand";
import { parseRoute, type Route } from "./routes";

export { paths, type Route } from "./routes";

interface RouterState {
  route: Route;
  path: string;
  navigate: (to: string, replace?: boolean) => void;
}

const here = (): { route: Route; path: string } => ({
  route: parseRoute(window.location.pathname, window.location.search),
  path: window.location.pathname + window.location.search,
});

export const useRouter = create<RouterState>()((set) => {
  window.addEventListener("popstate", () => set(here()));
  return {
    ...here(),
    navigate: (to, replace = false) => {
      if (replace) window.history.replaceState(null, "", to);
      else window.history.pushState(null, "", to);
      set(here());
      window.scrollTo(0, 0);
    },
  };
});
