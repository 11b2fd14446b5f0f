// A small journey document in the shape `GET /api/journeys/{id}` answers (the file format as
// JSON): the online-store template's structure, cut down.
export function storeDocument(): Record<string, unknown> {
  return {
    format_version: 1,
    id: "online-store",
    title: "Buying a gift online",
    status: "researched",
    state: "current",
    owner: "E-commerce team",
    personas: [{ id: "alex", name: "Alex", goals: ["Find a gift"], quote: "No surprises" }],
    stages: [
      { id: "awareness", name: "Awareness" },
      {
        id: "decision",
        name: "Decision",
        steps: [
          { id: "cart", name: "Cart" },
          { id: "delivery", name: "Delivery and fees" },
        ],
      },
      { id: "advocacy", name: "Advocacy" },
    ],
    sections: [
      {
        id: "persona",
        name: "Persona",
        lanes: [
          { id: "actions", name: "Actions", kind: "text" },
          { id: "touchpoints", name: "Touchpoints", kind: "touchpoints" },
          { id: "feelings", name: "Emotion curve", kind: "emotion" },
          { id: "pains", name: "Pain points", kind: "pain_points" },
        ],
      },
      {
        id: "business",
        name: "Business",
        lanes: [{ id: "metrics", name: "Metrics", kind: "metrics" }],
      },
    ],
    cards: [
      { id: "sees-post", kind: "note", stage: "awareness", lane: "actions", text: "Sees a post" },
      {
        id: "ad",
        kind: "touchpoint",
        stage: "awareness",
        lane: "touchpoints",
        text: "Sponsored post",
        channel: "social",
        team: "Marketing",
        events: { names: ["social_ad_click"] },
      },
      {
        id: "cart-page",
        kind: "touchpoint",
        stage: "decision",
        step: "cart",
        lane: "touchpoints",
        text: "Cart page",
        channel: "web",
      },
      {
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
        id: "abandon",
        kind: "metric",
        stage: "decision",
        lane: "metrics",
        text: "Carts abandoned",
        value: 68,
        unit: "%",
        target: 40,
      },
      { id: "tells", kind: "quote", stage: "advocacy", lane: "actions", text: "Lovely", source: "Alex" },
    ],
    emotions: [
      { id: "e1", stage: "awareness", score: 1, note: "Curious" },
      { id: "e2", stage: "decision", step: "delivery", score: -1.5, note: "The fee!" },
      { id: "e3", stage: "decision", step: "cart", card: "cart-page", score: 0.5 },
      { id: "e4", stage: "advocacy", score: 1.5 },
    ],
  };
}
