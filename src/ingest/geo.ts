// IP → country / region / city from a MaxMind-format (.mmdb) city database, opened once.
import { Reader, type CityResponse } from "maxmind";
import { readFileSync } from "node:fs";
import { log } from "../log";

export interface Place {
  country: string | null;
  region: string | null;
  city: string | null;
}

export class GeoLookup {
  private reader: Reader<CityResponse> | null = null;

  constructor(path: string | undefined) {
    if (!path) return;
    try {
      this.reader = new Reader<CityResponse>(readFileSync(path));
    } catch (err) {
      log.error("could not open the GeoIP database; locations stay empty", { path, error: String(err) });
    }
  }

  get enabled(): boolean {
    return this.reader !== null;
  }

  lookup(ip: string | null): Place | null {
    if (!this.reader || !ip) return null;
    try {
      const r = this.reader.get(ip);
      if (!r) return null;
      const sub = r.subdivisions?.[0];
      return {
        country: r.country?.iso_code ?? r.registered_country?.iso_code ?? null,
        region: sub?.names?.en ?? sub?.iso_code ?? null,
        city: r.city?.names?.en ?? null,
      };
    } catch {
      return null; // not an IP address
    }
  }
}
