// Read-only share links: make one (editors and owners; the server says so to anyone else), copy
// its address. The address is the one the API hands out (`/shared/<token>`), made absolute.
import { useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import { useSession } from "../state/session";

export function SharePanel({ journeyId }: { journeyId: string }) {
  const api = useSession((s) => s.api);
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState("");
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const make = async () => {
    setError(null);
    setCopied(false);
    try {
      const link = await must(
        api.POST("/api/journeys/{journey_id}/share-links", {
          params: { path: { journey_id: journeyId } },
          body: days ? { expires_in_days: Number(days) } : {},
        }),
      );
      setUrl(new URL(link.url, window.location.origin).toString());
    } catch (failure) {
      setError(messageOf(failure));
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
      <button type="button" aria-expanded={open} aria-controls="share-panel" onClick={() => setOpen(!open)}>
        Share
      </button>
      {open && (
        <div id="share-panel" className="menu-list share-panel">
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
        </div>
      )}
    </div>
  );
}
