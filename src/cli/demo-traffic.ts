// The demo's simulated people: visits on web, iOS and Android the way people make them — a page is viewed
// before anything on it is clicked, a form's fields change before it is sent, seconds to a minute pass
// between steps, so sessions last minutes — turned into collection batches and Heap API calls, each
// event stamped with the moment it happens.
import type { Source } from "../events/model";
import * as C from "./demo-catalog";

type Rand = () => number;
export interface Device {
  source: Exclude<Source, "server">;
  userId: string;
  sessionId: string;
  agent: string;
  model: string;
  osVersion: string;
  screen: number[];
  viewport: number[];
  installed: boolean;
  /** Has sent anything yet. */
  sent?: boolean;
}
export interface Person {
  email: string;
  identified: boolean;
  company: string;
  plan: string;
  place: (typeof C.PLACES)[number];
  /** The public address this person's devices are seen from (sent as the batch's `ip`). */
  ip: string;
  devices: Device[];
}
type Step =
  | { do: "page"; path: string; referrer?: string; query?: string }
  | { do: "click"; target: C.Target; times?: number }
  | { do: "change"; field: number }
  | { do: "submit" }
  | { do: "identify" }
  | { do: "signup" }
  | { do: "custom"; name: string; props?: Record<string, string | number | boolean> }
  | { do: "open" }
  | { do: "screen"; name: string }
  | { do: "touch"; text: string }
  | { do: "server" };
/** One step of a visit and the pause (ms) before it: the time a person takes to read, think, type. */
export type Action = Step & { gapMs: number };
export interface Visit {
  person: Person;
  device: Device;
  actions: Action[];
  next: number;
  /** When the next action happens (ms since epoch). */
  dueAt: number;
  path: string;
  referrer: string;
  /** One of the opening visits (the story of a signup, a merge across devices, an anonymous app user). */
  story?: boolean;
}
/** What one action produces: messages for the device's batch and/or Heap server-API calls. */
export interface Output {
  messages: Record<string, unknown>[];
  heap: { path: "/api/track" | "/api/add_user_properties"; body: Record<string, unknown> }[];
}

const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
/** A pause of lo…hi seconds, in ms. */
const secs = (rand: Rand, lo: number, hi: number) => Math.round((lo + rand() * (hi - lo)) * 1000);
/** Apart within a rage burst: fast, but not one double-click. */
const RAGE_GAP_MS = 120;

export function newId53(rand: Rand): string {
  return String(Math.floor(rand() * 2 ** 21) * 2 ** 32 + Math.floor(rand() * 2 ** 32));
}

export function newPerson(rand: Rand, n: number): Person {
  const first = pick(rand, C.FIRST_NAMES), last = pick(rand, C.LAST_NAMES), company = pick(rand, C.COMPANIES), place = pick(rand, C.PLACES);
  // A neighbour of the place's address: same network, same country.
  const ip = place.ip.replace(/\d+$/, String(1 + Math.floor(rand() * 254)));
  return { email: `${first}.${last}${n}@${company.toLowerCase()}.example`, identified: false, company, plan: pick(rand, C.PLANS), place, ip, devices: [] };
}

export function newDevice(rand: Rand, source: Device["source"]): Device {
  const base = { userId: newId53(rand), sessionId: newId53(rand), installed: false };
  if (source === "web") {
    const a = pick(rand, C.WEB_AGENTS);
    return { ...base, source, agent: a.ua, model: "", osVersion: "", screen: a.screen, viewport: a.viewport };
  }
  const d = pick(rand, source === "ios" ? C.IOS_DEVICES : C.ANDROID_DEVICES);
  const agent = source === "ios" ? `${C.APP.name}/${C.APP.version} (${d.model}; iOS ${d.osVersion}) CFNetwork/1568 Darwin/24.1.0` : `${C.APP.name}/${C.APP.version} (Linux; Android ${d.osVersion}; ${d.model}) okhttp/4.12.0`;
  return { ...base, source, agent, model: d.model, osVersion: d.osVersion, screen: d.screen, viewport: d.screen };
}

