import type { JourneyDoc } from "../api/journey";

// What the server keeps on every item: its place among its siblings (the keys npm
// `fractional-indexing` makes: a0, a1, ...) and the revision it last changed in.
function at(index: number, rev = 1): { order_key: string; updated_rev: number } {
  return { order_key: `a${index}`, updated_rev: rev };
}

// A card's fields that have defaults, which the server always sends.
function card(): { confidence: "assumed"; evidence: string[]; tags: string[] } {
  return { confidence: "assumed", evidence: [], tags: [] };
}

// A small journey in the shape `GET /api/journeys/{id}` answers (schema `Journey`, typed by the
// generated description, so `tsc` fails when the wire changes under it): the online-store
// template's structure, cut down. Null fields are left out, as the server leaves them out.
const STORE: JourneyDoc = {
  id: "online-store",
  title: "Buying a gift online",
  status: "researched",
  state: "current",
  owner: "E-commerce team",
  tags: [],
  updated_rev: 2,
  personas: [
    {
      ...at(0),
      id: "alex",
      name: "Alex",
      goals: ["Find a gift"],
      needs: [],
      frustrations: [],
      behaviours: [],
      data_sources: [],
      quote: "No surprises",
    },
  ],
  channels: [],
  stages: [
    { ...at(0), id: "awareness", name: "Awareness", steps: [] },
    {
      ...at(1),
      id: "decision",
      name: "Decision",
      steps: [
        { ...at(0), id: "cart", name: "Cart" },
        { ...at(1, 2), id: "delivery", name: "Delivery and fees" },
      ],
    },
    { ...at(2), id: "advocacy", name: "Advocacy", steps: [] },
  ],
  sections: [
    {
      ...at(0),
      id: "persona",
      name: "Persona",
      lanes: [
        { ...at(0), id: "actions", name: "Actions", kind: "text", service_contact: false },
        { ...at(1), id: "touchpoints", name: "Touchpoints", kind: "touchpoints", service_contact: false },
        { ...at(2), id: "feelings", name: "Emotion curve", kind: "emotion", service_contact: false },
        { ...at(3), id: "pains", name: "Pain points", kind: "pain_points", service_contact: false },
      ],
    },
    {
      ...at(1),
      id: "business",
      name: "Business",
      lanes: [{ ...at(0), id: "metrics", name: "Metrics", kind: "metrics", service_contact: false }],
    },
  ],
  cards: [
    { ...card(), ...at(0), id: "sees-post", kind: "note", stage: "awareness", lane: "actions", text: "Sees a post" },
    {
      ...card(),
      ...at(0),
      id: "ad",
      kind: "touchpoint",
      stage: "awareness",
      lane: "touchpoints",
      text: "Sponsored post",
      channel: "social",
      team: "Marketing",
      service_contact: false,
      events: { names: ["social_ad_click"], patterns: [], where: {}, first_only: false },
    },
    {
      ...card(),
      ...at(0),
      id: "cart-page",
      kind: "touchpoint",
      stage: "decision",
      step: "cart",
      lane: "touchpoints",
      text: "Cart page",
      channel: "web",
      service_contact: false,
    },
    {
      ...card(),
      ...at(0, 2),
      id: "fee-late",
      kind: "pain_point",
      stage: "decision",
      step: "delivery",
      lane: "pains",
      text: "Shipping fee shown late",
      severity: 5,
      frequency: "frequent",
      confidence: "observed",
    },
    {
      ...card(),
      ...at(0),
      id: "abandon",
      kind: "metric",
      stage: "decision",
      lane: "metrics",
      text: "Carts abandoned",
      value: 68,
      unit: "%",
      target: 40,
    },
    { ...card(), ...at(1), id: "tells", kind: "quote", stage: "advocacy", lane: "actions", text: "Lovely", source: "Alex" },
  ],
  emotions: [
    { ...at(0), id: "e1", stage: "awareness", score: 1, note: "Curious", confidence: "assumed" },
    { ...at(1), id: "e2", stage: "decision", step: "delivery", score: -1.5, note: "The fee!", confidence: "assumed" },
    { ...at(2), id: "e3", stage: "decision", step: "cart", card: "cart-page", score: 0.5, confidence: "assumed" },
    { ...at(3), id: "e4", stage: "advocacy", score: 1.5, confidence: "assumed" },
  ],
};

/** A fresh copy of the store journey, as plain data a test may change. */
export function storeDocument(): Record<string, unknown> {
  return structuredClone(STORE);
}
