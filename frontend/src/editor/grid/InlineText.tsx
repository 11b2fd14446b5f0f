// A name or a card's text typed in place: Enter (or leaving the field) keeps it, Escape puts
// back what was there. Keystrokes stay in the field (the browser's own undo works in it); the
// change is one operation when it is kept, and none when nothing changed.
import { useLayoutEffect, useRef, useState } from "react";

export function InlineText(props: {
  value: string;
  label: string;
  multiline?: boolean;
  allowEmpty?: boolean;
  onDone: (value: string | null) => void; // null: nothing to change
  className?: string;
}) {
  const [text, setText] = useState(props.value);
  const done = useRef(false);
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  // Before the browser paints: keys typed right after the one that opened the field go in it.
  useLayoutEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);
  const finish = (keep: boolean) => {
    if (done.current) return;
    done.current = true;
    const value = text.trim();
    const changed = keep && value !== props.value && (value !== "" || props.allowEmpty);
    props.onDone(changed ? value : null);
  };
  const common = {
    ref: field,
    value: text,
    "aria-label": props.label,
    className: `inline-text ${props.className ?? ""}`,
    onChange: (e: React.ChangeEvent<HTMLInputElement & HTMLTextAreaElement>) => setText(e.target.value),
    onBlur: () => finish(true),
    onKeyDown: (e: React.KeyboardEvent) => {
      e.stopPropagation(); // the grid's keys (n, Alt+arrows, Delete) are not for a text field
      if (e.key === "Escape") {
        e.preventDefault();
        finish(false);
      } else if (e.key === "Enter" && !(props.multiline && e.shiftKey)) {
        e.preventDefault();
        finish(true);
      }
    },
  };
  return props.multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />;
}
