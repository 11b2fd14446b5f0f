// The funnel: each stage's customers as a bar, conversion from the stage before and what was
// lost there (everyone's, or one group's of the split; or the two periods side by side), then
// where the leavers left. Tables, so a screen reader reads every figure with its stage.
import type { JourneyDoc } from "../api/journey";
import type { EvidenceSet, Lens } from "./evidence";
import { funnelRows, leaveRows, periodRows } from "./funnel";

function Bar({ share, className = "" }: { share: number; className?: string }) {
  return (
    <span className="bar-track" aria-hidden="true">
      <span className={`bar ${className}`} style={{ width: `${Math.round(Math.min(1, share) * 100)}%` }} />
    </span>
  );
}

export function FunnelPanel({ doc, ev, lens }: { doc: JourneyDoc; ev: EvidenceSet; lens: Lens }) {
  const stages = doc.stages.map((s) => ({ id: s.id, name: s.name }));
  const touchpoints = doc.cards.filter((c) => c.kind === "touchpoint").map((c) => ({ id: c.id, name: c.text }));
  const leaves = leaveRows(ev, touchpoints);
  const who = lens.kind === "split" ? `${ev.split?.by ?? "group"} ${lens.group}` : "all customers";
  return (
    <div className="funnel-panel">
      {lens.kind === "periods" ? (
        <table className="measure-table funnel-periods">
          <caption>Stage funnel: two periods (customers who entered the first stage in each)</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Customers, first period</th>
              <th scope="col">Customers, second period</th>
              <th scope="col">Conversion (change)</th>
              <th scope="col">Two-sided test</th>
            </tr>
          </thead>
          <tbody>
            {periodRows(ev, stages).map((r) => (
              <tr key={r.stage} data-stage={r.stage}>
                <th scope="row">{r.name}</th>
                <td className="num before">
                  <Bar share={r.beforeBar} className="before" /> {r.before}
                </td>
                <td className="num after">
                  <Bar share={r.afterBar} /> {r.after}
                </td>
                <td className="rates">{r.rates ?? "–"}</td>
                <td>{r.p ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <table className="measure-table funnel-table">
          <caption>Stage funnel: {who}</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Customers</th>
              <th scope="col">Conversion from previous</th>
              <th scope="col">Dropped off</th>
              <th scope="col">Median time</th>
            </tr>
          </thead>
          <tbody>
            {funnelRows(ev, stages, lens).map((r) => (
              <tr key={r.stage} data-stage={r.stage}>
                <th scope="row">{r.name}</th>
                <td className="num customers">
                  <Bar share={r.bar} /> <span className="value">{r.customers}</span>
                </td>
                <td className="num conversion">{r.conversion ?? "–"}</td>
                <td className="num lost">
                  {r.lost && <Bar share={r.lostBar} className="lost" />} {r.lost ?? "–"}
                </td>
                <td className="num">{r.median ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {lens.kind === "all" && leaves.length > 0 && (
        <table className="measure-table leave-table">
          <caption>Where the leavers left (share of all who left)</caption>
          <thead>
            <tr>
              <th scope="col">Touchpoint</th>
              <th scope="col">Share of leavers</th>
            </tr>
          </thead>
          <tbody>
            {leaves.map((r) => (
              <tr key={r.id} data-touchpoint={r.id}>
                <th scope="row">{r.name}</th>
                <td className="num">
                  <Bar share={r.bar} className="lost" /> <span className="value">{r.share}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {lens.kind === "split" && <p className="muted">Reach and drop-off by touchpoint are measured for all customers only.</p>}
    </div>
  );
}
