// The map as a table: stages (and their steps) as columns, sections and their lanes as rows,
// cards in their cells. A real <table>, so that a screen reader names each cell by its lane and
// stage; each card is a button in the tab order.
import { memo } from "react";
import { EmotionRow } from "./EmotionRow";
import type { GridModel, LaneRow } from "./model";
import { CardView } from "./CardView";

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
  return (
    <table className="map-grid" aria-label={`${props.title}: stages by lanes`}>
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
              <th key={s.stage.id} scope="colgroup" colSpan={s.span} className="stage-head">
                <span className="stage-name">{s.stage.name}</span>
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
              </th>
            ),
          )}
        </tr>
        {model.hasSteps && (
          <tr className="step-row">
            <td className="corner" />
            {model.columns.map((c) =>
              c.hasHeader ? (
                <th key={c.index} scope="col" className="step-head">
                  {c.label}
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
              {section.name}
            </th>
          </tr>
          {lanes.map((row, i) =>
            row.isCurve ? (
              <EmotionRow key={row.lane.id} model={model} label={row.lane.name} />
            ) : (
              <LaneTr
                key={row.lane.id}
                row={row}
                odd={i % 2 === 1}
                selected={props.selected}
                onOpen={props.onOpen}
              />
            ),
          )}
        </tbody>
      ))}
    </table>
  );
});

function LaneTr(props: {
  row: LaneRow;
  odd: boolean;
  selected: string | null;
  onOpen: (id: string) => void;
}) {
  const { row } = props;
  return (
    <tr className={props.odd ? "lane-row odd" : "lane-row"} data-lane={row.lane.id}>
      <th scope="row" className="lane-head">
        <span className="lane-name">{row.lane.name}</span>
        <span className="lane-kind">{LANE_KIND[row.lane.kind] ?? row.lane.kind}</span>
      </th>
      {row.cells.map((cards, i) => (
        <td key={i} className="cell">
          {cards.length > 0 && (
            <ul className="cell-cards">
              {cards.map((card) => (
                <li key={card.id}>
                  <CardView
                    card={card}
                    selected={props.selected === card.id}
                    onOpen={props.onOpen}
                  />
                </li>
              ))}
            </ul>
          )}
        </td>
      ))}
    </tr>
  );
}
