import { PASSWORD_CHARS } from "../../src/auth/password";
import { APP_NAME } from "../../src/version";
import { Layout } from "../layout";

interface FormProps {
  /** One message for the whole form (login failures never say which part was wrong). */
  error?: string;
  /** Field name → message, for validation errors. */
  fieldErrors?: Record<string, string>;
  email?: string;
}

function Brand() {
  return (
    <div class="brand">
      <img src="/assets/favicon.svg" alt="" /> {APP_NAME}
    </div>
  );
}

function FieldError(props: { id: string; message?: string }) {
  return props.message ? <div class="field-error" id={props.id}>{props.message}</div> : null;
}

export function LoginPage(props: FormProps & { next: string; notice?: string }) {
  return (
    <Layout title="Log in" bodyClass="auth-page">
      <div class="auth-wrap">
        <section class="panel auth-card">
          <Brand />
          <h1>Log in</h1>
          {props.notice ? <div class="notice" role="status">{props.notice}</div> : null}
          {props.error ? <div class="error-box" role="alert">{props.error}</div> : null}
          <form method="post" action="/login">
            <input type="hidden" name="next" value={props.next} />
            <div class="field">
              <label for="email">Email</label>
              <input id="email" name="email" type="email" autocomplete="username" required autofocus={!props.email} value={props.email ?? ""} />
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required autofocus={Boolean(props.email)} />
            </div>
            <button type="submit" class="btn primary wide">Log in</button>
          </form>
          <p class="muted small-print">Forgot the password? On the server run <code>loupe admin reset-password EMAIL</code>.</p>
        </section>
      </div>
    </Layout>
  );
}

export function SetupPage(props: FormProps) {
  const errors = props.fieldErrors ?? {};
  return (
    <Layout title="Set up" bodyClass="auth-page">
      <div class="auth-wrap">
        <section class="panel auth-card">
          <Brand />
          <h1>Welcome to {APP_NAME}</h1>
          <p class="muted">Create the admin account. You will use it to log in to this dashboard.</p>
          {props.error ? <div class="error-box" role="alert">{props.error}</div> : null}
          <form method="post" action="/setup">
            <div class="field">
              <label for="email">Admin email</label>
              <input id="email" name="email" type="email" autocomplete="username" required autofocus value={props.email ?? ""}
                aria-invalid={errors.email ? "true" : undefined} aria-describedby={errors.email ? "email-error" : undefined} />
              <FieldError id="email-error" message={errors.email} />
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="new-password" required minlength={PASSWORD_CHARS.min}
                aria-invalid={errors.password ? "true" : undefined} aria-describedby={errors.password ? "password-hint password-error" : "password-hint"} />
              <div class="muted field-hint" id="password-hint">At least {PASSWORD_CHARS.min} characters.</div>
              <FieldError id="password-error" message={errors.password} />
            </div>
            <div class="field">
              <label for="confirm">Repeat the password</label>
              <input id="confirm" name="confirm" type="password" autocomplete="new-password" required
                aria-invalid={errors.confirm ? "true" : undefined} aria-describedby={errors.confirm ? "confirm-error" : undefined} />
              <FieldError id="confirm-error" message={errors.confirm} />
            </div>
            <button type="submit" class="btn primary wide">Create admin and log in</button>
          </form>
        </section>
      </div>
    </Layout>
  );
}
