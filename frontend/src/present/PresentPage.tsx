// The pages that present a journey: /j/{id}/present (signed in) and /shared/{token}/present
// (a share link: read-only, as its page is). Leaving goes back to the map.
import { useEffect, useMemo, useState } from "react";
import { type Api, makeClient, must } from "../api/client";
import { type JourneyDoc, readJourney } from "../api/journey";
import { messageOf } from "../api/problem";
import { paths, useRouter } from "../app/router";
import { useSession } from "../state/session";
import { Presentation } from "./Presentation";

async function loadDoc(api: Api, journeyId: string): Promise<JourneyDoc> {
  const answer = await must(
    api.GET("/api/journeys/{journey_id}", { params: { path: { journey_id: journeyId } } }),
  );
  return readJourney(answer.document);
}

function Present(props: { load: () => Promise<JourneyDoc>; back: string }) {
  const navigate = useRouter((s) => s.navigate);
  const [doc, setDoc] = useState<JourneyDoc | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { load } = props;
  useEffect(() => {
    let live = true;
    load()
      .then((d) => {
        if (!live) return;
        setDoc(d);
        document.title = `${d.title} · presenting · journeymap`;
      })
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [load]);
  if (error) {
    return (
      <main className="auth-page" id="main">
        <div className="auth-card">
          <h1>This journey cannot be presented</h1>
          <p className="form-error" role="alert">
            {error}
          </p>
          <p>
            <a href={props.back}>Back</a>
          </p>
        </div>
      </main>
    );
  }
  if (!doc) {
    return (
      <main className="auth-page" id="main" aria-busy="true">
        <p className="muted">Loading…</p>
      </main>
    );
  }
  return <Presentation doc={doc} onLeave={() => navigate(props.back)} />;
}

export function PresentPage({ journeyId }: { journeyId: string }) {
  const api = useSession((s) => s.api);
  const load = useMemo(() => () => loadDoc(api, journeyId), [api, journeyId]);
  return <Present load={load} back={paths.journey(journeyId)} />;
}

export function SharedPresentPage({ token }: { token: string }) {
  const load = useMemo(() => {
    const api = makeClient({ shareToken: token });
    return async () => {
      const shared = await must(api.GET("/api/shared"));
      return loadDoc(api, shared.journey_id);
    };
  }, [token]);
  return <Present load={load} back={paths.shared(token)} />;
}
