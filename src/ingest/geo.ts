// IP → country / region / city. A MaxMind-format city database when one is configured (LOUPE_GEOIP_DB);
// otherwise the country database embedded in the binary, so locations work out of the box: the
// geo-whois-asn-country MMDB of the ip-location-db project (package licence CC0-1.0; built from GeoFeed,
// RIR WHOIS and ASN data, the NRO's under CC BY 4.0, attributed in README.md), ~8 MB, country codes only.
import { Reader, type CityResponse, type CountryResponse } from "maxmind";
import { readFileSync } from "node:fs";
import { BlockList, isIP } from "node:net";
import countryDbPath from "../../node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb" with { type: "file" };
import { log } from "../log";

export interface Place {
  country: string | null;
  region: string | null;
  city: string | null;
}

/**
 * Addresses that locate nobody: private, loopback, link-local, shared (CGNAT), documentation, benchmarking
 * and multicast ranges. The embedded data assigns some of them a country; a client there has none.
 */
const NOWHERE = new BlockList();
for (const [net, bits] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.0.2.0", 24],
  ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 3]] as const) NOWHERE.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [["::", 127], ["fc00::", 7], ["fe80::", 10], ["2001:db8::", 32], ["ff00::", 8]] as const) NOWHERE.addSubnet(net, bits, "ipv6");

/** A public unicast address, the only kind a location can be found for. */
export function isLocatable(ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/i, "");
  const family = isIP(v4);
  return family !== 0 && !NOWHERE.check(v4, family === 4 ? "ipv4" : "ipv6");
}

/** A record of the embedded database: only a country code (not MaxMind's country record shape). */
type CountryCode = { country_code?: string };

let embedded: Reader<CountryResponse> | null = null;
/** The country of an address in the embedded database, opened once per process. */
function embeddedCountry(address: string): string | undefined {
  embedded ??= new Reader<CountryResponse>(readFileSync(countryDbPath));
  return (embedded.get(address) as unknown as CountryCode | null)?.country_code;
}

export class GeoLookup {
  private city: Reader<CityResponse> | null = null;

  constructor(cityDbPath: string | undefined) {
    if (!cityDbPath) return;
    try {
      this.city = new Reader<CityResponse>(readFileSync(cityDbPath));
    } catch (err) {
      log.error("could not open the GeoIP database; locations come from the embedded country database", { path: cityDbPath, error: String(err) });
    }
  }

  /** A configured city database is open: it wins over proxy headers and the embedded countries. */
  get hasCityDb(): boolean {
    return this.city !== null;
  }

  lookup(ip: string | null): Place | null {
    if (!ip || !isLocatable(ip)) return null;
    const address = ip.replace(/^::ffff:/i, "");
    try {
      if (this.city) {
        const r = this.city.get(address);
        if (!r) return null;
        const sub = r.subdivisions?.[0];
        return {
          country: r.country?.iso_code ?? r.registered_country?.iso_code ?? null,
          region: sub?.names?.en ?? sub?.iso_code ?? null,
          city: r.city?.names?.en ?? null,
        };
      }
      const country = embeddedCountry(address);
      return country ? { country, region: null, city: null } : null;
    } catch {
      return null; // not an IP address
    }
  }
}
