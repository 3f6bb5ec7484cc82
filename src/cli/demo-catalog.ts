// What the demo's imaginary product looks like: its pages, buttons, app screens, visitors and devices.
// Plain data; demo-traffic.ts turns it into visits.

export interface Step {
  tag: string;
  id?: string;
  classes?: string[];
  attrs?: Record<string, string>;
}

export interface Target {
  text: string;
  /** Root-first, as the snippet sends it; the last step is the element. */
  hierarchy: Step[];
  href?: string;
}

const shell: Step[] = [{ tag: "html" }, { tag: "body", classes: ["site"] }, { tag: "div", id: "root", classes: ["layout"] }];
const nav = (label: string, href: string): Target => ({
  text: label,
  href,
  hierarchy: [...shell, { tag: "header", classes: ["topbar"], attrs: { role: "banner" } }, { tag: "nav", classes: ["main-nav"], attrs: { "aria-label": "Main" } },
    { tag: "a", classes: ["nav-link"], attrs: { "data-nav": label.toLowerCase().replace(/\s+/g, "-") } }],
});
const button = (text: string, id: string, classes: string[], parent: Step[] = [{ tag: "main", id: "content" }]): Target => ({
  text,
  hierarchy: [...shell, ...parent, { tag: "button", id, classes, attrs: { type: "button", "data-test": id } }],
});
const field = (form: string, name: string, type: string): Target => ({
  text: "",
  hierarchy: [...shell, { tag: "main", id: "content" }, { tag: "form", id: form, attrs: { name: form } }, { tag: type === "select" ? "select" : "input", id: name, attrs: type === "select" ? { name } : { name, type } }],
});

export const WEB_PAGES: Record<string, { title: string; clicks: Target[] }> = {
  "/": { title: "Acme: run your shop", clicks: [nav("Pricing", "/pricing"), nav("Features", "/features"), button("Start free trial", "hero-cta", ["btn", "btn-primary"]), button("Watch the demo", "video", ["btn", "btn-ghost"])] },
  "/pricing": { title: "Pricing · Acme", clicks: [button("Choose Pro", "choose-pro", ["btn", "plan-cta"], [{ tag: "main", id: "content" }, { tag: "section", classes: ["plans"] }, { tag: "div", classes: ["plan", "plan-pro"], attrs: { "data-plan": "pro" } }]), button("Yearly", "billing-yearly", ["toggle"]), nav("Sign up", "/signup")] },
  "/features": { title: "Features · Acme", clicks: [button("Inventory", "tab-inventory", ["tab"]), button("Checkout", "tab-checkout", ["tab"]), nav("Pricing", "/pricing")] },
  "/blog/launch-week": { title: "Launch week recap · Acme blog", clicks: [button("Share", "share", ["icon-btn"]), nav("Features", "/features")] },
  "/signup": { title: "Create your account · Acme", clicks: [button("Continue with Google", "google", ["btn", "btn-oauth"])] },
  "/app/dashboard": { title: "Dashboard · Acme", clicks: [button("New product", "new-product", ["btn", "btn-primary"]), button("Export", "export", ["btn"]), nav("Orders", "/app/orders")] },
  "/app/orders": { title: "Orders · Acme", clicks: [button("Refund", "refund", ["btn", "btn-danger"]), button("Print label", "print", ["btn"]), nav("Dashboard", "/app/dashboard")] },
  "/app/settings": { title: "Settings · Acme", clicks: [button("Save", "save", ["btn", "btn-primary"]), button("Invite teammate", "invite", ["btn"])] },
  "/checkout": { title: "Checkout · Acme", clicks: [button("Pay now", "pay", ["btn", "btn-primary"]), button("Apply coupon", "coupon", ["btn", "btn-link"])] },
};
export const LANDING_PAGES = ["/", "/", "/", "/pricing", "/features", "/blog/launch-week"];
export const APP_PAGES = ["/app/dashboard", "/app/orders", "/app/settings", "/checkout"];

