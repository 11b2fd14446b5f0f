// The threads on one card or stage: each comment with its author and time, its replies, a
// reply box, resolve and reopen (for whom the policy allows: threads.ts mayResolve), and a box
// for a new thread. Comment text is drawn as text, mentions marked.
import { useState } from "react";
import { messageOf } from "../api/problem";
import { useSession } from "../state/session";
import { MentionInput } from "./MentionInput";
import { useComments } from "./store";
import {
  type Comment,
  type Target,
  type Thread,
  mayResolve,
  threadsOf,
} from "./threads";

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  });

/** The text, with each "@name" of a mentioned member marked (as text: never HTML). */
function Body({ comment }: { comment: Comment }) {
  const names = comment.mentions
    .map((m) => m.display_name)
    .filter((n): n is string => !!n)
    .sort((a, b) => b.length - a.length);
  if (names.length === 0) return <p className="comment-text">{comment.text}</p>;
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const parts = comment.text.split(
    new RegExp(`(@(?:${escaped.join("|")}))`, "gi"),
  );
  return (
    <p className="comment-text">
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <mark key={i} className="mention">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </p>
  );
}

function One({ comment }: { comment: Comment }) {
  return (
    <article
      className="comment"
      id={`comment-${comment.id}`}
      aria-label={`${comment.author_name ?? "Someone"}, ${when(comment.created_at)}`}
    >
      <p className="comment-meta">
        <span className="comment-author">
          {comment.author_name ?? "A former member"}
        </span>{" "}
        <time dateTime={comment.created_at}>{when(comment.created_at)}</time>
      </p>
      <Body comment={comment} />
    </article>
  );
}

function ThreadView({
  thread,
  canWrite,
}: {
  thread: Thread;
  canWrite: boolean;
}) {
  const me = useSession((s) => s.user?.id);
  const { reply, setResolved } = useComments.getState();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const send = () =>
    text.trim() &&
    void run(async () => {
      await reply(thread.root, text.trim());
      setText("");
    });
  const author = thread.root.author_name ?? "its author";
  return (
    <li className={thread.resolved ? "thread resolved" : "thread"}>
      {thread.resolved && <p className="thread-state">Resolved</p>}
      <One comment={thread.root} />
      {thread.replies.length > 0 && (
        <ul className="replies" aria-label="Replies">
          {thread.replies.map((r) => (
            <li key={r.id}>
              <One comment={r} />
            </li>
          ))}
        </ul>
      )}
      <div className="thread-actions">
        {mayResolve(thread.root, me) ? (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(() => setResolved(thread.root, !thread.resolved))
            }
          >
            {thread.resolved ? "Reopen" : "Resolve"}
          </button>
        ) : (
          <span className="small muted">
            Only {author} can resolve or reopen this thread.
          </span>
        )}
      </div>
      {canWrite && !thread.resolved && (
        <div className="reply-box">
          <MentionInput
            label="Reply"
            value={text}
            onChange={setText}
            onSubmit={send}
          />
          <button type="button" disabled={busy || !text.trim()} onClick={send}>
            Reply
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** The threads on `target`, and a box for a new one (`canWrite`: commenters and up). */
export function Threads({
  target,
  canWrite,
  label,
}: {
  target: Target;
  canWrite: boolean;
  label: string;
}) {
  const comments = useComments((s) => s.comments);
  const add = useComments((s) => s.add);
  const threads = threadsOf(comments, target);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await add(target, text.trim());
      setText("");
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="threads" aria-label={label}>
      {threads.length === 0 ? (
        <p className="muted small">No comments yet.</p>
      ) : (
        <ol className="thread-list">
          {threads.map((t) => (
            <ThreadView key={t.root.id} thread={t} canWrite={canWrite} />
          ))}
        </ol>
      )}
      {canWrite && (
        <div className="new-comment">
          <MentionInput
            label="New comment"
            value={text}
            onChange={setText}
            onSubmit={() => void send()}
          />
          <button
            type="button"
            className="primary"
            disabled={busy || !text.trim()}
            onClick={() => void send()}
          >
            Comment
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
