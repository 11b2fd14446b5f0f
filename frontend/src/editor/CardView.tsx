import { type ButtonHTMLAttributes, memo } from "react";
import type { Card } from "../api/journey";
import { CardFigures } from "../measure/Figures";
import { ChangeMark } from "../history/ChangeMark";
import { useChangeMark } from "../history/marksContext";
import { CardCommentCount } from "../comments/Badges";
import { CONFIDENCE_LABEL, cardParts, channelColourIndex } from "./poster";

/** The classes a card is drawn with: its kind, confidence, severity; selected or not. */
export function cardClasses(card: Card, selected: boolean): string {
  return [
    "card",
    `kind-${card.kind}`,
    `conf-${card.confidence}`,
    card.kind === "pain_point" ? `sev-${card.severity}` : "",
    selected ? "selected" : "",
  ].join(" ");
}

/** What a card shows, as the poster draws it: head, marks, text, value, foot lines. */
export function CardFace({ card }: { card: Card }) {
  const parts = cardParts(card);
  return (
    <>
      {card.kind === "touchpoint" && card.channel && (
        <span className={`channel-bar ch-${channelColourIndex(card.channel)}`} aria-hidden="true" />
      )}
      <span className="card-top">
        <span className="card-head">{parts.head}</span>
        {card.kind === "pain_point" && (
          <span className="severity" aria-hidden="true">
            {[1, 2, 3, 4, 5].map((k) => (
              <span key={k} className={k <= card.severity ? "dot on" : "dot"} />
            ))}
          </span>
        )}
        {card.kind === "opportunity" && (
          <span className={`status-dot st-${card.status}`} aria-hidden="true" />
        )}
        <span className="conf-mark" aria-hidden="true" title={CONFIDENCE_LABEL[card.confidence]}>
          {card.confidence[0]?.toUpperCase()}
        </span>
      </span>
      <span className="card-text">{parts.text}</span>
      {parts.big && <span className="card-value">{parts.big}</span>}
      {parts.foot.map((line) => (
        <span key={line} className="card-foot">
          {line}
        </span>
      ))}
      {card.kind === "touchpoint" && <CardFigures cardId={card.id} />}
      <span className="visually-hidden">, {CONFIDENCE_LABEL[card.confidence].toLowerCase()}</span>
      <CardCommentCount cardId={card.id} />
    </>
  );
}

/** A card's button: named by its content, opening its panel; an editor adds its keys. */
export function CardButton(
  props: {
    card: Card;
    selected: boolean;
    onOpen: (id: string) => void;
  } & Omit<ButtonHTMLAttributes<HTMLButtonElement>, "id" | "className" | "onClick" | "type">,
) {
  const { card, selected, onOpen, ...rest } = props;
  const mark = useChangeMark(card.id); // in a comparison (history, future state): its change
  const marked = mark ? mark.kinds.map((k) => ` change-${k}`).join("") : "";
  return (
    <button
      type="button"
      id={`card-${card.id}`}
      className={cardClasses(card, selected) + marked}
      data-card={card.id}
      aria-expanded={selected}
      onClick={() => onOpen(card.id)}
      {...rest}
    >
      {mark && <ChangeMark mark={mark} />}
      <CardFace card={card} />
    </button>
  );
}

/** One card as the poster draws it, for a reader: drawn again only when it changes. */
export const CardView = memo(CardButton);
