// Enrich step: user agent → browser / OS / device type, bots dropped, IP → location, IP kept only if enabled.
import Bowser from "bowser";
import { isbot } from "isbot";
import type { ClientFacts } from "./client";
import type { GeoLookup } from "./geo";
import type { DeviceInfo, IngestRequest } from "./types";

export interface EnrichOptions {
  geo: GeoLookup;
  storeIp: boolean;
}

const DEVICE_TYPES: Record<string, string> = { desktop: "Desktop", mobile: "Mobile", tablet: "Tablet", tv: "TV" };

function fromUserAgent(ua: string, device: DeviceInfo): void {
  const parsed = Bowser.parse(ua);
  device.browser = parsed.browser.name ?? null;
  device.os = parsed.os.name ?? null;
  device.osVersion = parsed.os.version ?? null;
  device.deviceType = DEVICE_TYPES[parsed.platform.type ?? ""] ?? "Desktop";
  device.deviceModel ??= parsed.platform.model ?? null;
}

/** True when the whole request is to be dropped as a bot (web only: native HTTP stacks look like bots). */
export function enrich(request: IngestRequest, client: ClientFacts, opts: EnrichOptions): "bot" | null {
  const source = request.units[0]?.source;
  const device = request.device;
  if (source === "web") {
    if (!client.userAgent || isbot(client.userAgent)) return "bot";
    fromUserAgent(client.userAgent, device);
  } else if (source === "ios" || source === "android") {
    device.os ??= source === "ios" ? "iOS" : "Android";
    device.deviceType ??= /ipad|tablet|tab\b/i.test(device.deviceModel ?? "") ? "Tablet" : "Mobile";
  }
  if (source !== "server") {
    // A configured city database first, then a trusted proxy's (often city-level) headers, then the embedded countries.
    const place = opts.geo.hasCityDb ? opts.geo.lookup(client.ip) : (client.proxyGeo ?? opts.geo.lookup(client.ip));
    if (place) Object.assign(device, { country: place.country, region: place.region, city: place.city });
    if (opts.storeIp) device.ip = client.ip;
  }
  return null;
}
