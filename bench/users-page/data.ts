// A realistic synthetic environment: power-law activity (a few users with thousands of events, most with
// a handful), web/iOS/Android/server sources, identities, emails, varied user/initial/event properties.
export const SCALES = {
  small: { users: 2_000, events: 60_000 },
  medium: { users: 20_000, events: 600_000 },
  full: { users: 100_000, events: 6_000_000 },
} as const;
export type Scale = keyof typeof SCALES;

const DAY = 86_400_000;
export const SPAN_DAYS = 90;

/** Deterministic PRNG (mulberry32) so runs are comparable. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const zipf = (r: () => number, n: number, s = 1.1) => Math.min(n - 1, Math.floor(n * Math.pow(r(), 1 + s)));
const pick = <T>(r: () => number, xs: readonly T[], skew = true): T => xs[skew ? zipf(r, xs.length) : Math.floor(r() * xs.length)];

const COMPANIES = Array.from({ length: 2000 }, (_, i) => `${["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell", "cyberdyne"][i % 10]}${i}`);
const PLANS = ["free", "pro", "team", "enterprise", "trial"] as const;
const ROLES = ["admin", "member", "viewer", "owner", "billing"] as const;
const COUNTRIES = [["United States", "New York"], ["Germany", "Berlin"], ["France", "Paris"], ["United Kingdom", "London"], ["India", "Bengaluru"], ["Brazil", "São Paulo"], ["Japan", "Tokyo"], ["Canada", "Toronto"], ["Spain", "Madrid"], ["Netherlands", "Amsterdam"], ["Poland", "Warsaw"], ["Australia", "Sydney"], ["Mexico", "Mexico City"], ["Italy", "Milan"], ["Sweden", "Stockholm"]] as const;
const BROWSERS = ["Chrome", "Safari", "Firefox", "Edge", "Samsung Internet"] as const;
const OSES = ["Windows", "macOS", "iOS", "Android", "Linux"] as const;
const REFERRERS = ["direct", "https://www.google.com/", "https://news.ycombinator.com/", "https://twitter.com/", "https://www.bing.com/", "https://github.com/"] as const;
const UTM = ["google", "newsletter", "twitter", "linkedin", "producthunt"] as const;
const PATHS = Array.from({ length: 300 }, (_, i) => ["/", "/pricing", "/docs", "/blog", "/signup", "/login", "/app", "/settings", "/features", "/about"][i % 10] + (i >= 10 ? `/${i}` : ""));
const CUSTOM = ["Signed up", "Logged in", "Added to cart", "Checkout started", "Purchase completed", "Invited teammate", "Created project", "Exported report", "Upgraded plan", "Searched", "Viewed dashboard", "Shared link"] as const;
const BUTTONS = ["Buy now", "Sign up", "Continue", "Save", "Cancel", "Next", "Add to cart", "Learn more", "Download", "Submit"] as const;

export interface GenUser {
  id: number; identity: string | null; properties: Record<string, unknown>; initial: Record<string, unknown>;
  firstSeen: number; lastSeen: number;
}
export interface GenSession {
  id: number; userId: number; source: string; browser: string | null; os: string; deviceType: string; country: string; city: string;
  referrer: string; landingPage: string; utmSource: string | null; startedAt: number; lastAt: number; eventCount: number;
}
export interface GenEvent {
  id: string; userId: number; sessionId: number; time: number; type: string; name: string | null; source: string;
  path: string | null; title: string | null; targetText: string | null; targetTag: string | null; hierarchy: string | null; rage: boolean; props: Record<string, unknown>;
}

/** Large, unique ids below 2^53 (the PRNG's 32-bit state would repeat plain random draws at this scale). */
const userId = (n: number, r: () => number) => 1_000_000_000_000_000 + n * 1000 + Math.floor(r() * 1000);
let sessionSeq = 0;
const sessionId = (r: () => number) => 3_000_000_000_000_000 + sessionSeq++ * 100 + Math.floor(r() * 100);

