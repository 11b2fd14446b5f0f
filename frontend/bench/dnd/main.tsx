// A 300-card grid made draggable by one of the two libraries the editor could use, to measure
// them on the same page: `?lib=pragmatic` (@atlaskit/pragmatic-drag-and-drop, native HTML drag
// and drop) or `?lib=dndkit` (@dnd-kit/core, pointer events). React commits are counted by a
// Profiler (window.__commits), so the Python side can tell how much React work a drag causes.
import { Profiler, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { PragmaticGrid } from "./pragmatic";
import { DndKitGrid } from "./dndkit";

declare global {
  interface Window {
    __commits: number;
  }
}
window.__commits = 0;

const lib = new URLSearchParams(location.search).get("lib");
const Grid = lib === "dndkit" ? DndKitGrid : PragmaticGrid;
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Profiler id="grid" onRender={() => (window.__commits += 1)}>
      <Grid />
    </Profiler>
  </StrictMode>,
);
