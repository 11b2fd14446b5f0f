import { useEffect, useState } from "react";
import { messageOf } from "../api/problem";
import { JourneyPage } from "../editor/JourneyPage";
import { ComparePage } from "../future/ComparePage";
import { HistoryPage } from "../history/HistoryPage";
import { LibraryPage } from "../library/LibraryPage";
import { useLibrary } from "../state/library";
import { useSession } from "../state/session";
import { SharedPage } from "../editor/SharedPage";
import { MentionsPage } from "../comments/MentionsPage";
import { PresentPage, SharedPresentPage } from "../present/PresentPage";
import { paths, type Route, useRouter } from "./router";
import { Link } from "./Link";
import { SetupPage } from "./SetupPage";
import { Shell } from "./Shell";
import { SignInPage } from "./SignInPage";
import { AccountPage } from "../team/AccountPage";
import { MembersPage } from "../team/MembersPage";
import { PersonasPage } from "../team/PersonasPage";

const PUBLIC = new Set<Route["page"]>(["sign-in", "setup", "shared", "shared-present", "not-found"]);

export function App() {
  const route = useRouter((s) => s.route);
  const path = useRouter((s) => s.path);
  const navigate = useRouter((s) => s.navigate);
  const { status, restore } = useSession();
  const [startError, setStartError] = useState<string | null>(null);

  // A share link's page asks nothing of the session: it shows no one's name.
  const needsSession = route.page !== "shared" && route.page !== "shared-present";
  useEffect(() => {
    if (needsSession && status === "unknown") {
      restore().catch((error: unknown) => setStartError(messageOf(error)));
    }
  }, [needsSession, status, restore]);
  useEffect(() => {
    if (status === "signed-out" && !PUBLIC.has(route.page)) {
      navigate(paths.signIn(route.page === "home" ? undefined : path), true);
    }
    if (status === "signed-in" && route.page === "sign-in") {
      navigate(route.next ?? paths.home(), true); // already signed in (a reload, a bookmark)
    }
  }, [status, route, path, navigate]);

  if (route.page === "shared") return <SharedPage token={route.token} />;
  if (route.page === "shared-present") return <SharedPresentPage token={route.token} />;
  if (startError) {
    return (
      <main className="auth-page" id="main">
        <p className="form-error" role="alert">
          {startError}
        </p>
      </main>
    );
  }
  if (route.page === "sign-in") return <SignInPage next={route.next} />;
  if (route.page === "setup") return <SetupPage />;
  if (route.page === "not-found") return <NotFound path={route.path} />;
  if (status !== "signed-in") {
    return (
      <main className="auth-page" id="main" aria-busy="true">
        <p className="muted">Loading…</p>
      </main>
    );
  }
  switch (route.page) {
    case "home":
      return <Home />;
    case "library":
      return <LibraryPage workspaceId={route.workspaceId} />;
    case "journey":
      return <JourneyPage journeyId={route.journeyId} />;
    case "history":
      return <HistoryPage journeyId={route.journeyId} />;
    case "compare":
      return <ComparePage journeyId={route.journeyId} otherId={route.otherId} />;
    case "members":
      return <MembersPage workspaceId={route.workspaceId} />;
    case "personas":
      return <PersonasPage workspaceId={route.workspaceId} />;
    case "account":
      return <AccountPage />;
    case "present":
      return <PresentPage journeyId={route.journeyId} />;
    case "mentions":
      return <MentionsPage />;
  }
}

/** The first workspace's library (or the one last opened). */
function Home() {
  const api = useSession((s) => s.api);
  const loadWorkspaces = useLibrary((s) => s.loadWorkspaces);
  const last = useLibrary((s) => s.workspaceId);
  const navigate = useRouter((s) => s.navigate);
  const [state, setState] = useState<string>("loading") // "loading", "none" or an error;
  useEffect(() => {
    loadWorkspaces(api)
      .then((workspaces) => {
        const pick = workspaces.find((w) => w.id === last) ?? workspaces[0];
        if (pick) navigate(paths.library(pick.id), true);
        else setState("none");
      })
      .catch((error: unknown) => setState(messageOf(error)));
  }, [api, loadWorkspaces, last, navigate]);
  return (
    <Shell>
      <h1>Journeys</h1>
      {state === "loading" && <p className="muted">Loading…</p>}
      {state === "none" && (
        <p>
          You are not a member of any workspace yet: ask a workspace owner to add you, then accept
          the invitation on your <Link href={paths.account()}>account page</Link>.
        </p>
      )}
      {state !== "loading" && state !== "none" && (
        <p className="form-error" role="alert">
          {state}
        </p>
      )}
    </Shell>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <h1>Nothing here</h1>
        <p>
          There is no page at <code>{path}</code>.
        </p>
        <p>
          <a href="/">Go to your journeys</a>
        </p>
      </div>
    </main>
  );
}
