// The page a share link opens: the map, read-only, with its legend; no comments, no member
// names, nothing else of the workspace (the token opens one journey and the page asks for
// nothing more). It never asks who is signed in.
import { useEffect, useMemo, useState } from "react";
import { makeClient, must } from "../api/client";
import { type JourneyDoc, readJourney } from "../api/journey";
import { MeasureBar } from "../measure/MeasureBar";
import { ApiError, messageOf } from "../api/problem";
import { paths } from "../app/router";
import { PresentLink } from "../present/PresentLink";
import { MapView } from "./MapView";

export function SharedPage({ token }: { token: string }) {
  const api = useMemo(() => makeClient({ shareToken: token }), [token]);
  const [doc, setDoc] = useState<JourneyDoc | null>(null);
  const [journeyId, setJourneyId] = useState("");
  const [error, setError] = useState<string | null>(null);
  // "Share link revoked" or "Share link expired": the server says which (services/sessions.py).
  const [closed, setClosed] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const shared = await must(api.GET("/api/shared"));
      const answer = await must(
        api.GET("/api/journeys/{journey_id}", {
          params: { path: { journey_id: shared.journey_id } },
        }),
      );
      return { d: readJourney(answer.document), id: shared.journey_id };
    };
    load()
      .then(({ d, id }) => {
        if (!live) return;
        setDoc(d);
        setJourneyId(id);
        document.title = `${d.title} · shared · journeymap`;
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(messageOf(e));
        if (e instanceof ApiError && e.status === 401) setClosed(e.problem.title);
      });
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <>
      <header className="topbar">
        <span className="brand">journeymap</span>
        <span className="topbar-end muted-inverse">Shared map · read-only</span>
      </header>
      <main id="main" className="page wide">
        {!doc && !error && <p className="muted page-pad">Loading the map…</p>}
        {error && (
          <div className="page-pad">
            <h1>
              {closed === "Share link revoked"
                ? "This link was revoked"
                : closed === "Share link expired"
                  ? "This link has expired"
                  : "This link does not open a map"}
            </h1>
            <p className="form-error" role="alert">
              {error}
            </p>
            <p>Ask whoever sent it for a new link.</p>
          </div>
        )}
        {doc && (
          <MapView
            doc={doc}
            selected={selected}
            onSelect={setSelected}
            banner={<MeasureBar journeyId={journeyId} doc={doc} api={api} />}
            tools={<PresentLink href={paths.sharedPresent(token)} />}
          />
        )}
      </main>
    </>
  );
}
