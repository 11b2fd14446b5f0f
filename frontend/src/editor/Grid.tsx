// The map as a table: stages (and their steps) as columns, sections and their lanes as rows,
// cards in their cells. A real <table>, so that a screen reader names each cell by its lane and
// stage; each card is a button in the tab order. Where the person may edit (useEditor), the
// names carry their actions, cells a "+" and drop places, cards their editing (grid/).
import { memo, useCallback, useRef } from "react";
import "./grid/editing.css";
import { StageFigures } from "../measure/Figures";
import { StageComments } from "../comments/Badges";
import { useJourney } from "../state/journey";
import { CardView } from "./CardView";
import { EmotionRow } from "./EmotionRow";
import { useEditor } from "./EditorContext";
import { EditableCard } from "./grid/EditableCard";
import { type DropPlace, type Dragged, useCellDrop, useDropMonitor, useHeadDnd } from "./grid/dnd";
import { StructureName } from "./grid/StructureName";
import { InlineText } from "./grid/InlineText";
import { addButtonId, cellKey, focusCard, useGridUi } from "./grid/ui";
import { type Column, type GridModel, type LaneRow, type StageHead, columnWords } from "./model";
import { isTextTarget } from "./shortcuts";
import { type Cell, addCard, dropBeside, dropCard, placeWords } from "./structure";

export const COL_W = 240; // the poster's 232 px column and its 8 px gap
export const LABEL_W = 180;

const LANE_KIND: Record<string, string> = {
  text: "text",
  touchpoints: "touchpoints",
  emotion: "emotion",
  pain_points: "pain points",
  opportunities: "opportunities",
  metrics: "metrics",
  quotes: "quotes",
};

export const Grid = memo(function Grid(props: {
  model: GridModel;
  title: string;
  selected: string | null;
  onOpen: (id: string) => void;
}) {
  const { model } = props;
  const width = model.columns.length;
  const editor = useEditor();
  const onDrop = useCallback(
    (what: Dragged, place: DropPlace) => {
      if (!editor) return;
      const doc = useJourney.getState().doc!;
      if (what.type === "card" && (place.type === "cell" || place.type === "card")) {
        const beside = place.type === "card" ? { id: place.id, edge: place.edge } : undefined;
        const op = dropCard(doc, what.id, place.cell, beside);
        if (op && editor.edit(op)) {
          editor.announce(`Moved to ${placeWords(doc, place.cell)}`);
          focusCard(what.id);
        }
      } else if (what.type === place.type && (place.type === "stage" || place.type === "lane")) {
        const op = dropBeside(doc, place.type, what.id, place.id, place.edge);
        if (op) editor.edit(op);
      }
    },
    [editor],
  );
  useDropMonitor(onDrop, editor !== null);
  // `n` adds a card in the cell that holds the focus (on a card or the cell's "+").
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!editor || e.key !== "n" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (isTextTarget(e.target)) return;
    const td = (e.target as HTMLElement).closest<HTMLElement>("td[data-lane]");
    const laneKind = td?.dataset.laneKind;
    if (!td || !laneKind) return;
    e.preventDefault();
    newCard({ stage: td.dataset.stage!, step: td.dataset.step || null, lane: td.dataset.lane! });
  };
  // A new card starts as its text being typed in the cell; Enter adds it, Escape adds nothing.
  const newCard = (cell: Cell) => useGridUi.getState().draft(cellKey(cell));
  return (
    <table
      className={editor ? "map-grid editing" : "map-grid"}
      aria-label={`${props.title}: stages by lanes`}
      onKeyDown={onKeyDown}
    >
      <colgroup>
        <col className="label-col" />
        {model.columns.map((c) => (
          <col key={c.index} className="stage-col" />
        ))}
      </colgroup>
      <thead>
        <tr className="stage-row">
          <td className="corner" />
          {model.stages.map((s) =>
            s.span === 0 ? null : (
              <StageTh key={s.stage.id} head={s}>
                {(s.pains > 0 || s.opportunities > 0) && (
                  <span className="stage-markers">
                    {s.pains > 0 && <span>▲ {s.pains} pain{s.pains === 1 ? "" : "s"}</span>}
                    {s.opportunities > 0 && (
                      <span>
                        ◆ {s.opportunities} opportunit{s.opportunities === 1 ? "y" : "ies"}
                      </span>
                    )}
                  </span>
                )}
              </StageTh>
            ),
          )}
        </tr>
        {model.hasSteps && (
          <tr className="step-row">
            <td className="corner" />
            {model.columns.map((c) =>
              c.hasHeader ? (
                <th key={c.index} scope="col" className="step-head">
                  {c.stepId ? (
                    <StructureName
                      kind="step"
                      id={c.stepId}
                      name={c.label}
                      parent={c.stage.id}
                      className="step-name"
                    />
                  ) : (
                    c.label
                  )}
                </th>
              ) : (
                <td key={c.index} className="step-blank" />
              ),
            )}
          </tr>
        )}
      </thead>
      {model.curveRowFirst && (
        <tbody>
          <EmotionRow model={model} label="Emotion curve" />
        </tbody>
      )}
      {model.sections.map(({ section, lanes }) => (
        <tbody key={section.id} className="section">
          <tr className="section-row">
            <th scope="rowgroup" colSpan={width + 1}>
              <StructureName kind="section" id={section.id} name={section.name} className="section-name" />
            </th>
          </tr>
          {lanes.map((row, i) =>
            row.isCurve ? (
              <EmotionRow key={row.lane.id} model={model} label={row.lane.name} lane={row} />
            ) : (
              <LaneTr
                key={row.lane.id}
                row={row}
                odd={i % 2 === 1}
                selected={props.selected}
                onOpen={props.onOpen}
                columns={model.columns}
                onAdd={newCard}
              />
            ),
          )}
        </tbody>
      ))}
    </table>
  );
});

