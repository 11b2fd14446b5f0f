import { draggable, dropTargetForElements, monitorForElements } from "@atlaskit/pragmatic-drag-and-drop/element/adapter";
import { memo, useEffect, useRef, useState } from "react";
import { type BenchCard, COLUMNS, LANES, cards, moved } from "./grid";

const Card = memo(function Card({ card }: { card: BenchCard }) {
  const ref = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState(false);
  useEffect(
    () =>
      draggable({
        element: ref.current!,
        getInitialData: () => ({ id: card.id }),
        onDragStart: () => setDragging(true),
        onDrop: () => setDragging(false),
      }),
    [card.id],
  );
  return (
    <div ref={ref} id={`card-${card.id}`} className={dragging ? "card dragging" : "card"}>
      {card.text}
    </div>
  );
});

function Cell({ cell, children }: { cell: string; children: React.ReactNode }) {
  const ref = useRef<HTMLTableCellElement>(null);
  const [over, setOver] = useState(false);
  useEffect(
    () =>
      dropTargetForElements({
        element: ref.current!,
        getData: () => ({ cell }),
        onDragEnter: () => setOver(true),
        onDragLeave: () => setOver(false),
        onDrop: () => setOver(false),
      }),
    [cell],
  );
  return (
    <td ref={ref} data-cell={cell} className={over ? "over" : undefined}>
      {children}
    </td>
  );
}

export function PragmaticGrid() {
  const [all, setAll] = useState(cards);
  useEffect(
    () =>
      monitorForElements({
        onDrop: ({ source, location }) => {
          const target = location.current.dropTargets[0];
          if (!target) return;
          setAll((now) => moved(now, String(source.data.id), String(target.data.cell)));
        },
      }),
    [],
  );
  return <Table all={all} CellView={Cell} CardView={Card} />;
}

export function Table(props: {
  all: BenchCard[];
  CellView: (p: { cell: string; children: React.ReactNode }) => React.ReactNode;
  CardView: (p: { card: BenchCard }) => React.ReactNode;
}) {
  const { CellView, CardView } = props;
  return (
    <table>
      <tbody>
        {Array.from({ length: LANES }, (_, lane) => (
          <tr key={lane}>
            {Array.from({ length: COLUMNS }, (_, column) => {
              const cell = `${column}:${lane}`;
              return (
                <CellView key={cell} cell={cell}>
                  {props.all
                    .filter((c) => c.cell === cell)
                    .map((c) => (
                      <CardView key={c.id} card={c} />
                    ))}
                </CellView>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
