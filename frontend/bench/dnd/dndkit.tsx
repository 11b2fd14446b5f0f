import { DndContext, PointerSensor, useDraggable, useDroppable, useSensor, useSensors } from "@dnd-kit/core";
import { memo, useState } from "react";
import { type BenchCard, cards, moved } from "./grid";
import { Table } from "./pragmatic";

// As dnd-kit's guide writes it: the dragged card follows the pointer by a transform.
const Card = memo(function Card({ card }: { card: BenchCard }) {
  const { setNodeRef, listeners, attributes, transform, isDragging } = useDraggable({ id: card.id });
  return (
    <div
      ref={setNodeRef}
      id={`card-${card.id}`}
      className={isDragging ? "card dragging" : "card"}
      style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
      {...listeners}
      {...attributes}
    >
      {card.text}
    </div>
  );
});

function Cell({ cell, children }: { cell: string; children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: cell });
  return (
    <td ref={setNodeRef} data-cell={cell} className={isOver ? "over" : undefined}>
      {children}
    </td>
  );
}

export function DndKitGrid() {
  const [all, setAll] = useState(cards);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));
  return (
    <DndContext
      sensors={sensors}
      onDragEnd={({ active, over }) => {
        if (over) setAll((now) => moved(now, String(active.id), String(over.id)));
      }}
    >
      <Table all={all} CellView={Cell} CardView={Card} />
    </DndContext>
  );
}