/** A stage's head; on an editable map it is dragged to reorder the stages. */
function StageTh(props: { head: StageHead; children: React.ReactNode }) {
  const { head } = props;
  const editor = useEditor();
  const ref = useRef<HTMLTableCellElement>(null);
  const renaming = useGridUi((s) => s.renaming === head.stage.id);
  const { edge, dragging } = useHeadDnd(ref, "stage", head.stage.id, editor !== null && !renaming);
  const classes = ["stage-head", edge ? `drop-${edge}` : "", dragging ? "dragging" : ""];
  return (
    <th ref={ref} scope="colgroup" colSpan={head.span} className={classes.join(" ")}>
      <StructureName kind="stage" id={head.stage.id} name={head.stage.name} className="stage-name" />
      <StageComments stageId={head.stage.id} name={head.stage.name} />
      {props.children}
      <StageFigures stageId={head.stage.id} />
    </th>
  );
}

/** A lane's name with its actions, dragged by itself to another place (any lane's, the emotion
 * curve's too). */
export function LaneHead({ lane, section }: { lane: LaneRow["lane"]; section: string }) {
  const editor = useEditor();
  const head = useRef<HTMLTableCellElement>(null);
  // Not while its name is typed: a drag would start where one selects text.
  const renaming = useGridUi((s) => s.renaming === lane.id);
  const { edge, dragging } = useHeadDnd(head, "lane", lane.id, editor !== null && !renaming);
  const headClasses = ["lane-head", edge ? `drop-${edge}` : "", dragging ? "dragging" : ""];
  return (
    <th ref={head} scope="row" className={headClasses.join(" ")}>
      <StructureName
        kind="lane"
        id={lane.id}
        name={lane.name}
        parent={section}
        laneKind={lane.kind}
        className="lane-name"
      />
      <span className="lane-kind">{LANE_KIND[lane.kind] ?? lane.kind}</span>
    </th>
  );
}

function LaneTr(props: {
  row: LaneRow;
  odd: boolean;
  selected: string | null;
  onOpen: (id: string) => void;
  columns: Column[];
  onAdd: (cell: Cell) => void;
}) {
  const { row } = props;
  const editor = useEditor();
  const Card = editor ? EditableCard : CardView;
  return (
    <tr className={props.odd ? "lane-row odd" : "lane-row"} data-lane={row.lane.id}>
      <LaneHead lane={row.lane} section={row.section.id} />
      {row.cells.map((cards, i) => {
        const column = props.columns[i]!;
        const cell = { stage: column.stage.id, step: column.stepId, lane: row.lane.id };
        return (
          <CellTd key={i} cell={cell} laneKind={row.lane.kind} onAdd={props.onAdd} label={`${row.lane.name}, ${columnWords(column)}`}>
            {cards.length > 0 && (
              <ul className="cell-cards">
                {cards.map((card) => (
                  <li key={card.id}>
                    <Card card={card} selected={props.selected === card.id} onOpen={props.onOpen} />
                  </li>
                ))}
              </ul>
            )}
          </CellTd>
        );
      })}
    </tr>
  );
}

/** A cell; on an editable map, a drop place for cards and a "+" to add one. */
function CellTd(props: {
  cell: Cell;
  laneKind: LaneRow["lane"]["kind"];
  label: string;
  onAdd: (cell: Cell) => void;
  children: React.ReactNode;
}) {
  const editor = useEditor();
  const ref = useRef<HTMLTableCellElement>(null);
  const over = useCellDrop(ref, props.cell, props.laneKind, editor !== null);
  const drafting = useGridUi((s) => s.drafting === cellKey(props.cell));
  if (!editor) return <td className="cell">{props.children}</td>;
  const done = (text: string | null) => {
    useGridUi.getState().draft(null);
    if (text === null) return;
    const op = addCard(useJourney.getState().doc!, props.cell, props.laneKind, text);
    if (editor.edit(op)) focusCard(op.id);
  };
  return (
    <td
      ref={ref}
      className={over ? "cell drop-over" : "cell"}
      data-stage={props.cell.stage}
      data-step={props.cell.step ?? ""}
      data-lane={props.cell.lane}
      data-lane-kind={props.laneKind}
    >
      {props.children}
      {drafting && (
        <div className="card draft">
          <InlineText multiline value="" label={`New card: ${props.label}`} onDone={done} />
        </div>
      )}
      <button
        type="button"
        className="cell-add"
        id={addButtonId(props.cell)}
        aria-label={`Add a card: ${props.label}`}
        aria-keyshortcuts="n"
        onClick={() => props.onAdd(props.cell)}
      >
        +
      </button>
    </td>
  );
}