/** Yields users with their sessions and events, user by user (bounded memory). */
export function* generate(scale: Scale, now: number, seed = 42): Generator<{ user: GenUser; sessions: GenSession[]; events: GenEvent[] }> {
  const { users, events: targetEvents } = SCALES[scale];
  const r = rng(seed);
  const meanEventsPerSession = 9;
  // Pareto(alpha) sessions per user, scaled so the total lands near the target.
  const alpha = 1.25;
  const meanSessions = targetEvents / users / meanEventsPerSession;
  const xm = (meanSessions * (alpha - 1)) / alpha;
  for (let u = 0; u < users; u++) {
    const sessionsN = Math.max(1, Math.min(4000, Math.round(xm / Math.pow(1 - r(), 1 / alpha))));
    const firstSeen = now - r() * SPAN_DAYS * DAY;
    // Heavier users are more likely to still be active recently.
    const activeSpan = Math.min(1, 0.15 + sessionsN / 40) * (now - firstSeen);
    const lastSeenTarget = firstSeen + activeSpan * Math.pow(r(), 0.3);
    const roll = r();
    const primary = roll < 0.7 ? "web" : roll < 0.82 ? "ios" : roll < 0.92 ? "android" : "server";
    const [country, city] = pick(r, COUNTRIES);
    const company = pick(r, COMPANIES);
    const identified = r() < 0.6;
    const email = r() < 0.75 || identified ? `user${u}@${company}.com` : undefined;
    const properties: Record<string, unknown> = {
      plan: pick(r, PLANS), role: pick(r, ROLES), company, seats: 1 + zipf(r, 500), ...(email ? { email } : {}),
      ...(r() < 0.3 ? { beta: r() < 0.5 ? "yes" : "no" } : {}), ...(r() < 0.2 ? { nps: Math.floor(r() * 11) } : {}),
    };
    const browser = primary === "web" ? pick(r, BROWSERS) : null;
    const os = primary === "ios" ? "iOS" : primary === "android" ? "Android" : pick(r, OSES);
    const referrer = pick(r, REFERRERS);
    const utm = r() < 0.3 ? pick(r, UTM) : null;
    const landing = pick(r, PATHS);
    const initial: Record<string, unknown> = {
      browser, os, device_type: primary === "web" ? (r() < 0.8 ? "Desktop" : "Mobile") : primary === "server" ? null : "Mobile",
      country, city, referrer, landing_page: landing, source: primary, ...(utm ? { utm_source: utm, utm_campaign: `${utm}-q${1 + Math.floor(r() * 4)}` } : {}),
    };
    const user: GenUser = { id: userId(u, r), identity: identified ? email ?? `user${u}` : null, properties, initial, firstSeen, lastSeen: firstSeen };
    const sessions: GenSession[] = [];
    const events: GenEvent[] = [];
    for (let s = 0; s < sessionsN; s++) {
      const startedAt = Math.min(now - 60_000, s === 0 ? firstSeen : firstSeen + (lastSeenTarget - firstSeen) * Math.pow(r(), 0.6));
      const source = r() < 0.85 ? primary : pick(r, ["web", "ios", "android"] as const, false);
      const mobile = source === "ios" || source === "android";
      const n = 1 + Math.floor(r() * (2 * meanEventsPerSession - 1));
      const session: GenSession = {
        id: sessionId(r), userId: user.id, source, browser: mobile ? null : browser ?? "Chrome", os: source === "ios" ? "iOS" : source === "android" ? "Android" : os,
        deviceType: mobile ? "Mobile" : "Desktop", country, city, referrer: s === 0 ? referrer : pick(r, REFERRERS), landingPage: s === 0 ? landing : pick(r, PATHS),
        utmSource: s === 0 ? utm : null, startedAt, lastAt: startedAt, eventCount: n,
      };
      let t = startedAt;
      for (let e = 0; e < n; e++) {
        const k = r();
        let type: string, name: string | null = null, path: string | null = null, title: string | null = null;
        let targetText: string | null = null, targetTag: string | null = null, hierarchy: string | null = null;
        const props: Record<string, unknown> = {};
        if (source === "server" || k > 0.9) {
          type = "custom"; name = pick(r, CUSTOM);
          if (name === "Purchase completed" || name === "Checkout started") props.amount = Math.round(r() * 50000) / 100;
          if (r() < 0.5) props.plan = properties.plan;
        } else if (e === 0) {
          type = mobile ? "app_open" : "session_start";
        } else if (k < 0.45) {
          type = mobile ? "screen_view" : "pageview"; path = pick(r, PATHS); title = `${path} · Acme`;
          if (!mobile && r() < 0.2) props.query = `?ref=${pick(r, UTM)}`;
        } else if (k < 0.8) {
          type = mobile ? "touch" : "click"; targetText = pick(r, BUTTONS); targetTag = r() < 0.7 ? "button" : "a";
          hierarchy = `body|div#app|main|${targetTag}.${targetText.toLowerCase().replace(/ /g, "-")}`; path = pick(r, PATHS);
        } else if (k < 0.86) {
          type = "change"; targetTag = "input"; hierarchy = "body|form#signup|input[name=email]"; path = "/signup";
        } else {
          type = "submit"; targetTag = "form"; hierarchy = "body|form#signup"; path = "/signup";
        }
        const rage = type === "click" && r() < 0.01;
        events.push({ id: crypto.randomUUID(), userId: user.id, sessionId: session.id, time: Math.min(t, now - 1000), type, name, source, path, title, targetText, targetTag, hierarchy, rage, props });
        session.lastAt = Math.min(t, now - 1000);
        t += (rage ? 0.3 : 5 + r() * 60) * 1000;
      }
      sessions.push(session);
      if (session.lastAt > user.lastSeen) user.lastSeen = session.lastAt;
    }
    yield { user, sessions, events };
  }
}
