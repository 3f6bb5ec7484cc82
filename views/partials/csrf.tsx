import { CSRF } from "../../src/auth/middleware";

/** The session's CSRF token as a form field: every form that posts to the dashboard carries it. */
export function Csrf(props: { token?: string }) {
  return <input type="hidden" name={CSRF.field} value={props.token ?? ""} />;
}

/**
 * A button that posts to `action` (a state change): its own small form, carrying the CSRF token. With
 * `confirm`, the browser asks that question first (views/assets/app.js) and posts only on OK.
 */
export function PostButton(props: { action: string; csrfToken?: string; label: string; ariaLabel?: string; danger?: boolean; formClass?: string; confirm?: string }) {
  return (
    <form method="post" action={props.action} class={props.formClass} data-confirm={props.confirm}>
      <Csrf token={props.csrfToken} />
      <button type="submit" class={`btn small${props.danger ? " danger" : ""}`} aria-label={props.ariaLabel}>{props.label}</button>
    </form>
  );
}
