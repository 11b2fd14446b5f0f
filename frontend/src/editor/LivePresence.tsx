// Editing together, on screen: who is here (header), the card each person edits (an outline
// with their name), their cursors on the map, and the notices of a field someone overwrote.
// The rules (throttling, colours, what a notice says) live in editing/liveTransport.ts and
// editing/presence.ts; this only draws them and reports where I am.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Person } from "../editing/liveTransport";
import {
  colourIndex,
  initials,
  noticeText,
  outlineLabel,
  presenceCard,
  valueText,
} from "../editing/presence";
import { useJourney } from "../state/journey";
import { useDraggedCard } from "./grid/dnd";
import "./live.css";

/** Who is on this journey now, besides me: initials with the full name, as a list. */
export function PresenceList() {
  const people = useJourney((s) => s.people);
  const byPerson = new Map<string, Person>();
  for (const p of people) byPerson.set(p.actor ?? p.conn, p); // one avatar per person
  const list = [...byPerson.values()];
  if (list.length === 0) return null;
  return (
    <section className="presence" aria-label="People here">
      <ul>
        {list.map((p) => (
          <li key={p.actor ?? p.conn} className={`person pc-${colourIndex(p.actor ?? p.conn)}`}>
            <span className="avatar" aria-hidden="true" title={p.name}>
              {initials(p.name) || "?"}
            </span>
            <span className="visually-hidden">{p.name}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Outlines on the cards others edit or drag and their cursors, over the map's canvas (in its own
 * unzoomed pixels); reports my cursor and the card I am on or drag. */
export function PresenceOverlay({ selected }: { selected: string | null }) {
  const people = useJourney((s) => s.people);
  const layer = useRef<HTMLDivElement>(null);
  const setPresence = useJourney((s) => s.setPresence);
  const [focused, setFocused] = useState<string | null>(null);
  const [boxes, setBoxes] = useState<Map<string, DOMRect>>(new Map());

  useEffect(() => {
    const el = layer.current?.parentElement;
    if (!el) return;
    const move = (e: PointerEvent) => {
      const box = el.getBoundingClientRect();
      const scale = el.offsetWidth ? box.width / el.offsetWidth : 1;
      setPresence({
        cursor: {
          x: Math.round((e.clientX - box.left) / scale),
          y: Math.round((e.clientY - box.top) / scale),
        },
      });
    };
    const leave = () => setPresence({ cursor: null });
    const focusIn = (e: FocusEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      const slot = target?.closest<HTMLElement>("[data-card-slot],[data-card]");
      setFocused(slot?.dataset.cardSlot ?? slot?.dataset.card ?? null);
    };
    el.addEventListener("pointermove", move);
    el.addEventListener("pointerleave", leave);
    el.addEventListener("focusin", focusIn);
    return () => {
      el.removeEventListener("pointermove", move);
      el.removeEventListener("pointerleave", leave);
      el.removeEventListener("focusin", focusIn);
    };
  }, [setPresence]);

  const draggedCard = useDraggedCard();
  const { card: mine, dragging } = presenceCard({ dragging: draggedCard, focused, selected });
  useEffect(() => setPresence({ card: mine, dragging }), [mine, dragging, setPresence]);

  // Where the cards being edited are, in canvas pixels.
  const editing = people.map((p) => p.card).filter((c): c is string => c !== null);
  const key = editing.join(" ");
  useLayoutEffect(() => {
    const el = layer.current?.parentElement;
    if (!el) return;
    const box = el.getBoundingClientRect();
    const scale = el.offsetWidth ? box.width / el.offsetWidth : 1;
    const found = new Map<string, DOMRect>();
    for (const id of key ? key.split(" ") : []) {
      const card =
        el.querySelector(`[data-card-slot="${CSS.escape(id)}"]`) ??
        el.querySelector(`[data-card="${CSS.escape(id)}"]`);
      if (!card) continue;
      const r = card.getBoundingClientRect();
      found.set(
        id,
        new DOMRect(
          (r.left - box.left) / scale,
          (r.top - box.top) / scale,
          r.width / scale,
          r.height / scale,
        ),
      );
    }
    // Measuring the cards' layout is what this effect is for: it draws again with the boxes.
    setBoxes(found);
  }, [key, people]);

  return (
    <div className="presence-layer" aria-hidden="true" ref={layer}>
      {people.map((p) => {
        const colour = `pc-${colourIndex(p.actor ?? p.conn)}`;
        const box = p.card ? boxes.get(p.card) : undefined;
        return (
          <div key={p.conn}>
            {box && (
              <div
                className={`presence-outline ${colour}${p.dragging ? " dragging" : ""}`}
                data-presence-card={p.card ?? undefined}
                style={{
                  left: box.x - 3,
                  top: box.y - 3,
                  width: box.width + 6,
                  height: box.height + 6,
                }}
              >
                <span className="presence-name">{outlineLabel(p)}</span>
              </div>
            )}
            {p.cursor && (
              <div
                className={`presence-cursor ${colour}`}
                style={{ transform: `translate(${p.cursor.x}px, ${p.cursor.y}px)` }}
              >
                <svg width="14" height="18" viewBox="0 0 14 18">
                  <path d="M1 1 L1 15 L5 11 L8 17 L10 16 L7 10 L13 10 Z" />
                </svg>
                <span className="presence-name">{p.name}</span>
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** The same-field conflicts: each names who and what, with Restore (a new edit). */
export function OverwriteNotices(props: { canRestore: boolean }) {
  const notices = useJourney((s) => s.overwrites);
  const restore = useJourney((s) => s.restoreOverwrite);
  const dismiss = useJourney((s) => s.dismissOverwrite);
  if (notices.length === 0) return null;
  return (
    <div className="overwrite-notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.key} className="overwrite-notice">
          <p>
            {noticeText(n)} {n.mine ? "Yours was" : "Theirs was"}: “{valueText(n.value)}”
          </p>
          {props.canRestore && (
            <button type="button" onClick={() => restore(n.key)}>
              Restore
            </button>
          )}
          <button type="button" onClick={() => dismiss(n.key)} aria-label="Dismiss this notice">
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
