// A workspace's members: everyone sees who is in it; owners invite people by email with a role,
// change roles and remove members; anyone may leave. Joining takes an account on this server
// (a server admin makes it) and the person's yes (they accept on their account page): that is
// how the API works, and the page says so. The rules are the server's (services/members.py,
// invitations.py, policy.py); this page repeats its words when it refuses.
import { type SyntheticEvent, useCallback, useEffect, useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import type { components } from "../api/schema";
import { ConfirmDialog } from "../app/ConfirmDialog";
import { Link } from "../app/Link";
import { paths, useRouter } from "../app/router";
import { Shell } from "../app/Shell";
import { useLibrary } from "../state/library";
import { useSession } from "../state/session";
import { type Member, memberActions, type Role, ROLE_WORDS, ROLES, when } from "./rules";
import "./team.css";

type Invitation = components["schemas"]["InvitationPublic"];
type Workspace = components["schemas"]["WorkspacePublic"];

export function MembersPage({ workspaceId }: { workspaceId: string }) {
  const api = useSession((s) => s.api);
  const me = useSession((s) => s.user);
  const navigate = useRouter((s) => s.navigate);
  const loadWorkspaces = useLibrary((s) => s.loadWorkspaces);
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const isOwner = workspace?.role === "owner";
  const path = { params: { path: { workspace_id: workspaceId } } };

  const read = useCallback(async () => {
    const p = { params: { path: { workspace_id: workspaceId } } };
    const found = await must(api.GET("/api/workspaces/{workspace_id}", p));
    const people = await must(api.GET("/api/workspaces/{workspace_id}/members", p));
    const waiting = found.role === "owner" ? await must(api.GET("/api/workspaces/{workspace_id}/invitations", p)) : [];
    return { found, people, waiting };
  }, [api, workspaceId]);
  const show = (got: Awaited<ReturnType<typeof read>>) => {
    setWorkspace(got.found);
    setMembers(got.people);
    setInvitations(got.waiting);
  };
  useEffect(() => {
    let live = true;
    read()
      .then((got) => {
        if (!live) return;
        setWorkspace(got.found);
        setMembers(got.people);
        setInvitations(got.waiting);
        document.title = `Members of ${got.found.name} · journeymap`;
      })
      .catch((failure: unknown) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
  }, [read]);
  const attempt = async (call: () => Promise<unknown>, said: string) => {
    setError(null);
    setNotice(null);
    try {
      await call();
      setNotice(said);
      show(await read());
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    }
  };

  const setRole = (member: Member, role: Role) =>
    void attempt(
      () =>
        must(
          api.PATCH("/api/workspaces/{workspace_id}/members/{user_id}", {
            params: { path: { workspace_id: workspaceId, user_id: member.user_id } },
            body: { role },
          }),
        ),
      `${member.display_name} is now ${role}.`,
    );
  const remove = async (member: Member) => {
    const leaving = member.user_id === me?.id;
    const done = await attempt(
      () =>
        must(
          api.DELETE("/api/workspaces/{workspace_id}/members/{user_id}", {
            params: { path: { workspace_id: workspaceId, user_id: member.user_id } },
          }),
        ),
      `${member.display_name} is no longer a member.`,
    );
    setRemoving(null);
    if (done && leaving) {
      await loadWorkspaces(api);
      navigate(paths.home(), true);
    }
  };
  const withdraw = (invitation: Invitation) =>
    void attempt(
      () =>
        must(
          api.DELETE("/api/workspaces/{workspace_id}/invitations/{invitation_id}", {
            params: { path: { workspace_id: workspaceId, invitation_id: invitation.id } },
          }),
        ),
      `The invitation to ${invitation.email} is withdrawn.`,
    );

  return (
    <Shell>
      <p>
        <Link href={paths.library(workspaceId)} className="back">
          ← {workspace?.name ?? "Journeys"}
        </Link>
      </p>
      <h1>Members{workspace ? ` of ${workspace.name}` : ""}</h1>
      {workspace && (
        <p className="muted">
          You are {workspace.role === "owner" || workspace.role === "editor" ? "an" : "a"} {workspace.role} here.
          {isOwner ? " As an owner you add members, set their roles and remove them." : " Owners add and remove members."}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {members.length > 0 && (
        <table className="team-table">
          <caption className="visually-hidden">Members</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const can = memberActions(me?.id ?? "", workspace?.role, member, members);
              return (
                <tr key={member.user_id} data-member={member.email}>
                  <th scope="row">
                    {member.display_name}
                    {member.user_id === me?.id && <span className="muted"> (you)</span>}
                  </th>
                  <td>{member.email}</td>
                  <td>
                    {can.changeRole ? (
                      <select
                        aria-label={`Role of ${member.display_name}`}
                        value={member.role}
                        onChange={(e) => setRole(member, e.target.value as Role)}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r} disabled={can.lastOwner && r !== "owner"}>
                            {r}
                          </option>
                        ))}
                      </select>
                    ) : (
                      member.role
                    )}
                    {can.lastOwner && <span className="muted small"> · the only owner</span>}
                  </td>
                  <td>
                    {can.remove && (
                      <button
                        type="button"
                        className="danger-text"
                        onClick={() => setRemoving(member)}
                        aria-label={can.remove === "leave" ? "Leave this workspace" : `Remove ${member.display_name}`}
                      >
                        {can.remove === "leave" ? "Leave" : "Remove"}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {isOwner && (
        <AddMember
          onAdd={(email, role) =>
            attempt(
              () => must(api.POST("/api/workspaces/{workspace_id}/invitations", { ...path, body: { email, role } })),
              `${email} is invited as ${role}. They become a member when they accept, on their account page.`,
            )
          }
        />
      )}
      {isOwner && invitations.length > 0 && (
        <section className="team-section" aria-labelledby="waiting-h">
          <h2 id="waiting-h">Waiting for a yes</h2>
          <ul className="team-list">
            {invitations.map((i) => (
              <li key={i.id}>
                <span>
                  {i.email}, as {i.role} <span className="muted small">· invited {when(i.invited_at)}</span>
                </span>
                <button type="button" onClick={() => withdraw(i)} aria-label={`Withdraw the invitation to ${i.email}`}>
                  Withdraw
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="team-section" aria-labelledby="roles-h">
        <h2 id="roles-h">What each role may do</h2>
        <ul>
          {ROLES.map((r) => (
            <li key={r}>{ROLE_WORDS[r]}</li>
          ))}
        </ul>
      </section>
      {removing && (
        <ConfirmDialog
          title={removing.user_id === me?.id ? "Leave this workspace?" : `Remove ${removing.display_name}?`}
          body={
            removing.user_id === me?.id
              ? "You will no longer see its journeys; an owner can invite you again."
              : `${removing.display_name} will no longer see this workspace's journeys. Their comments stay.`
          }
          confirm={removing.user_id === me?.id ? "Leave" : "Remove"}
          danger
          error={error}
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing)}
        />
      )}
    </Shell>
  );
}

function AddMember({ onAdd }: { onAdd: (email: string, role: Role) => Promise<boolean> }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (await onAdd(email.trim(), role)) setEmail("");
  };
  return (
    <section className="team-section" aria-labelledby="add-h">
      <h2 id="add-h">Add a member</h2>
      <p className="muted">
        The person needs an account on this server to join: a server admin makes it (<code>journeymap users add</code>,
        or <code>POST /api/users</code>); there is no sign-up. Invite them here by that account&apos;s email (before or
        after the account is made); they accept the invitation on their <strong>Account</strong> page, and are a member
        from then on.
      </p>
      <form className="team-form inline" onSubmit={(e) => void submit(e)}>
        <label>
          <span>Email</span>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={320} />
        </label>
        <label>
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Add member
        </button>
      </form>
    </section>
  );
}