/** A web visit: pages in the order they are reached, each viewed before its buttons are clicked. */
function webActions(rand: Rand, person: Person, opts: { signup?: boolean; server?: boolean }): Action[] {
  const out: Action[] = [];
  const add = (gapMs: number, step: Step) => out.push({ ...step, gapMs } as Action);
  const from = pick(rand, C.REFERRERS);
  let path = person.identified ? pick(rand, C.APP_PAGES) : pick(rand, C.LANDING_PAGES);
  add(0, { do: "page", path, referrer: from.referrer, query: from.query });
  for (let i = 0, pages = 1 + Math.floor(rand() * 4); i < pages; i++) {
    const here = C.WEB_PAGES[path] ?? C.WEB_PAGES["/"];
    const buttons = here.clicks.filter((t) => !t.href), links = here.clicks.filter((t) => t.href);
    // Reading the page first, then a click or two on it (now and then a burst of frustrated clicks).
    for (let k = 0, n = Math.floor(rand() * 3); k < n && buttons.length; k++) {
      add(k === 0 ? secs(rand, 8, 45) : secs(rand, 3, 20), { do: "click", target: pick(rand, buttons), times: rand() < 0.08 ? 3 + Math.floor(rand() * 3) : 1 });
    }
    if (i === pages - 1) break;
    const link = links.length && rand() < 0.7 ? pick(rand, links) : null;
    if (link?.href) {
      add(secs(rand, 4, 30), { do: "click", target: link });
      add(secs(rand, 0.3, 1.5), { do: "page", path: link.href });
      path = link.href;
    } else {
      path = pick(rand, person.identified ? C.APP_PAGES : C.PUBLIC_PAGES);
      add(secs(rand, 10, 60), { do: "page", path });
    }
  }
  if (!person.identified && (opts.signup || rand() < 0.35)) {
    add(secs(rand, 5, 25), { do: "page", path: "/signup" });
    // Each field is filled in (a change) before the form is sent; the account exists right after.
    C.SIGNUP_FORM.fields.forEach((_, field) => add(field === 0 ? secs(rand, 4, 12) : secs(rand, 3, 9), { do: "change", field }));
    add(secs(rand, 2, 6), { do: "submit" });
    add(secs(rand, 0.2, 0.6), { do: "signup" });
    add(secs(rand, 0.5, 1.5), { do: "page", path: "/app/dashboard" });
    add(secs(rand, 4, 20), { do: "click", target: pick(rand, C.WEB_PAGES["/app/dashboard"].clicks.filter((t) => !t.href)) });
  } else if (person.identified && rand() < 0.4) {
    add(secs(rand, 5, 30), { do: "custom", name: pick(rand, ["Product created", "Order refunded", "Report exported"]), props: { count: 1 + Math.floor(rand() * 9) } });
  }
  if (opts.server || (person.identified && rand() < 0.3)) add(secs(rand, 1, 5), { do: "server" });
  return out;
}

/** An app visit: the app opens on Home, then screens and taps; a new device may sign in early on. */
function appActions(rand: Rand, opts: { identifyMidway?: boolean }): Action[] {
  const out: Action[] = [{ do: "open", gapMs: 0 }, { do: "screen", name: "Home", gapMs: secs(rand, 1, 3) }];
  for (let i = 0, n = 3 + Math.floor(rand() * 6); i < n; i++) {
    out.push(rand() < 0.5 ? { do: "screen", name: pick(rand, C.SCREENS), gapMs: secs(rand, 5, 30) } : { do: "touch", text: pick(rand, C.TOUCHES), gapMs: secs(rand, 2, 15) });
    if (i === 0 && opts.identifyMidway) out.push({ do: "identify", gapMs: secs(rand, 2, 8) });
  }
  if (rand() < 0.3) out.push({ do: "custom", name: "Order placed", props: { total: Math.round(rand() * 20000) / 100, items: 1 + Math.floor(rand() * 4) }, gapMs: secs(rand, 5, 20) });
  return out;
}

/** The actions of one visit; `identifyMidway` makes a new device identify early on, `server` adds Heap API calls. */
export function planVisit(rand: Rand, person: Person, device: Device, opts: { signup?: boolean; server?: boolean; identifyMidway?: boolean } = {}, dueAt = Date.now()): Visit {
  const actions = device.source === "web" ? webActions(rand, person, opts) : appActions(rand, opts);
  return { person, device, actions, next: 0, dueAt, path: "/", referrer: "" };
}

/** How long a visit lasts, from its first action to its last (ms). */
export const visitLength = (v: Pick<Visit, "actions">) => v.actions.reduce((ms, a, i) => (i === 0 ? 0 : ms + a.gapMs), 0);

const uuid = () => crypto.randomUUID();

function webEvent(v: Visit, at: number, type: string, extra: Record<string, unknown> = {}, query = ""): Record<string, unknown> {
  const title = C.WEB_PAGES[v.path]?.title ?? "Acme";
  const url = `https://shop.acme.example${v.path}${query}`;
  return { kind: "event", id: uuid(), type, time: at, page: { url, domain: "shop.acme.example", path: v.path, query, hash: "", title, referrer: v.referrer },
    screen: { width: v.device.screen[0], height: v.device.screen[1] }, viewport: { width: v.device.viewport[0], height: v.device.viewport[1] }, ...extra };
}
function mobileEvent(v: Visit, at: number, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: "event", id: uuid(), type, time: at, page: { path: v.path, title: v.path }, screen: { width: v.device.screen[0], height: v.device.screen[1] }, ...extra };
}
const target = (t: C.Target) => {
  const last = t.hierarchy[t.hierarchy.length - 1];
  return { text: t.text, tag: last.tag, id: last.id ?? null, classes: last.classes ?? [], href: t.href ?? null, hierarchy: t.hierarchy };
};

