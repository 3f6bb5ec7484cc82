// Where someone was, as people read it. Stored countries are mostly ISO codes (GeoIP databases, proxy
// headers): shown by their English names.
const COUNTRIES = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** "United States" for "US"; anything that is no two-letter code is shown as stored. */
export function countryName(country: string): string {
  if (!/^[A-Za-z]{2}$/.test(country)) return country;
  try {
    const name = COUNTRIES.of(country.toUpperCase());
    return name && name !== "Unknown Region" ? name : country;
  } catch {
    return country;
  }
}

/** Where someone was, as one line: "Paris, Île-de-France, France" without empty or repeated parts; "" when unknown. */
export function formatLocation(l: { city?: string | null; region?: string | null; country?: string | null } | null | undefined): string {
  if (!l) return "";
  const parts = [l.city, l.region, l.country ? countryName(l.country) : null].filter((p): p is string => !!p && p.trim() !== "");
  return [...new Set(parts)].join(", ");
}
