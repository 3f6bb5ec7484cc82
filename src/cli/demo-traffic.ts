// The demo's simulated people: visits on web, iOS and Android turned into collection batches and
// Heap API calls. Visits advance one action per turn so a dashboard watching them sees them live.
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
  devices: Device[];
}
type Action =
  | { do: "page"; path: string; referrer?: string; query?: string }
  | { do: "click"; target: C.Target; times?: number }
  | { do: "form" }
  | { do: "identify" }
  | { do: "signup" }
  | { do: "custom"; name: string; props?: Record<string, string | number | boolean> }
  | { do: "open" }
  | { do: "screen"; name: string }
  | { do: "touch"; text: string }
  | { do: "server" };
export interface Visit {
  person: Person;
  device: Device;
  actions: Action[];
  next: number;
  path: string;
  referrer: string;
  /** One of the opening visits, advanced every turn. */
  story?: boolean;
}
/** What one action produces: messages for the device's batch and/or Heap server-API calls. */
export interface Output {
  messages: Record<string, unknown>[];
  heap: { path: "/api/track" | "/api/add_user_properties"; body: Record<string, unknown> }[];
}

const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
export function newId53(rand: Rand): string {
  return String(Math.floor(rand() * 2 ** 21) * 2 ** 32 + Math.floor(rand() * 2 ** 32));
}

export function newPerson(rand: Rand, n: number): Person {
  const first = pick(rand, C.FIRST_NAMES), last = pick(rand, C.LAST_NAMES), company = pick(rand, C.COMPANIES);
  return { email: `${first}.${last}${n}@${company.toLowerCase()}.example`, identified: false, company, plan: pick(rand, C.PLANS), place: pick(rand, C.PLACES), devices: [] };
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

/** The actions of one visit; `identifyMidway` makes a new device identify mid-visit, `server` adds Heap API calls. */
export function planVisit(rand: Rand, person: Person, device: Device, opts: { signup?: boolean; server?: boolean; identifyMidway?: boolean } = {}): Visit {
  const actions: Action[] = [];
  if (device.source === "web") {
    const from = pick(rand, C.REFERRERS);
    const start = person.identified ? pick(rand, C.APP_PAGES) : pick(rand, C.LANDING_PAGES);
    actions.push({ do: "page", path: start, referrer: from.referrer, query: from.query });
    for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) {
      const page = C.WEB_PAGES[start] ?? C.WEB_PAGES["/"];
      actions.push({ do: "click", target: pick(rand, page.clicks), times: rand() < 0.08 ? 3 + Math.floor(rand() * 3) : 1 });
      if (rand() < 0.5) actions.push({ do: "page", path: pick(rand, person.identified ? C.APP_PAGES : Object.keys(C.WEB_PAGES).filter((p) => !p.startsWith("/app"))) });
    }
    if (!person.identified && (opts.signup || rand() < 0.35)) {
      actions.push({ do: "page", path: "/signup" }, { do: "form" }, { do: "signup" }, { do: "page", path: "/app/dashboard" }, { do: "click", target: pick(rand, C.WEB_PAGES["/app/dashboard"].clicks) });
    } else if (person.identified && rand() < 0.4) {
      actions.push({ do: "custom", name: pick(rand, ["Product created", "Order refunded", "Report exported"]), props: { count: 1 + Math.floor(rand() * 9) } });
    }
    if (opts.server || (person.identified && rand() < 0.3)) actions.push({ do: "server" });
  } else {
    actions.push({ do: "open" }, { do: "screen", name: "Home" });
    for (let i = 0, n = 2 + Math.floor(rand() * 4); i < n; i++) {
      actions.push(rand() < 0.5 ? { do: "screen", name: pick(rand, C.SCREENS) } : { do: "touch", text: pick(rand, C.TOUCHES) });
      if (i === 0 && opts.identifyMidway) actions.push({ do: "identify" });
    }
    if (rand() < 0.3) actions.push({ do: "custom", name: "Order placed", props: { total: Math.round(rand() * 20000) / 100, items: 1 + Math.floor(rand() * 4) } });
  }
  return { person, device, actions, next: 0, path: "/", referrer: "" };
}

const uuid = () => crypto.randomUUID();

function webEvent(v: Visit, type: string, extra: Record<string, unknown> = {}, query = ""): Record<string, unknown> {
  const title = C.WEB_PAGES[v.path]?.title ?? "Acme";
  const url = `https://shop.acme.example${v.path}${query}`;
  return { kind: "event", id: uuid(), type, time: Date.now(), page: { url, domain: "shop.acme.example", path: v.path, query, hash: "", title, referrer: v.referrer },
    screen: { width: v.device.screen[0], height: v.device.screen[1] }, viewport: { width: v.device.viewport[0], height: v.device.viewport[1] }, ...extra };
}
function mobileEvent(v: Visit, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: "event", id: uuid(), type, time: Date.now(), page: { path: v.path, title: v.path }, screen: { width: v.device.screen[0], height: v.device.screen[1] }, ...extra };
}
const target = (t: C.Target) => {
  const last = t.hierarchy[t.hierarchy.length - 1];
  return { text: t.text, tag: last.tag, id: last.id ?? null, classes: last.classes ?? [], href: t.href ?? null, hierarchy: t.hierarchy };
};

