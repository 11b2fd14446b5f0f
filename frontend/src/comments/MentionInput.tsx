// A comment box with @mention completion: typing "@" and a few letters lists the workspace's
// members that fit (an ARIA combobox: arrows move, Enter or Tab picks, Escape closes the list).
import { useId, useMemo, useRef, useState } from "react";
import {
  insertMention,
  matchMembers,
  type Member,
  moveActive,
  type Typing,
  typingAt,
} from "./mentionMatch";
import { useComments } from "./store";

export function MentionInput(props: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  /** Ctrl/Cmd+Enter sends. */
  onSubmit: () => void;
  placeholder?: string;
}) {
  const members = useComments((s) => s.members);
  const box = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const [typing, setTyping] = useState<Typing | null>(null);
  const [active, setActive] = useState(0);
  const [closed, setClosed] = useState(false);
  const options = useMemo(
    () => (typing ? matchMembers(members, typing.query) : []),
    [typing, members],
  );
  const open = !closed && typing !== null && options.length > 0;

  const look = (text: string, caret: number) => {
    const now = typingAt(text, caret);
    setTyping(now);
    setActive(0);
    if (now?.at !== typing?.at) setClosed(false);
  };
  const pick = (member: Member) => {
    const el = box.current;
    if (!el || !typing) return;
    const done = insertMention(
      props.value,
      typing,
      el.selectionStart,
      member,
      members,
    );
    props.onChange(done.text);
    setTyping(null);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(done.caret, done.caret);
    });
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      props.onSubmit();
      return;
    }
    if (!open) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setActive(moveActive(active, options.length, e.key));
    } else if (e.key === "Enter" || e.key === "Tab") {
      const chosen = options[active];
      if (chosen) {
        e.preventDefault();
        pick(chosen);
      }
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation(); // closes the list, not the panel
      setClosed(true);
    }
  };
  const listId = `${id}-people`;
  return (
    <div className="mention-input">
      <label htmlFor={`${id}-box`}>{props.label}</label>
      <textarea
        ref={box}
        id={`${id}-box`}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${id}-opt-${active}` : undefined}
        aria-describedby={`${id}-hint`}
        rows={3}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => {
          props.onChange(e.target.value);
          look(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onClick={(e) =>
          look(e.currentTarget.value, e.currentTarget.selectionStart)
        }
        onBlur={() => setClosed(true)}
      />
      <p id={`${id}-hint`} className="small muted">
        Type @ and a name to mention someone of the workspace; Ctrl+Enter sends.
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label="People to mention"
        className="mention-list"
        hidden={!open}
      >
        {open &&
          options.map((m, i) => (
            <li
              key={m.user_id}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : undefined}
              // Before the box's blur: the pick keeps the focus in the box.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(m);
              }}
            >
              <span className="mention-name">{m.display_name}</span>{" "}
              <span className="mention-email">{m.email}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
