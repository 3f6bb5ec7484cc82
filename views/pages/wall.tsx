// The wall screen: full-screen, dark, readable across a room. Live the way every page is: htmx's
// WebSocket (hx-ws) with views/assets/live.js, the server pushing the tiles as HTML (views/live/pushes.tsx);
// wall.js only ticks the clock and flashes what is new. CSP-clean: no inline script or style.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { KIOSK_CLOSED } from "../../src/auth/kiosk";
import type { LoupeError } from "../../src/errors";
import type { WallFigures } from "../../src/live/wall-figures";
import { APP_NAME } from "../../src/version";
import { sourceLabel } from "../partials/badges";
import { formatClock, formatCount } from "../partials/format";
import { LiveScripts } from "../partials/live";

export interface WallPageProps {
  envName: string;
  timeZone: string;
  figures: WallFigures;
  /** WebSocket path: /live for the dashboard, /wall/<token>/live for a kiosk. */
  socketPath: string;
  /** The subscription live.js sends (environment, counter, masking). */
  view: Record<string, unknown>;
  version: string;
  /** Dashboard only: where to go back, and the counter choices. */
  dashboard?: { backHref: string; segments: { id: number; name: string }[]; selectedSegment: number | null; event: string | null; mask: boolean };
}

export const CHART = { width: 600, height: 200 } as const;

/**
 * Polyline points and the filled area under them, in the chart's viewBox, scaled to the busiest minute.
 * The chart spans the completed minutes side by side; each minute's count is drawn at its middle.
 */
export function chartGeometry(perMinute: number[]): { line: string; area: string; max: number } {
  const max = Math.max(1, ...perMinute);
  const step = CHART.width / Math.max(1, perMinute.length);
  const xs = perMinute.map((_, i) => ((i + 0.5) * step).toFixed(1));
  const pts = perMinute.map((n, i) => `${xs[i]},${(CHART.height - (n / max) * (CHART.height - 8)).toFixed(1)}`);
  return { line: pts.join(" "), area: `M${xs[0] ?? 0},${CHART.height} L${pts.join(" L")} L${xs[xs.length - 1] ?? CHART.width},${CHART.height} Z`, max };
}

/** The chart's time axis: clock times at its start, quarters and end (wall.css places them). */
export const AXIS_MARKS = 5;
function axisTimes(minuteStart: number, minutes: number, timeZone: string): string[] {
  return Array.from({ length: AXIS_MARKS }, (_, k) => formatClock(new Date(minuteStart + (k * minutes * 60_000) / (AXIS_MARKS - 1)), timeZone).slice(0, 5));
}

/** The tiles' container: each push replaces what is inside it. */
export const WALL_TILES_ID = "wall-tiles";

/** The document around a wall screen (dark, no referrer: kiosk URLs carry their token). */
function WallDocument(p: { title: string; scripts?: boolean; children: Child }) {
  return (
    <>
      {/* A constant, never data: JSX would escape it into visible text. */}
      {raw("<!doctype html>")}
      <html lang="en" data-theme="dark">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          {/* Kiosk URLs carry their token: never send it on as a Referer. */}
          <meta name="referrer" content="no-referrer" />
          <meta name="htmx-config" content='{"includeIndicatorCSS": false, "history": false}' />
          <title>{`${p.title} · ${APP_NAME}`}</title>
          <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/wall.css" />
          {p.scripts ? <script src="/assets/wall.js" defer></script> : null}
        </head>
        <body class="wall">
          {p.children}
          {p.scripts ? <LiveScripts /> : null}
        </body>
      </html>
    </>
  );
}

/** Why a kiosk link shows no numbers, in type a room can read. */
function ClosedMessage(p: { title: string }) {
  return (
    <>
      <h2>{p.title}</h2>
      <p>Ask whoever set up this screen for a new kiosk link (Loupe → Settings → Kiosk links).</p>
    </>
  );
}

export function WallPage(p: WallPageProps) {
  const live = {
    "hx-ws:connect": p.socketPath,
    "data-live-view": JSON.stringify(p.view),
    "data-live-version": p.version,
    // A screen nobody watches reloads itself into a new Loupe version, and says so when its link is revoked.
    "data-live-reload-on-upgrade": "",
    "data-live-revoked-text": KIOSK_CLOSED.revoked,
  };
  return (
    <WallDocument title={`Wall · ${p.envName}`} scripts>
      <main class="wall-grid" id="wall" data-version={p.version} data-time-zone={p.timeZone} {...live}>
        <header class="wall-head">
          <h1>{p.envName}</h1>
          <span class="live-state" data-live-state data-state="connecting" role="status">Connecting…</span>
          <span class="wall-clock" data-wall-clock></span>
          {p.dashboard ? <WallControls {...p.dashboard} /> : null}
        </header>
        <div class="wall-tiles" id={WALL_TILES_ID}>
          <WallTiles figures={p.figures} timeZone={p.timeZone} />
        </div>
        {/* Shown in place of the tiles once the link is revoked (wall.css, on the live state "revoked"). */}
        <section class="wall-closed wall-revoked" aria-live="assertive">
          <ClosedMessage title={KIOSK_CLOSED.revoked} />
        </section>
      </main>
    </WallDocument>
  );
}

