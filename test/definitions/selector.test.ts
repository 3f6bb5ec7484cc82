// The definitions' selector matcher over stored hierarchies.
import { describe, expect, test } from "bun:test";
import { matchesSelector } from "../../src/definitions/selector";
import { hierarchyString } from "../../src/ingest/hierarchy";

describe("selector matching over stored hierarchies", () => {
  const h = 'html > body > div#app.main > form#signup > button#buy.btn.primary[type="submit"][data-test="buy"]';
  test.each([
    ["button", true], ["#buy", true], [".btn.primary", true], ["[type=submit]", true], ['[data-test="buy"]', true],
    ["form button", true], ["form > button", true], ["div > button", false], ["div button.btn", true],
    ["a", false], ["#app", false], ["[type=reset]", false], ["body >", false], ["button:hover", false],
  ])("%s → %p", (selector, expected) => {
    expect(matchesSelector(selector, h)).toBe(expected);
  });
});

describe("selectors over what ingest writes", () => {
  test("escaped ids and classes, and a value holding ` > `, match by their real text", () => {
    const h = hierarchyString([{ tag: "div", id: "app" }, { tag: "button", id: "buy.now", classes: ["md:flex", "btn"], attrs: { "aria-label": "Next > step" } }])!;
    expect(matchesSelector("div > button.btn", h)).toBe(true);
    expect(matchesSelector("[aria-label]", h)).toBe(true);
    expect(matchesSelector("#app button", h)).toBe(true);
  });
});
