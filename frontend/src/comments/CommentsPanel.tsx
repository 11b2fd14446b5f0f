// The comments beside the map: a card's thread inside its panel (CardComments), and the
// comments panel for a stage's threads or every thread of the journey (CommentsPanel).
import type { JourneyDoc } from "../api/journey";
import { SidePanel } from "../editor/SidePanel";
import { useJourney } from "../state/journey";
import { useCommentsOn } from "./CommentsHost";
import { useComments } from "./store";
import { type Target, mayComment, threadsOf } from "./threads";
import { Threads } from "./Threads";
import "./comments.css";

/** The card's thread, at the foot of its panel (signed-in map only). */
export function CardComments({ cardId }: { cardId: string }) {
  const on = useCommentsOn();
  const role = useComments((s) => s.myRole);
  if (!on) return null;
  return (
    <div className="panel-comments">
      <h3>Comments</h3>
      <Threads
        target={{ kind: "card", id: cardId }}
        canWrite={mayComment(role)}
        label="Comments on this card"
      />
    </div>
  );
}

function targetName(doc: JourneyDoc, target: Target): string {
  if (target.kind === "stage")
    return doc.stages.find((s) => s.id === target.id)?.name ?? target.id;
  const card = doc.cards.find((c) => c.id === target.id);
  return card?.text ?? target.id;
}

/** The panel: one stage's threads, or the journey's every thread grouped by where it is. */
export function CommentsPanel({ doc }: { doc: JourneyDoc }) {
  const panel = useComments((s) => s.panel);
  const comments = useComments((s) => s.comments);
  const role = useComments((s) => s.myRole);
  const openPanel = useComments((s) => s.openPanel);
  if (!panel) return null;
  const close = () => openPanel(null);
  if (panel !== "all") {
    const name = targetName(doc, panel);
    return (
      <SidePanel
        id="comments-panel"
        title={`Comments on ${name}`}
        closeLabel="Close the comments"
        onClose={close}
        focusKey={`${panel.kind}:${panel.id}`}
      >
        <Threads
          target={panel}
          canWrite={mayComment(role)}
          label={`Comments on ${name}`}
        />
        <button type="button" className="link" onClick={() => openPanel("all")}>
          Every comment of this journey
        </button>
      </SidePanel>
    );
  }
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const t of threadsOf(comments)) {
    const key = `${t.root.target_kind}:${t.root.target_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push({
      kind: t.root.target_kind as Target["kind"],
      id: t.root.target_id,
    });
  }
  return (
    <SidePanel
      id="comments-panel"
      title="Comments"
      closeLabel="Close the comments"
      onClose={close}
      focusKey="all"
    >
      {targets.length === 0 && (
        <p className="muted">
          No comments yet. Open a card, or a stage’s 💬 button, to start a
          thread.
        </p>
      )}
      <ul className="comment-targets">
        {targets.map((t) => {
          const open = threadsOf(comments, t).filter((x) => !x.resolved).length;
          const name = targetName(doc, t);
          return (
            <li key={`${t.kind}:${t.id}`}>
              <button
                type="button"
                className="link"
                onClick={() =>
                  t.kind === "card"
                    ? useJourney.getState().select(t.id)
                    : openPanel(t)
                }
              >
                {t.kind === "stage" ? `Stage: ${name}` : name}
              </button>{" "}
              <span className="small muted">
                {open > 0 ? `${open} open` : "all resolved"}
              </span>
            </li>
          );
        })}
      </ul>
    </SidePanel>
  );
}

/** The toolbar's "Comments" button: every thread of the journey, with the open count. */
export function CommentsButton() {
  const on = useCommentsOn();
  const counts = useComments((s) => s.counts);
  const panel = useComments((s) => s.panel);
  const openPanel = useComments((s) => s.openPanel);
  if (!on) return null;
  const open = [...counts.values()].reduce((a, b) => a + b, 0);
  return (
    <button
      type="button"
      aria-expanded={panel !== null}
      aria-controls={panel ? "comments-panel" : undefined}
      onClick={() => {
        useJourney.getState().select(null);
        openPanel(panel ? null : "all");
      }}
    >
      Comments{open > 0 ? ` (${open} open)` : ""}
    </button>
  );
}