/** Performs a visit's next action, at its due time `at` (ms), and moves the visit on to the one after. */
export function step(rand: Rand, v: Visit, envId: string, scale = 1): Output {
  const a = v.actions[v.next++];
  const at = v.dueAt;
  if (v.next < v.actions.length) v.dueAt += Math.max(1, Math.round(v.actions[v.next].gapMs * scale));
  const out: Output = { messages: [], heap: [] };
  const web = v.device.source === "web";
  const p = v.person;
  const event = (type: string, extra?: Record<string, unknown>) => (web ? webEvent(v, at, type, extra) : mobileEvent(v, at, type, extra));
  switch (a.do) {
    case "page":
      v.referrer = v.next > 1 ? `https://shop.acme.example${v.path}` : (a.referrer ?? "");
      v.path = a.path;
      if (v.next === 1) out.messages.push(webEvent(v, at, "session_start", {}, a.query));
      out.messages.push(webEvent(v, at, "pageview", {}, a.query ?? ""));
      break;
    case "click":
      for (let i = 0; i < (a.times ?? 1); i++) out.messages.push({ ...webEvent(v, at, "click", { target: target(a.target) }), time: at + i * RAGE_GAP_MS });
      break;
    case "change":
      out.messages.push(webEvent(v, at, "change", { target: target(C.SIGNUP_FORM.fields[a.field]) }));
      break;
    case "submit":
      out.messages.push(webEvent(v, at, "submit", { target: target({ text: "", hierarchy: C.SIGNUP_FORM.fields[0].hierarchy.slice(0, -1) }) }));
      break;
    case "signup":
    case "identify":
      p.identified = true;
      out.messages.push({ kind: "identify", id: uuid(), time: at, identity: p.email });
      out.messages.push({ kind: "user_properties", id: uuid(), time: at, properties: { email: p.email, company: p.company, plan: p.plan } });
      if (a.do === "signup") out.messages.push(event("custom", web ? { name: "Signed up", properties: { plan: p.plan } } : { name: "Signed up" }));
      break;
    case "custom":
      out.messages.push(event("custom", { name: a.name, properties: a.props }));
      break;
    case "open":
      v.path = "Launch";
      if (!v.device.installed) out.messages.push(mobileEvent(v, at, "app_install"));
      v.device.installed = true;
      out.messages.push(mobileEvent(v, at, "session_start"), mobileEvent(v, at, "app_open"));
      break;
    case "screen":
      v.path = a.name;
      out.messages.push(mobileEvent(v, at, "screen_view"));
      break;
    case "touch":
      out.messages.push(mobileEvent(v, at, "touch", { target: { text: a.text, tag: v.device.source === "ios" ? "UIButton" : "android.widget.Button", id: null, classes: [], href: null, hierarchy: [{ tag: "Window" }, { tag: `${v.path}Screen` }, { tag: v.device.source === "ios" ? "UIButton" : "Button", attrs: { "aria-label": a.text } }] } }));
      break;
    case "server":
      out.heap.push({ path: "/api/track", body: { app_id: envId, identity: p.email, event: pick(rand, ["Invoice paid", "Subscription renewed", "Webhook delivered"]), properties: { amount: Math.round(rand() * 50000) / 100, currency: "USD" }, timestamp: new Date(at).toISOString(), idempotency_key: uuid() } });
      out.heap.push({ path: "/api/add_user_properties", body: { app_id: envId, identity: p.email, properties: { plan: p.plan, billing: rand() < 0.5 ? "monthly" : "yearly" } } });
      break;
  }
  return out;
}

/**
 * The collection batch for one device's messages (docs/collect-protocol.md). The demo sends from this
 * machine on behalf of people elsewhere, as a backend relaying app events does, so it names each person's
 * address in `ip`: locations then show on a plain `npm start`, with no proxy to trust.
 */
export function collectBody(envId: string, d: Device, person: Person, messages: Record<string, unknown>[]): Record<string, unknown> {
  const device = d.source === "web" ? undefined : { appName: C.APP.name, appVersion: C.APP.version, os: d.source === "ios" ? "iOS" : "Android", osVersion: d.osVersion, model: d.model };
  const library = d.source === "web" ? { name: "loupe.js", version: "demo" } : { name: d.source === "ios" ? "loupe-ios" : "loupe-android", version: "demo" };
  return { envId, source: d.source, library, ...(device ? { device } : {}), userId: d.userId, sessionId: d.sessionId, sentAt: Date.now(), ip: person.ip, messages };
}

/** Request headers: the device's user agent (the backend's own for Heap API calls). */
export function headersFor(d: Device | null): Record<string, string> {
  return { "content-type": "application/json", "user-agent": d?.agent ?? "acme-backend/1.0" };
}
