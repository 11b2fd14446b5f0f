// The heatmap: touchpoints by segment (or week), coloured on the emotion scale as on the
// poster; a real table, each cell read with its touchpoint and column.
import { scoreColour } from "../editor/poster";
import { type EvidenceSet, minCount } from "./evidence";
import { heatCell, heatTitle, heatmapOf, inkOn } from "./voice";

export function HeatmapPanel({ ev, names }: { ev: EvidenceSet; names: Map<string, string> }) {
  const heat = heatmapOf(ev);
  if (!heat) return <p className="muted">No heatmap measured: journeymap painpoints --heatmap-by week --save adds one.</p>;
  return (
    <table className="measure-table heatmap-table">
      <caption>Heatmap: {heatTitle(heat)}</caption>
      <thead>
        <tr>
          <th scope="col">Touchpoint</th>
          {heat.columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {heat.rows.map((row, i) => (
          <tr key={row}>
            <th scope="row">{names.get(row) ?? row}</th>
            {heat.columns.map((c, j) => {
              const cell = heatCell(heat, i, j, minCount(ev));
              return (
                <td
                  key={c}
                  className={cell.hidden ? "heat-cell hidden-count" : "heat-cell"}
                  style={
                    cell.shade == null
                      ? undefined
                      : { background: scoreColour(cell.shade), color: inkOn(scoreColour(cell.shade)) }
                  }
                  title={cell.n == null ? undefined : `n=${cell.n}`}
                >
                  {cell.text}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
