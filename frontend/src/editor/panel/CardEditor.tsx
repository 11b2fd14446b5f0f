// A card's side panel for someone who may edit: every field of its kind as a form control
// (fields.ts says which, and what each change sends), and "Delete card" (undo brings it back).
import type { Card, JourneyDoc } from "../../api/journey";
import { useEditor } from "../EditorContext";
import { deleteCard } from "../grid/deleteCard";
import { KIND_LABEL } from "../poster";
import {
  boundToEvents,
  channelMode,
  channelOptions,
  painPointChoices,
  touchpointChoices,
} from "./choices";
import {
  cardFields,
  cardValue,
  modeChange,
  painPointsChange,
} from "./fields";
import { CheckboxesField, EntityRefusal, PanelField } from "./PanelField";
import "./panel.css";

export function CardEditor(props: { card: Card; doc: JourneyDoc; onDeleted: () => void }) {
  const { card, doc } = props;
  const editor = useEditor()!;
  const subject = { entity: "card" as const, id: card.id };
  const remove = () => {
    if (deleteCard(editor, doc, card)) props.onDeleted();
  };

  return (
    <div className="panel-form">
      {cardFields(card.kind).map((spec) => {
        const value = cardValue(card, spec.field);
        if (card.kind === "touchpoint" && spec.field === "channel") {
          return (
            <PanelField
              key={spec.field}
              subject={subject}
              spec={spec}
              value={value}
              options={channelOptions(doc, card.channel, boundToEvents(card))}
            />
          );
        }
        if (card.kind === "touchpoint" && spec.field === "mode") {
          return (
            <PanelField
              key={spec.field}
              subject={subject}
              spec={spec}
              value={value}
              shown={card.mode ?? channelMode(doc, card.channel)}
              change={(chosen) => modeChange(card, doc, chosen)}
            />
          );
        }
        if (card.kind === "quote" && spec.field === "about") {
          return (
            <PanelField
              key={spec.field}
              subject={subject}
              spec={spec}
              value={value}
              options={touchpointChoices(doc)}
            />
          );
        }
        if (card.kind === "opportunity" && spec.field === "pain_points") {
          return (
            <CheckboxesField
              key={spec.field}
              subject={subject}
              field={spec.field}
              label={spec.label}
              choices={painPointChoices(doc)}
              checked={card.pain_points}
              change={(pain, on) => painPointsChange(card, pain, on)}
              empty="This journey has no pain points yet."
            />
          );
        }
        return <PanelField key={spec.field} subject={subject} spec={spec} value={value} />;
      })}
      <div className="panel-actions">
        <button type="button" className="danger" onClick={remove}>
          Delete card
        </button>
        <span className="pf-help">
          {KIND_LABEL[card.kind]} <code>{card.id}</code>
        </span>
      </div>
      <EntityRefusal subject={subject} />
    </div>
  );
}
