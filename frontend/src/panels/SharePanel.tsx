// Read-only share links: the journey's links (made when, expiry, live, expired or revoked),
// make one with an optional expiry and copy its address (shown once), revoke one after a
// confirmation (editors and owners; the server says so to anyone else).
import { useCallback, useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import { ConfirmDialog } from "../app/ConfirmDialog";
import { useSession } from "../state/session";
import { type ShareLink, linkState, linkStateText, sortLinks } from "./shareLinks";
import "./share.css";

const made = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

export function SharePanel({ journeyId }: { journeyId: string }) {
  const api = useSession((s) => s.api);
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState("");
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [revoking, setRevoking] = useState<ShareLink | null>(null);
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { journey_id: journeyId } } };

  const list = useCallback(async () => {
    try {
      setLinks(
        await must(
          api.GET("/api/journeys/{journey_id}/share-links", {
            params: { path: { journey_id: journeyId } },
          }),
        ),
      );
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, [api, journeyId]);

  const make = async () => {
    setError(null);
    setCopied(false);
    try {
      const link = await must(
        api.POST("/api/journeys/{journey_id}/share-links", {
          ...path,
          body: days ? { expires_in_days: Number(days) } : {},
        }),
      );
      setUrl(new URL(link.url, window.location.origin).toString());
      await list();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      await must(
        api.DELETE("/api/journeys/{journey_id}/share-links/{link_id}", {
          params: { path: { journey_id: journeyId, link_id: revoking.id } },
        }),
      );
      setRevoking(null);
      await list();
    } catch (failure) {
      setError(messageOf(failure));
      setRevoking(null);
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setError("the browser did not let the page copy; select the address and copy it");
    }
  };

  return (
    <div className="menu">
      <button type="button" aria-expanded={open} aria-controls="share-panel" onClick={() => {
          setOpen(!open);
          if (!open) void list(); // the list as it is now, each time the panel opens
        }}
      >
        Share
      </button>
      {open && (
        <div id="share-panel" className="menu-list share-panel" role="group" aria-label="Share links">
          <p className="small">
            Anyone with the link sees this map, read-only: no comments, no names of your team.
          </p>
          <label className="inline-field">
            <span>Expires</span>
            <select value={days} onChange={(e) => setDays(e.target.value)}>
              <option value="">Never</option>
              <option value="7">In 7 days</option>
              <option value="30">In 30 days</option>
              <option value="90">In 90 days</option>
            </select>
          </label>
          <button type="button" className="primary" onClick={() => void make()}>
            Make a share link
          </button>
          {url && (
            <div className="share-url">
              <label htmlFor="share-url">The link (shown once)</label>
              <input id="share-url" readOnly value={url} onFocus={(e) => e.target.select()} />
              <button type="button" onClick={() => void copy()}>
                {copied ? "Copied" : "Copy"}
              </button>
            </div>
          )}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <h3 className="share-links-title">This journey’s links</h3>
          {links === null && <p className="small muted">Loading…</p>}
          {links?.length === 0 && <p className="small muted">No links yet.</p>}
          {links && links.length > 0 && (
            <ul className="share-links" aria-label="This journey’s share links">
              {sortLinks(links).map((link) => (
                <li key={link.id} className={`share-link ${linkState(link)}`}>
                  <span className="share-link-what">
                    <code>{link.prefix}…</code> made {made(link.created_at)}
                  </span>
                  <span className="share-link-state">{linkStateText(link)}</span>
                  {linkState(link) === "live" && (
                    <button
                      type="button"
                      className="danger-text"
                      aria-label={`Revoke the link ${link.prefix}…`}
                      onClick={() => setRevoking(link)}
                    >
                      Revoke
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title="Revoke this share link?"
          body={`Whoever has the link ${revoking.prefix}… will no longer see this map. This cannot be undone; you can make a new link.`}
          confirm="Revoke the link"
          danger
          busy={busy}
          onConfirm={() => void revoke()}
          onCancel={() => setRevoking(null)}
        />
      )}
    </div>
  );
}
