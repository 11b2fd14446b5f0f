// The paths: a Sankey of the moves between touchpoints (bands as wide as their customers,
// loops under the nodes for moves back), the same moves as a table (counts, share of the moves
// out, median time between), and the top paths. The picture is for the eye; the tables say it.
import type { JourneyDoc } from "../api/journey";
import type { GridModel } from "../editor/model";
import { type EvidenceSet, minCount } from "./evidence";
import { NODE_W, placesOf, sankeyLayout } from "./sankey";
import { pathRows } from "./voice";

const STEP = 150; // between columns: room for a name
const HEIGHT = 320;
const LABEL = 22; // characters of a name shown (the whole name is in the table and the tooltip)

export function PathsPanel(props: { model: GridModel; doc: JourneyDoc; ev: EvidenceSet; names: Map<string, string> }) {
  const { model, doc, ev, names } = props;
  const transitions = ev.transitions ?? [];
  const places = placesOf(model.columns, doc.cards);
  const sankey = sankeyLayout(transitions, places, minCount(ev), { step: STEP, height: HEIGHT });
  const name = (id: string) => names.get(id) ?? id;
  const paths = pathRows(ev, names);
  return (
    <div className="paths-panel">
      {transitions.length > 0 && (
        <svg
          className="sankey"
          width={sankey.width + 170}
          height={sankey.height}
          viewBox={`-4 0 ${sankey.width + 170} ${sankey.height}`}
          aria-hidden="true"
          focusable="false"
        >
          {sankey.links.map((l) => (
            <path
              key={`${l.source}>${l.target}`}
              d={l.d}
              className={`sankey-link${l.back ? " back" : ""}${l.hidden ? " hidden-count" : ""}`}
              strokeWidth={Math.max(l.width, 1)}
              data-source={l.source}
              data-target={l.target}
              data-count={l.count}
            >
              <title>
                {`${name(l.source)} → ${name(l.target)}: ${l.count} customers${l.gap ? `, median ${l.gap}` : ""}`}
              </title>
            </path>
          ))}
          {sankey.nodes.map((n) => (
            <g key={n.id} className="sankey-node" data-touchpoint={n.id}>
              <title>{`${n.name}: ${n.total.toLocaleString("en-US")} customers`}</title>
              <rect x={n.x} y={n.y} width={n.w} height={Math.max(n.h, 2)} rx={2} />
              <text x={n.x + NODE_W + 4} y={n.y + Math.max(n.h, 2) / 2 + 4}>
                {n.name.length > LABEL ? `${n.name.slice(0, LABEL - 1)}…` : n.name}
              </text>
            </g>
          ))}
        </svg>
      )}
      <div className="paths-tables">
        <table className="measure-table transitions-table">
          <caption>Moves between touchpoints</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Customers</th>
              <th scope="col">Share of moves out</th>
              <th scope="col">Median time between</th>
            </tr>
          </thead>
          <tbody>
            {sankey.links.map((l) => (
              <tr key={`${l.source}>${l.target}`} data-source={l.source} data-target={l.target}>
                <td>{name(l.source)}</td>
                <td>{name(l.target)}</td>
                <td className="num count">{l.count}</td>
                <td className="num">{l.share ?? "–"}</td>
                <td className="num gap">{l.gap ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="top-paths">
          <h3 id="top-paths-title">Top paths</h3>
          {paths.length === 0 ? (
            <p className="muted">No paths measured.</p>
          ) : (
            <ol aria-labelledby="top-paths-title">
              {paths.map((p, i) => (
                <li key={i} className="top-path">
                  <span className="path-steps">{p.names.join(" → ")}</span>{" "}
                  <span className="path-count">{p.customers}</span>
                  <span className="muted"> customers</span>
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
    </div>
  );
}
