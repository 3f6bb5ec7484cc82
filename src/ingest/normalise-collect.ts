// Normalise step for the collection endpoint (docs/collect-protocol.md): one device, one user id, one
// session id per batch. Clock skew is corrected with `sentAt` (times.ts); page-made strings are clipped to limits.
import { builtInProps, type EventType, type Source } from "../events/model";
import { pageUrl as rebuildPageUrl } from "../events/page-url";
import { LIMITS } from "../limits";
import type { JsonObject } from "../db/schema";
import { hierarchyString, type HierarchyStep } from "./hierarchy";
import { referrerOf, utmFrom } from "./page";
import { skewCorrection, timeWarning } from "./times";
import { clip } from "./wire-text";
import { emptyDevice, type IngestEvent, type IngestRequest, type Landing, type Message } from "./types";

interface Size { width: number; height: number }
interface Page { url?: string | null; domain?: string | null; path?: string | null; query?: string | null; hash?: string | null; title?: string | null; referrer?: string | null }

export interface CollectEventInput {
  kind: "event";
  id: string;
  type: EventType;
  name?: string | null;
  time: number;
  page?: Page | null;
  screen?: Size | null;
  viewport?: Size | null;
  target?: { text?: string | null; tag?: string | null; id?: string | null; classes?: string[] | null; href?: string | null; hierarchy?: HierarchyStep[] | null } | null;
  properties: JsonObject;
}

export interface CollectInput {
  envId: string;
  source: Exclude<Source, "server">;
  library?: { name?: string | null; version?: string | null } | null;
  device?: { appName?: string | null; appVersion?: string | null; os?: string | null; osVersion?: string | null; model?: string | null } | null;
  userId: number;
  sessionId: number;
  sentAt?: number | null;
  messages: (CollectEventInput | { kind: "identify"; time: number; identity: string } | { kind: "user_properties"; time: number; properties: JsonObject })[];
}

const SHORT = 256;

const pageUrl = (p: Page) => clip(rebuildPageUrl(p), LIMITS.urlChars);

function landingOf(m: CollectEventInput): Landing | null {
  if (m.type !== "pageview" && m.type !== "screen_view") return null;
  const page = m.page ?? {};
  const url = pageUrl(page);
  if (!url) return null;
  return { page: url, referrer: referrerOf(page.referrer), utm: utmFrom(page.url ?? page.query) };
}

function eventProps(m: CollectEventInput): JsonObject {
  const props: JsonObject = Object.assign(Object.create(null), m.properties);
  const page = m.page ?? {};
  return Object.assign(props, builtInProps({
    url: pageUrl(page), query: clip(page.query, LIMITS.urlChars), hash: clip(page.hash, LIMITS.urlChars),
    referrer: m.type === "pageview" ? clip(page.referrer, LIMITS.urlChars) : null,
    screenWidth: m.screen?.width, screenHeight: m.screen?.height,
    viewportWidth: m.viewport?.width, viewportHeight: m.viewport?.height,
    targetId: clip(m.target?.id, LIMITS.propertyValueChars),
    targetClass: clip(m.target?.classes?.join(" "), LIMITS.propertyValueChars),
  }));
}

export function normaliseCollect(input: CollectInput, now = Date.now()): IngestRequest {
  const corrected = skewCorrection(input.sentAt, now);
  let outOfRange = 0;
  const messages: Message[] = input.messages.map((m): Message => {
    // Identify and user-properties times only order changes: one outside the window is taken as now.
    if (m.kind === "identify") return { kind: "identify", identity: m.identity, time: corrected(m.time) ?? now };
    if (m.kind === "user_properties") return { kind: "user_properties", properties: m.properties, time: corrected(m.time) ?? now };
    const page = m.page ?? {};
    const time = corrected(m.time);
    if (time === null) outOfRange++;
    const event: IngestEvent = {
      id: m.id, mintedId: false, type: m.type, name: m.type === "custom" ? (m.name ?? null) : null, time: time ?? now, source: input.source,
      domain: clip(page.domain, SHORT), path: clip(page.path, LIMITS.urlChars), title: clip(page.title, LIMITS.propertyValueChars),
      targetText: clip(m.target?.text?.trim(), LIMITS.targetTextChars), targetTag: clip(m.target?.tag?.toLowerCase(), 64),
      hierarchy: m.target?.hierarchy ? hierarchyString(m.target.hierarchy) : null, href: clip(m.target?.href, LIMITS.urlChars),
      props: eventProps(m), landing: landingOf(m), rage: false, userId: input.userId, sessionId: input.sessionId,
      dropped: time === null ? "time_out_of_range" : null,
    };
    return { kind: "event", event };
  });
  const device = emptyDevice();
  device.library = clip([input.library?.name, input.library?.version].filter(Boolean).join(" "), 128);
  if (input.source !== "web") {
    const d = input.device ?? {};
    Object.assign(device, {
      appName: clip(d.appName, SHORT), appVersion: clip(d.appVersion, 64), os: clip(d.os, 64),
      osVersion: clip(d.osVersion, 64), deviceModel: clip(d.model, 128),
    });
  }
  return {
    envId: input.envId,
    device,
    units: [{ mode: "client", source: input.source, subject: { userId: input.userId }, sessionId: input.sessionId, strictIdentity: false, messages }],
    warnings: outOfRange ? [timeWarning(outOfRange)] : [],
  };
}
