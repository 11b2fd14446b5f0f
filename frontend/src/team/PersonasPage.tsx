// The workspace's persona library, to browse: each persona the team agreed on, and the journeys
// that have it. A persona is added to a journey from that journey's details panel (editors).
import { useEffect } from "react";
import { Link } from "../app/Link";
import { paths } from "../app/router";
import { Shell } from "../app/Shell";
import { usePersonaLibrary } from "./personaLibrary";
import { personaTitle } from "./rules";
import "./team.css";

const LISTS: [string, string][] = [
  ["goals", "Goals"],
  ["needs", "Needs"],
  ["frustrations", "Frustrations"],
  ["behaviours", "Behaviours"],
];

export function PersonasPage({ workspaceId }: { workspaceId: string }) {
  const { personas, error } = usePersonaLibrary(workspaceId);
  useEffect(() => {
    document.title = "Persona library · journeymap";
  }, []);
  return (
    <Shell>
      <p>
        <Link href={paths.library(workspaceId)} className="back">
          ← Journeys
        </Link>
      </p>
      <h1>Persona library</h1>
      <p className="muted">
        The personas your team agreed on. To put one on a map, open the journey, then{" "}
        <strong>Journey details → Personas → From the persona library</strong> (editors). The map keeps its own copy.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {personas === null && !error && <p className="muted">Loading…</p>}
      {personas?.length === 0 && <p>The library has no personas yet: editors add them through the API or the CLI.</p>}
      <div className="persona-grid">
        {personas?.map((p) => {
          const { name, line } = personaTitle(p.id, p.value);
          const quote = typeof p.value.quote === "string" ? p.value.quote : null;
          return (
            <article key={p.id} className="persona-card" aria-labelledby={`lp-${p.id}`}>
              <h2 id={`lp-${p.id}`}>{name}</h2>
              {line && <p className="muted">{line}</p>}
              {quote && <blockquote>“{quote}”</blockquote>}
              {LISTS.map(([key, label]) => {
                const items = Array.isArray(p.value[key]) ? (p.value[key] as unknown[]).map(String) : [];
                return items.length ? (
                  <div key={key}>
                    <h3>{label}</h3>
                    <ul>
                      {items.map((item, i) => (
                        <li key={i}>{item}</li>
                      ))}
                    </ul>
                  </div>
                ) : null;
              })}
              <p className="small">
                {p.used_in.length === 0
                  ? "On no journey yet."
                  : "On: "}
                {p.used_in.map((j, i) => (
                  <span key={j.id}>
                    {i > 0 && ", "}
                    <Link href={paths.journey(j.id)}>{j.title}</Link>
                  </span>
                ))}
              </p>
            </article>
          );
        })}
      </div>
    </Shell>
  );
}
