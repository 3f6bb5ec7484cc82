// Locations as shown: stored ISO country codes (GeoIP databases, proxy headers) read as country names.
import { expect, test } from "bun:test";
import { countryName, formatLocation } from "../../src/users/location";

test("country codes show as names; anything else as stored, without empty or repeated parts", () => {
  expect(formatLocation({ country: "US" })).toBe("United States");
  expect(formatLocation({ city: "San Francisco", region: "CA", country: "US" })).toBe("San Francisco, CA, United States");
  expect(formatLocation({ city: "London", region: "England", country: "gb" })).toBe("London, England, United Kingdom");
  expect(formatLocation({ city: "Paris", region: "Île-de-France", country: "France" })).toBe("Paris, Île-de-France, France");
  expect(formatLocation({ city: "Singapore", country: "SG" })).toBe("Singapore");
  expect(formatLocation({ city: null, region: " ", country: null })).toBe("");
  expect(countryName("ZZ")).toBe("ZZ");
  expect(countryName("<b>")).toBe("<b>");
});
