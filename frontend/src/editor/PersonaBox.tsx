import type { Persona } from "../api/journey";

/** The persona at the top of the map, as on the poster: name, segment and quote, then goals,
 * needs, frustrations and behaviours. */
export function PersonaBox({ persona }: { persona: Persona }) {
  const lists: [string, string[]][] = [
    ["Goals", persona.goals],
    ["Needs", persona.needs],
    ["Frustrations", persona.frustrations],
    ["Behaviours", persona.behaviours],
  ];
  const titleId = `persona-${persona.id}`;
  return (
    <section className="persona" aria-labelledby={titleId}>
      <div className="persona-who">
        <h2 id={titleId}>{persona.name ?? persona.id}</h2>
        {persona.segment && <p className="persona-segment">{persona.segment}</p>}
        {persona.quote && <blockquote className="persona-quote">“{persona.quote}”</blockquote>}
      </div>
      {lists
        .filter(([, items]) => items.length > 0)
        .map(([heading, items]) => (
          <div key={heading} className="persona-list">
            <h3>{heading}</h3>
            <ul>
              {items.map((item, i) => (
                <li key={i}>{item}</li>
              ))}
            </ul>
          </div>
        ))}
    </section>
  );
}