/** Performs a visit's next action. */
export function step(rand: Rand, v: Visit, envId: string): Output {
  const a = v.actions[v.next++];
  const out: Output = { messages: [], heap: [] };
  const web = v.device.source === "web";
  const p = v.person;
  switch (a.do) {
    case "page":
      if (v.next > 1) v.referrer = `https://shop.acme.example${v.path}`;
      else v.referrer = a.referrer ?? "";
      v.path = a.path;
      if (v.next === 1) out.messages.push(webEvent(v, "session_start", {}, a.query));
      out.messages.push(webEvent(v, "pageview", {}, a.query ?? ""));
      break;
    case "click":
      for (let i = 0; i < (a.times ?? 1); i++) out.messages.push({ ...webEvent(v, "click", { target: target(a.target) }), time: Date.now() + i * 120 });
      if (a.target.href) v.path = a.target.href;
      break;
    case "form":
      for (const f of C.SIGNUP_FORM.fields) out.messages.push(webEvent(v, "change", { target: target(f) }));
      out.messages.push(webEvent(v, "submit", { target: target({ text: "", hierarchy: C.SIGNUP_FORM.fields[0].hierarchy.slice(0, -1) }) }));
      break;
    case "signup":
    case "identify":
      p.identified = true;
      out.messages.push({ kind: "identify", id: uuid(), time: Date.now(), identity: p.email });
      out.messages.push({ kind: "user_properties", id: uuid(), time: Date.now(), properties: { email: p.email, company: p.company, plan: p.plan } });
      if (a.do === "signup") out.messages.push(web ? webEvent(v, "custom", { name: "Signed up", properties: { plan: p.plan } }) : mobileEvent(v, "custom", { name: "Signed up" }));
      break;
    case "custom":
      out.messages.push(web ? webEvent(v, "custom", { name: a.name, properties: a.props }) : mobileEvent(v, "custom", { name: a.name, properties: a.props }));
      break;
    case "open":
      v.path = "Launch";
      if (!v.device.installed) out.messages.push(mobileEvent(v, "app_install"));
      v.device.installed = true;
      out.messages.push(mobileEvent(v, "session_start"), mobileEvent(v, "app_open"));
      break;
    case "screen":
      v.path = a.name;
      out.messages.push(mobileEvent(v, "screen_view"));
      break;
    case "touch":
      out.messages.push(mobileEvent(v, "touch", { target: { text: a.text, tag: v.device.source === "ios" ? "UIButton" : "android.widget.Button", id: null, classes: [], href: null, hierarchy: [{ tag: "Window" }, { tag: `${v.path}Screen` }, { tag: v.device.source === "ios" ? "UIButton" : "Button", attrs: { "aria-label": a.text } }] } }));
      break;
    case "server":
      out.heap.push({ path: "/api/track", body: { app_id: envId, identity: p.email, event: pick(rand, ["Invoice paid", "Subscription renewed", "Webhook delivered"]), properties: { amount: Math.round(rand() * 50000) / 100, currency: "USD" }, idempotency_key: uuid() } });
      out.heap.push({ path: "/api/add_user_properties", body: { app_id: envId, identity: p.email, properties: { plan: p.plan, billing: rand() < 0.5 ? "monthly" : "yearly" } } });
      break;
  }
  return out;
}

/** The collection batch for one device's messages (docs/collect-protocol.md). */
export function collectBody(envId: string, d: Device, messages: Record<string, unknown>[]): Record<string, unknown> {
  const device = d.source === "web" ? undefined : { appName: C.APP.name, appVersion: C.APP.version, os: d.source === "ios" ? "iOS" : "Android", osVersion: d.osVersion, model: d.model };
  const library = d.source === "web" ? { name: "loupe.js", version: "demo" } : { name: d.source === "ios" ? "loupe-ios" : "loupe-android", version: "demo" };
  return { envId, source: d.source, library, ...(device ? { device } : {}), userId: d.userId, sessionId: d.sessionId, sentAt: Date.now(), messages };
}

/** Request headers: the device's user agent, and CDN location headers Loupe trusts only behind LOUPE_TRUST_PROXY. */
export function headersFor(d: Device | null, place: Person["place"]): Record<string, string> {
  return { "content-type": "application/json", "user-agent": d?.agent ?? "acme-backend/1.0", "x-forwarded-for": place.ip, "cf-ipcountry": place.country, "cf-region-code": place.region, "cf-ipcity": encodeURIComponent(place.city) };
}