/** A kiosk link that opens no wall (revoked, unknown): the whole screen says so. */
export function WallClosedPage(p: { error: LoupeError }) {
  return (
    <WallDocument title={p.error.message}>
      <main class="wall-closed wall-closed-page" role="alert" data-error-code={p.error.code}>
        <ClosedMessage title={p.error.message} />
      </main>
    </WallDocument>
  );
}

/** Every tile, as the page shows them and as each push replaces them. */
export function WallTiles(p: { figures: WallFigures; timeZone: string }) {
  const f = p.figures;
  const chart = chartGeometry(f.perMinute);
  return (
    <>
      <section class="tile tile-active" aria-label="Active users now">
        <h2>Active now</h2>
        <p class="big" data-figure="active">{formatCount(f.active)}</p>
        <p class="hint">users in the last 5 minutes</p>
      </section>
      <section class="tile tile-today" aria-label="Sessions today">
        <h2>Sessions today</h2>
        <p class="big" data-figure="sessionsToday">{formatCount(f.sessionsToday)}</p>
        <p class="hint">{p.timeZone}</p>
      </section>
      {f.counter ? (
        <section class="tile tile-counter" aria-label="Counter" data-counter>
          <h2 data-figure="counterLabel" title={f.counter.label}>{f.counter.label}</h2>
          <p class="big" data-figure="counter">{formatCount(f.counter.value)}</p>
          <p class="hint">{f.counter.unit}</p>
        </section>
      ) : null}
      <section class="tile tile-chart" aria-label="Events per minute over the last hour">
        <h2>Events per minute <span class="muted">· last hour</span></h2>
        <p class="chart-now"><span data-figure="perMinuteNow">{formatCount(f.thisMinute)}</span> so far this minute · peak <span data-figure="perMinuteMax">{formatCount(Math.max(0, ...f.perMinute))}</span> a minute</p>
        <svg class="chart" viewBox={`0 0 ${CHART.width} ${CHART.height}`} preserveAspectRatio="none" role="img" aria-label="Events per completed minute">
          <path class="chart-area" d={chart.area} data-chart-area />
          <polyline class="chart-line" points={chart.line} fill="none" data-chart-line />
        </svg>
        <div class="chart-axis" data-chart-axis aria-hidden="true">
          {axisTimes(f.minuteStart, f.perMinute.length, p.timeZone).map((t) => <span>{t}</span>)}
        </div>
      </section>
      <section class="tile tile-feed" aria-label="New sessions">
        <h2>New sessions</h2>
        <ul class="feed" data-feed>
          {f.feed.map((s) => (
            <li data-id={s.id}>
              <span class="who">{s.who}</span>
              <span class="src">{sourceLabel(s.source)}</span>
              <span class="where">{s.where || "Unknown location"}</span>
              <span class="page">{s.page}</span>
            </li>
          ))}
        </ul>
      </section>
      <section class="tile tile-top" aria-label="Top pages now">
        <h2>Top pages now</h2>
        <ol class="top" data-top>
          {f.topPages.map((t) => (
            <li><span class="page">{t.page}</span><span class="n">{formatCount(t.users)}</span></li>
          ))}
        </ol>
      </section>
      <section class="tile tile-rage" aria-label="Rage clicks in the last minute">
        <h2>Rage clicks</h2>
        <ul class="rage" data-rage>
          {f.rage.map((r) => (
            <li data-id={r.id}><span class="who">{r.who}</span> <span class="target">{r.target ? `“${r.target}”` : "(no text)"}</span> <span class="n">×{r.clicks}</span> <span class="page">{r.page}</span></li>
          ))}
        </ul>
        <p class="hint" data-rage-none hidden={f.rage.length > 0}>None in the last minute</p>
      </section>
    </>
  );
}

function WallControls(d: NonNullable<WallPageProps["dashboard"]>) {
  return (
    <form class="wall-controls" method="get">
      <label>
        Counter{" "}
        <select name="segment">
          <option value="">No segment</option>
          {d.segments.map((s) => (
            <option value={String(s.id)} selected={s.id === d.selectedSegment}>{s.name}</option>
          ))}
        </select>
      </label>
      <label>
        or event <input name="event" value={d.event ?? ""} placeholder="pageview, signup…" size={12} maxlength={1024} />
      </label>
      <label><input type="checkbox" name="mask" value="1" checked={d.mask} /> Mask identities</label>
      <button type="submit">Apply</button>
      <a href={d.backHref}>Exit</a>
    </form>
  );
}
