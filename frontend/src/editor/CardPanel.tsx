// A card's side panel: every field of its kind, as read-only rows for a viewer, as form
// controls (panel/CardEditor.tsx) for someone who may edit.
import type { ReactNode } from "react";
import type { Card, EventBinding, JourneyDoc } from "../api/journey";
import { CardComments } from "../comments/CommentsPanel";
import { useEditor } from "./EditorContext";
import { CardEditor } from "./panel/CardEditor";
import { SidePanel } from "./SidePanel";
import { CONFIDENCE_LABEL, KIND_LABEL, numberText, statusText } from "./poster";

type Row = [string, ReactNode];

function events(binding: EventBinding): string {
  const parts = [...(binding.names ?? []), ...(binding.patterns ?? [])];
  const extra: string[] = [];
  if (binding.channel) extra.push(`on ${binding.channel}`);
  for (const [k, v] of Object.entries(binding.where ?? {})) extra.push(`${k} = ${v}`);
  if (binding.first_only) extra.push("first time only");
  return [parts.join(", "), ...extra].join("; ");
}

function isLink(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

function kindRows(card: Card, doc: JourneyDoc, onOpen: (id: string) => void): Row[] {
  switch (card.kind) {
    case "touchpoint":
      return [
        ["Channel", card.channel],
        ["Digital or physical", card.mode],
        ["Owning team", card.team],
        ["Events", card.events ? events(card.events) : null],
      ];
    case "pain_point":
      return [
        ["Severity", `${card.severity} of 5`],
        ["Frequency", card.frequency],
      ];
    case "opportunity": {
      const pains = card.pain_points.map((id) => doc.cards.find((c) => c.id === id) ?? id);
      return [
        ["Owner", card.owner],
        ["Status", statusText(card.status)],
        ["Value", card.value == null ? null : `${card.value} of 5`],
        ["Effort", card.effort == null ? null : `${card.effort} of 5`],
        ["Expected impact", card.impact],
        [
          "Eases",
          pains.length ? (
            <ul>
              {pains.map((p) =>
                typeof p === "string" ? (
                  <li key={p}>{p}</li>
                ) : (
                  <li key={p.id}>
                    <button type="button" className="link" onClick={() => onOpen(p.id)}>
                      {p.text}
                    </button>
                  </li>
                ),
              )}
            </ul>
          ) : null,
        ],
      ];
    }
    case "quote":
      return [
        ["Said by", card.source],
        ["Image", card.image],
      ];
    case "metric":
      return [
        ["Value", card.value == null ? null : numberText(card.value)],
        ["Unit", card.unit],
        ["Target", card.target == null ? null : numberText(card.target)],
      ];
    case "note":
      return [];
  }
}

export function CardPanel(props: {
  card: Card;
  doc: JourneyDoc;
  onClose: () => void;
  onOpen: (id: string) => void;
}) {
  const { card, doc } = props;
  const editor = useEditor();

  const stage = doc.stages.find((s) => s.id === card.stage);
  const step = stage?.steps.find((s) => s.id === card.step);
  const lane = doc.sections.flatMap((s) => s.lanes).find((l) => l.id === card.lane);
  const where = step ? `${stage?.name ?? card.stage} · ${step.name}` : (stage?.name ?? card.stage);
  const rows: Row[] = [
    ["Kind", KIND_LABEL[card.kind]],
    ["Text", card.text],
    ["Details", card.details],
    ["Stage", where],
    ["Lane", lane?.name ?? card.lane],
    ["Confidence", CONFIDENCE_LABEL[card.confidence]],
    ...kindRows(card, doc, props.onOpen),
    [
      "Evidence",
      card.evidence.length ? (
        <ul>
          {card.evidence.map((e, i) => (
            <li key={i}>
              {isLink(e) ? (
                <a href={e} target="_blank" rel="noopener noreferrer">
                  {e}
                </a>
              ) : (
                e
              )}
            </li>
          ))}
        </ul>
      ) : null,
    ],
    ["Tags", card.tags.length ? card.tags.join(", ") : null],
    ["Id", <code key="id">{card.id}</code>],
  ];
  return (
    <SidePanel
      id="card-panel"
      title={KIND_LABEL[card.kind]}
      closeLabel="Close the card's details"
      onClose={props.onClose}
      focusKey={card.id}
    >
      {editor ? (
        <>
          <p className="panel-where">
            {where} · {lane?.name ?? card.lane}
          </p>
          <CardEditor key={card.id} card={card} doc={doc} onDeleted={props.onClose} />
        </>
      ) : (
        <dl className="fields">
          {rows
            .filter(([, value]) => value !== null && value !== undefined && value !== "")
            .map(([label, value]) => (
              <div key={label} className="field">
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
        </dl>
      )}
      <CardComments cardId={card.id} />
    </SidePanel>
  );
}
