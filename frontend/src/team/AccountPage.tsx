// Your account: display name, password, invitations to workspaces, personal API tokens (made
// here, shown once, revoked here). The rules are the server's (services/accounts.py, tokens.py,
// invitations.py); this page repeats its words when it refuses.
import { type SyntheticEvent, useCallback, useEffect, useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import type { components } from "../api/schema";
import { ConfirmDialog } from "../app/ConfirmDialog";
import { Link } from "../app/Link";
import { paths } from "../app/router";
import { Shell } from "../app/Shell";
import { useLibrary } from "../state/library";
import { useSession } from "../state/session";
import { passwordProblem, sortedTokens, type Token, tokenState, when } from "./rules";
import "./team.css";

type Invitation = components["schemas"]["InvitationToYou"];

export function AccountPage() {
  useEffect(() => {
    document.title = "Your account · journeymap";
  }, []);
  return (
    <Shell>
      <h1>Your account</h1>
      <Profile />
      <Invitations />
      <Password />
      <Tokens />
    </Shell>
  );
}

function Said({ ok, error }: { ok: string | null; error: string | null }) {
  return (
    <>
      {ok && (
        <p className="notice" role="status">
          {ok}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function Profile() {
  const api = useSession((s) => s.api);
  const user = useSession((s) => s.user);
  const [name, setName] = useState(user?.display_name ?? "");
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async (e: SyntheticEvent) => {
    e.preventDefault();
    setOk(null);
    setError(null);
    try {
      const me = await must(api.PATCH("/api/me", { body: { display_name: name } }));
      useSession.setState({ user: me });
      setOk("Your name is saved.");
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section className="team-section" aria-labelledby="profile-h">
      <h2 id="profile-h">Profile</h2>
      <p className="muted">
        Signed in as <strong>{user?.email}</strong>
        {user?.is_admin ? " (a server admin)" : ""}.
      </p>
      <form className="team-form" onSubmit={(e) => void save(e)}>
        <label>
          <span>Display name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
        </label>
        <p className="small muted">What your team sees in mentions, comments and history; no @.</p>
        <button type="submit" className="primary">
          Save name
        </button>
      </form>
      <Said ok={ok} error={error} />
    </section>
  );
}

function Password() {
  const api = useSession((s) => s.api);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async (e: SyntheticEvent) => {
    e.preventDefault();
    setOk(null);
    const problem = passwordProblem(next, again);
    setError(problem);
    if (problem) return;
    try {
      await must(api.PUT("/api/me/password", { body: { current_password: current, new_password: next } }));
      setCurrent("");
      setNext("");
      setAgain("");
      setOk("Your password is changed. Your other browser sessions have ended; your API tokens go on working.");
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section className="team-section" aria-labelledby="password-h">
      <h2 id="password-h">Password</h2>
      <form className="team-form" onSubmit={(e) => void save(e)}>
        <label>
          <span>Current password</span>
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </label>
        <label>
          <span>New password</span>
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
        </label>
        <label>
          <span>New password again</span>
          <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} required />
        </label>
        <button type="submit" className="primary">
          Change password
        </button>
      </form>
      <Said ok={ok} error={error} />
    </section>
  );
}

function Invitations() {
  const api = useSession((s) => s.api);
  const loadWorkspaces = useLibrary((s) => s.loadWorkspaces);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [ok, setOk] = useState<{ text: string; workspace?: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = useCallback(() => must(api.GET("/api/invitations")), [api]);
  useEffect(() => {
    let live = true;
    list()
      .then((found) => live && setInvitations(found))
      .catch((failure: unknown) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
  }, [list]);
  const answer = async (invitation: Invitation, accept: boolean) => {
    setError(null);
    try {
      const path = { params: { path: { invitation_id: invitation.id } } };
      if (accept) {
        await must(api.POST("/api/invitations/{invitation_id}/accept", path));
        setOk({ text: `You joined “${invitation.workspace_name}” as ${invitation.role}.`, workspace: invitation.workspace_id });
        await loadWorkspaces(api);
      } else {
        await must(api.POST("/api/invitations/{invitation_id}/decline", path));
        setOk({ text: `You declined the invitation to “${invitation.workspace_name}”.` });
      }
      setInvitations(await list());
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section className="team-section" aria-labelledby="invitations-h">
      <h2 id="invitations-h">Invitations</h2>
      {invitations.length === 0 && <p className="muted">No invitations to a workspace are waiting for you.</p>}
      {invitations.length > 0 && (
        <ul className="team-list">
          {invitations.map((i) => (
            <li key={i.id}>
              <span>
                <strong>{i.workspace_name}</strong>, as {i.role}
                <span className="muted small">
                  {" "}
                  · from {i.invited_by ?? "someone no longer here"}, {when(i.invited_at)}
                </span>
              </span>
              <span className="team-actions">
                <button type="button" className="primary" onClick={() => void answer(i, true)} aria-label={`Accept the invitation to ${i.workspace_name}`}>
                  Accept
                </button>
                <button type="button" onClick={() => void answer(i, false)} aria-label={`Decline the invitation to ${i.workspace_name}`}>
                  Decline
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {ok && (
        <p className="notice" role="status">
          {ok.text} {ok.workspace && <Link href={paths.library(ok.workspace)}>Open its journeys</Link>}
        </p>
      )}
      <Said ok={null} error={error} />
    </section>
  );
}

function Tokens() {
  const api = useSession((s) => s.api);
  const [tokens, setTokens] = useState<Token[]>([]);
  const [name, setName] = useState("");
  const [made, setMade] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = useCallback(() => must(api.GET("/api/tokens")), [api]);
  useEffect(() => {
    let live = true;
    list()
      .then((found) => live && setTokens(found))
      .catch((failure: unknown) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
  }, [list]);
  const make = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(null);
    setCopied(false);
    try {
      const token = await must(api.POST("/api/tokens", { body: { name } }));
      setMade({ name: token.name, token: token.token });
      setName("");
      setTokens(await list());
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const revoke = async (token: Token) => {
    setError(null);
    try {
      await must(api.DELETE("/api/tokens/{token_id}", { params: { path: { token_id: token.id } } }));
      setRevoking(null);
      setTokens(await list());
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const copy = async () => {
    if (!made) return;
    try {
      await navigator.clipboard.writeText(made.token);
      setCopied(true);
    } catch {
      setError("The browser did not let the page copy: select the token and copy it.");
    }
  };
  return (
    <section className="team-section" aria-labelledby="tokens-h">
      <h2 id="tokens-h">Personal API tokens</h2>
      <p className="muted">
        A token lets a script, a notebook or the command line act as you (<code>journeymap.Client</code>, or{" "}
        <code>Authorization: Bearer …</code>). It is shown once, when it is made; revoke one you no longer use.
      </p>
      <form className="team-form inline" onSubmit={(e) => void make(e)}>
        <label>
          <span>Token name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} placeholder="e.g. Analysis notebook" required />
        </label>
        <button type="submit" className="primary">
          Make a token
        </button>
      </form>
      {made && (
        <div className="token-made" role="status">
          <label htmlFor="new-token">The token “{made.name}”: copy it now, it will not be shown again</label>
          <div className="token-row">
            <input id="new-token" readOnly value={made.token} onFocus={(e) => e.target.select()} />
            <button type="button" onClick={() => void copy()}>
              {copied ? "Copied" : "Copy"}
            </button>
            <button type="button" onClick={() => setMade(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <Said ok={null} error={error} />
      {tokens.length > 0 && (
        <table className="team-table">
          <caption className="visually-hidden">Your tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Made</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sortedTokens(tokens).map((t) => (
              <tr key={t.id} className={tokenState(t)}>
                <th scope="row">{t.name}</th>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{when(t.created_at)}</td>
                <td>{when(t.last_used_at)}</td>
                <td>{t.revoked_at ? `Revoked ${when(t.revoked_at)}` : "Live"}</td>
                <td>
                  {!t.revoked_at && (
                    <button type="button" className="danger-text" onClick={() => setRevoking(t)} aria-label={`Revoke the token ${t.name}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking && (
        <ConfirmDialog
          title="Revoke this token?"
          body={`“${revoking.name}” stops working at once, wherever it is used.`}
          confirm="Revoke"
          danger
          error={error}
          onCancel={() => setRevoking(null)}
          onConfirm={() => void revoke(revoking)}
        />
      )}
    </section>
  );
}
