import { type SyntheticEvent, useEffect, useRef, useState } from "react";
import { signInMessage, useSession } from "../state/session";
import { Link } from "./Link";
import { paths, useRouter } from "./router";

export function SignInPage({ next }: { next: string | null }) {
  const signIn = useSession((s) => s.signIn);
  const navigate = useRouter((s) => s.navigate);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    document.title = "Sign in · journeymap";
  }, []);
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      navigate(next ?? paths.home(), true);
    } catch (failure) {
      setError(signInMessage(failure));
      setPassword("");
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page" id="main">
      <form className="auth-card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <p className="brand-mark" aria-hidden="true">
          journeymap
        </p>
        <h1 id="sign-in-title">Sign in</h1>
        <p className="muted">Your team's customer journey maps.</p>
        {error && (
          <p className="form-error" role="alert" tabIndex={-1} ref={errorRef}>
            {error}
          </p>
        )}
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p className="muted small">
          A new server? <Link href={paths.setup()}>Set it up</Link> with the first account.
        </p>
      </form>
    </main>
  );
}