/** A form a visitor fills in: change events on its fields (never values), then submit. */
export const SIGNUP_FORM = { id: "signup", fields: [field("signup", "email", "email"), field("signup", "company", "text"), field("signup", "plan", "select")] };

export const SCREENS = ["Home", "Search", "Product", "Cart", "Checkout", "Orders", "Profile", "Settings"];
export const TOUCHES = ["Add to cart", "Buy now", "Search", "Filter", "Share", "Favourite", "Back"];

export const REFERRERS: { referrer: string; query: string }[] = [
  { referrer: "", query: "" },
  { referrer: "", query: "" },
  { referrer: "https://www.google.com/", query: "" },
  { referrer: "https://www.google.com/", query: "?utm_source=google&utm_medium=cpc&utm_campaign=spring_sale&utm_term=shop+software" },
  { referrer: "https://news.ycombinator.com/", query: "" },
  { referrer: "https://t.co/", query: "?utm_source=twitter&utm_medium=social&utm_campaign=launch_week" },
  { referrer: "https://www.producthunt.com/", query: "?utm_source=producthunt" },
  { referrer: "https://duckduckgo.com/", query: "" },
  { referrer: "", query: "?utm_source=newsletter&utm_medium=email&utm_campaign=november&utm_content=hero" },
];

export const WEB_AGENTS = [
  { ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36", screen: [1920, 1080], viewport: [1536, 864] },
  { ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", screen: [1512, 982], viewport: [1440, 820] },
  { ua: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", screen: [2560, 1440], viewport: [1280, 1300] },
  { ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0", screen: [1366, 768], viewport: [1366, 657] },
  { ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", screen: [390, 844], viewport: [390, 664] },
  { ua: "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36", screen: [412, 915], viewport: [412, 780] },
  { ua: "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", screen: [820, 1180], viewport: [820, 1100] },
];

export const IOS_DEVICES = [
  { model: "iPhone16,2", osVersion: "18.1", screen: [430, 932] },
  { model: "iPhone15,3", osVersion: "17.6", screen: [430, 932] },
  { model: "iPhone14,7", osVersion: "18.0", screen: [390, 844] },
];
export const ANDROID_DEVICES = [
  { model: "Pixel 9", osVersion: "15", screen: [412, 915] },
  { model: "SM-S928B", osVersion: "14", screen: [384, 824] },
  { model: "OnePlus 12", osVersion: "14", screen: [412, 919] },
];
export const APP = { name: "Acme", version: "3.4.0" };

/** Public pages a visitor may type or come back to (the app's own pages need an account). */
export const PUBLIC_PAGES = ["/", "/pricing", "/features", "/blog/launch-week"];

/**
 * Where the demo's people are: a country and an address in it (networks of hosting and public
 * institutions, so no one's home). Each person gets a neighbour of it; test/cli/demo.test.ts checks that
 * every one of them is located in its country by the database embedded in Loupe.
 */
export const PLACES = [
  { country: "US", ip: "151.101.1.69" },
  { country: "US", ip: "8.8.8.8" },
  { country: "GB", ip: "212.58.244.20" },
  { country: "DE", ip: "5.9.0.1" },
  { country: "FR", ip: "62.210.16.6" },
  { country: "BR", ip: "200.160.2.3" },
  { country: "JP", ip: "133.242.0.3" },
  { country: "IN", ip: "49.204.0.1" },
];

export const FIRST_NAMES = ["ada", "grace", "alan", "linus", "margaret", "ken", "barbara", "dennis", "radia", "tim", "frances", "guido", "sophie", "yukihiro", "anita", "vint"];
export const LAST_NAMES = ["lovelace", "hopper", "turing", "torvalds", "hamilton", "thompson", "liskov", "ritchie", "perlman", "berners", "allen", "rossum", "wilson", "matsumoto", "borg", "cerf"];
export const COMPANIES = ["Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark"];
export const PLANS = ["free", "starter", "pro", "enterprise"];
