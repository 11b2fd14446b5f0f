// What the server fills in for the fields an added item leaves out (domain/cards.py and
// domain/model.py; tests/web/test_frontend_rules.py keeps this table equal to them). An add
// made elsewhere, say a script's REST call that names only a card's text, reaches an open map
// over the live socket as it was sent, and the map reads these fields on every card.

type Fields = Readonly<Record<string, unknown>>;

// prettier-ignore
export const ADD_DEFAULTS: Readonly<Record<string, Fields>> = {
  "card:note": { "confidence": "assumed", "evidence": [], "tags": [] },
  "card:touchpoint": { "confidence": "assumed", "evidence": [], "tags": [], "service_contact": false },
  "card:pain_point": { "confidence": "assumed", "evidence": [], "tags": [], "severity": 3 },
  "card:opportunity": { "confidence": "assumed", "evidence": [], "tags": [], "status": "idea", "pain_points": [] },
  "card:quote": { "confidence": "assumed", "evidence": [], "tags": [] },
  "card:metric": { "confidence": "assumed", "evidence": [], "tags": [] },
  "persona": { "goals": [], "needs": [], "frustrations": [], "behaviours": [], "data_sources": [] },
  "channel": { "mode": "digital", "aliases": [] },
  "stage": {},
  "step": {},
  "section": {},
  "lane": { "kind": "text", "service_contact": false },
  "emotion": { "confidence": "assumed" },
};

/** An added item's fields with the server's defaults under what the add named (lists are
 * fresh copies, never shared between items). */
export function withDefaults(entity: string, fields: Fields): Record<string, unknown> {
  const key = entity === "card" ? `card:${String(fields.kind)}` : entity;
  const filled: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ADD_DEFAULTS[key] ?? {})) {
    filled[name] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return { ...filled, ...fields };
}
