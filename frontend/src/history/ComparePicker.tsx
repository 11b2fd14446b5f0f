// Compare any two: a revision or named version as "from" and another as "to".
import { useId } from "react";
import type { Choice, Pair } from "./revisions";

export function ComparePicker(props: {
  choices: Choice[];
  pair: Pair;
  onPick: (pair: Pair) => void;
}) {
  const id = useId();
  const { pair } = props;
  return (
    <section className="history-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Compare</h2>
      <div className="compare-picker">
        <label htmlFor={`${id}-from`}>From</label>
        <select
          id={`${id}-from`}
          value={pair.from ?? ""}
          onChange={(e) =>
            props.onPick({ from: e.target.value ? Number(e.target.value) : null, to: pair.to })
          }
        >
          <option value="">Nothing (as created)</option>
          {props.choices.map((c) => (
            <option key={c.rev} value={c.rev}>
              {c.label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-to`}>To</label>
        <select
          id={`${id}-to`}
          value={pair.to}
          onChange={(e) => props.onPick({ from: pair.from, to: Number(e.target.value) })}
        >
          {props.choices.map((c) => (
            <option key={c.rev} value={c.rev}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
    </section>
  );
}
