import { useEffect, useRef, useState } from "react";
import { type Filters as FilterValues, type Sort, useLibrary } from "../state/library";
import { useSession } from "../state/session";

const STATUSES = ["draft", "researched", "live", "retired"] as const;

/** Search (as you type, after a pause) and every filter and sort the library route has. */
export function Filters() {
  const api = useSession((s) => s.api);
  const { filters, setFilters } = useLibrary();
  const [q, setQ] = useState(filters.q);
  const [more, setMore] = useState(
    Boolean(filters.persona || filters.stage || filters.owner || filters.state),
  );

  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const search = (text: string) => {
    setQ(text);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void setFilters(api, { q: text }), 250);
  };

  const text = (key: "persona" | "stage" | "owner", label: string) => (
    <label className="inline-field">
      <span>{label}</span>
      <input
        defaultValue={filters[key]}
        key={`${key}-${filters[key]}`}
        onBlur={(e) => {
          if (e.target.value !== filters[key]) void setFilters(api, { [key]: e.target.value });
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") void setFilters(api, { [key]: e.currentTarget.value });
        }}
      />
    </label>
  );
  const change = (c: Partial<FilterValues>) => void setFilters(api, c);

  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label className="search-field">
        <span className="visually-hidden">Search journeys</span>
        <input
          type="search"
          placeholder="Search titles, cards, lanes, personas…"
          value={q}
          onChange={(e) => search(e.target.value)}
        />
      </label>
      <label className="inline-field">
        <span>Status</span>
        <select
          value={filters.status}
          onChange={(e) => change({ status: e.target.value as FilterValues["status"] })}
        >
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>Sort</span>
        <select value={filters.sort} onChange={(e) => change({ sort: e.target.value as Sort })}>
          <option value="updated">Last changed</option>
          <option value="created">Newest</option>
          <option value="title">Title</option>
        </select>
      </label>
      <button type="button" aria-expanded={more} onClick={() => setMore(!more)}>
        {more ? "Fewer filters" : "More filters"}
      </button>
      {more && (
        <div className="more-filters">
          <label className="inline-field">
            <span>State</span>
            <select
              value={filters.state}
              onChange={(e) => change({ state: e.target.value as FilterValues["state"] })}
            >
              <option value="">Any</option>
              <option value="current">Current</option>
              <option value="future">Future</option>
            </select>
          </label>
          {text("persona", "Persona")}
          {text("stage", "Stage")}
          {text("owner", "Owner")}
        </div>
      )}
    </form>
  );
}
