// The count of open threads on a card (inside its button: named "3 open comments") and on a
// stage's head (a button that opens the stage's threads). Nothing on a share link's page.
import { useComments } from "./store";
import { useCommentsOn } from "./CommentsHost";
import { countLabel, targetKey } from "./threads";

function useOpen(kind: string, id: string): number {
  return useComments((s) => s.counts.get(targetKey(kind, id)) ?? 0);
}

export function CardCommentCount({ cardId }: { cardId: string }) {
  const on = useCommentsOn();
  const n = useOpen("card", cardId);
  if (!on || n === 0) return null;
  return (
    <span className="comment-badge" role="img" aria-label={countLabel(n)}>
      <span aria-hidden="true">💬 {n}</span>
    </span>
  );
}

export function StageComments({
  stageId,
  name,
}: {
  stageId: string;
  name: string;
}) {
  const on = useCommentsOn();
  const n = useOpen("stage", stageId);
  const openPanel = useComments((s) => s.openPanel);
  if (!on) return null;
  return (
    <button
      type="button"
      className={n > 0 ? "stage-comments has-open" : "stage-comments"}
      aria-label={n > 0 ? `${countLabel(n)} on ${name}` : `Comment on ${name}`}
      title={n > 0 ? countLabel(n) : `Comment on ${name}`}
      onClick={() => {
        openPanel({ kind: "stage", id: stageId });
      }}
    >
      <span aria-hidden="true">💬{n > 0 ? ` ${n}` : ""}</span>
    </button>
  );
}
