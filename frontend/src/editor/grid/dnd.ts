// Drag and drop on the grid, with Atlassian's pragmatic-drag-and-drop (Apache-2.0): the
// browser's own drag and drop, so nothing re-renders while a card travels except the one drop
// indicator under the pointer (see docs/web.md for why it was chosen over dnd-kit). Each hook
// wires one element; the grid's monitor (useDropMonitor) turns a drop into one move operation.
import { combine } from "@atlaskit/pragmatic-drag-and-drop/combine";
import {
  draggable,
  dropTargetForElements,
  monitorForElements,
} from "@atlaskit/pragmatic-drag-and-drop/element/adapter";
import { attachClosestEdge } from "@atlaskit/pragmatic-drag-and-drop-hitbox/closest-edge/attach-closest-edge";
import { extractClosestEdge } from "@atlaskit/pragmatic-drag-and-drop-hitbox/closest-edge/extract-closest-edge";
import type { Edge } from "@atlaskit/pragmatic-drag-and-drop-hitbox/types";
import { type RefObject, useEffect, useState } from "react";
import type { CardKind, LaneKind } from "../../api/journey";
import { type Cell, fits } from "../structure";

export type Dragged =
  | { type: "card"; id: string; kind: CardKind }
  | { type: "stage" | "lane"; id: string };

/** What a drop lands on: a cell, a card in a cell (before or after it), a stage or a lane head. */
export type DropPlace =
  | { type: "cell"; cell: Cell }
  | { type: "card"; id: string; cell: Cell; edge: "before" | "after" }
  | { type: "stage" | "lane"; id: string; edge: "before" | "after" };

const DRAG = Symbol("journeymap-drag");
const PLACE = Symbol("journeymap-place");

function dragged(data: Record<string | symbol, unknown>): Dragged | null {
  return (data[DRAG] as Dragged | undefined) ?? null;
}

/** Whether a card being dragged may land in a lane of this kind (the server would refuse it). */
function cardFits(data: Record<string | symbol, unknown>, lane: LaneKind): boolean {
  const what = dragged(data);
  return what?.type === "card" && fits(lane, what.kind);
}

const EDGE_SIDE: Record<Edge, "before" | "after"> = {
  top: "before",
  left: "before",
  bottom: "after",
  right: "after",
};

/** A card: draggable, and a drop place before or after it for other cards. Returns the edge a
 * card being dragged over it would go to (for the indicator) and whether it is being dragged. */
export function useCardDnd(
  ref: RefObject<HTMLElement | null>,
  card: { id: string; kind: CardKind },
  cell: Cell,
  laneKind: LaneKind,
  enabled: boolean,
) {
  const { id, kind } = card;
  const [edge, setEdge] = useState<"before" | "after" | null>(null);
  const [dragging, setDragging] = useState(false);
  const { stage, step, lane } = cell;
  useEffect(() => {
    const element = ref.current;
    if (!element || !enabled) return;
    return combine(
      draggable({
        element,
        getInitialData: () => ({ [DRAG]: { type: "card", id, kind } satisfies Dragged }),
        onDragStart: () => setDragging(true),
        onDrop: () => setDragging(false),
      }),
      dropTargetForElements({
        element,
        canDrop: ({ source }) => cardFits(source.data, laneKind),
        getData: ({ input, element: el }) =>
          attachClosestEdge(
            { [PLACE]: { type: "card", id, cell: { stage, step, lane }, edge: "after" } },
            { input, element: el, allowedEdges: ["top", "bottom"] },
          ),
        onDrag: ({ self, source }) => {
          const e = extractClosestEdge(self.data);
          setEdge(dragged(source.data)?.id === id || !e ? null : EDGE_SIDE[e]);
        },
        onDragLeave: () => setEdge(null),
        onDrop: () => setEdge(null),
      }),
    );
  }, [ref, id, kind, stage, step, lane, laneKind, enabled]);
  return { edge, dragging };
}

/** A cell: a card dropped on its empty part goes to its end. True while a card is over it. */
export function useCellDrop(
  ref: RefObject<HTMLElement | null>,
  cell: Cell,
  laneKind: LaneKind,
  enabled: boolean,
) {
  const [over, setOver] = useState(false);
  const { stage, step, lane } = cell;
  useEffect(() => {
    const element = ref.current;
    if (!element || !enabled) return;
    return dropTargetForElements({
      element,
      canDrop: ({ source }) => cardFits(source.data, laneKind),
      getData: () => ({ [PLACE]: { type: "cell", cell: { stage, step, lane } } }),
      onDragEnter: () => setOver(true),
      onDragLeave: () => setOver(false),
      onDrop: () => setOver(false),
    });
  }, [ref, stage, step, lane, laneKind, enabled]);
  return over;
}

/** A stage's or a lane's head: dragged by itself, dropped beside another of its kind. */
export function useHeadDnd(
  ref: RefObject<HTMLElement | null>,
  type: "stage" | "lane",
  id: string,
  enabled: boolean,
) {
  const [edge, setEdge] = useState<"before" | "after" | null>(null);
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || !enabled) return;
    const edges: Edge[] = type === "stage" ? ["left", "right"] : ["top", "bottom"];
    return combine(
      draggable({
        element,
        getInitialData: () => ({ [DRAG]: { type, id } satisfies Dragged }),
        onDragStart: () => setDragging(true),
        onDrop: () => setDragging(false),
      }),
      dropTargetForElements({
        element,
        canDrop: ({ source }) => dragged(source.data)?.type === type,
        getData: ({ input, element: el }) =>
          attachClosestEdge(
            { [PLACE]: { type, id, edge: "after" } },
            { input, element: el, allowedEdges: edges },
          ),
        onDrag: ({ self, source }) => {
          const e = extractClosestEdge(self.data);
          setEdge(dragged(source.data)?.id === id || !e ? null : EDGE_SIDE[e]);
        },
        onDragLeave: () => setEdge(null),
        onDrop: () => setEdge(null),
      }),
    );
  }, [ref, type, id, enabled]);
  return { edge, dragging };
}

/** Every drop on the grid: what was dragged and the innermost place it landed on. */
export function useDropMonitor(onDrop: (what: Dragged, place: DropPlace) => void, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    return monitorForElements({
      onDrop: ({ source, location }) => {
        const what = dragged(source.data);
        const target = location.current.dropTargets[0];
        if (!what || !target) return;
        const place = target.data[PLACE] as DropPlace | undefined;
        if (!place) return;
        if (place.type === "card" || place.type === "stage" || place.type === "lane") {
          const e = extractClosestEdge(target.data);
          onDrop(what, { ...place, edge: e ? EDGE_SIDE[e] : "after" });
        } else onDrop(what, place);
      },
    });
  }, [onDrop, enabled]);
}

/** The card being dragged on this page now (null when none), for presence: the others see
 * which card I am moving while I move it. */
export function useDraggedCard(): string | null {
  const [card, setCard] = useState<string | null>(null);
  useEffect(
    () =>
      monitorForElements({
        onDragStart: ({ source }) => {
          const what = dragged(source.data);
          setCard(what?.type === "card" ? what.id : null);
        },
        onDrop: () => setCard(null),
      }),
    [],
  );
  return card;
}
