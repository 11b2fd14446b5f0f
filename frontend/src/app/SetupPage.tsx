// First run: the first account (an admin) and its workspace, through `POST /api/setup`, with
// the one-time set-up code `journeymap serve` printed on its console (the database had no user).
import { type SyntheticEvent, useEffect, useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import { useSession } from "../state/session";
import { Link } from "./Link";
import { paths, useRouter } from "./router";

export function SetupPage() {
  const { api, signIn } = useSession();
  const navigate = useRouter((s) => s.navigate);
  const [form, setForm] = useState({
    code: "",
    email: "",
    name: "",
    password: "",
    workspace: "",
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = "Set up · journeymap";
  }, []);

  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await must(
        api.POST("/api/setup", {
          body: {
            email: form.email,
            display_name: form.name,
            password: form.password,
            workspace: form.workspace.trim() || "My workspace",
            setup_code: form.code.trim(),
          },
        }),
      );
      await signIn(form.email, form.password);
      navigate(paths.home(), true);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page" id="main">
      <form className="auth-card" onSubmit={(e) => void submit(e)} aria-labelledby="setup-title">
        <h1 id="setup-title">Set up this server</h1>
        <p className="muted">The first account is the server's admin, and owns its first workspace.</p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <label htmlFor="setup-code">Set-up code</label>
        <input
          id="setup-code"
          autoComplete="one-time-code"
          spellCheck={false}
          required
          aria-describedby="setup-code-hint"
          {...field("code")}
        />
        <p id="setup-code-hint" className="muted small">
          <code>journeymap serve</code> printed it on its console when it started.
        </p>
        <label htmlFor="setup-email">Email</label>
        <input id="setup-email" type="email" autoComplete="username" required {...field("email")} />
        <label htmlFor="setup-name">Your name</label>
        <input id="setup-name" autoComplete="name" required {...field("name")} />
        <label htmlFor="setup-password">Password (10 characters or more)</label>
        <input
          id="setup-password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          {...field("password")}
        />
        <label htmlFor="setup-workspace">First workspace (optional)</label>
        <input id="setup-workspace" {...field("workspace")} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Setting up…" : "Set up"}
        </button>
        <p className="muted small">
          Already set up? <Link href={paths.signIn()}>Sign in</Link>.
        </p>
      </form>
    </main>
  );
}
