// The one hierarchy parser against the one writer (src/ingest/hierarchy.ts): what ingest stores reads back.
import { describe, expect, test } from "bun:test";
import { parseHierarchy, sameTargetKey, splitHierarchy, targetStep } from "../../src/events/hierarchy";
import { hierarchyString, type HierarchyStep } from "../../src/ingest/hierarchy";

describe("parseHierarchy", () => {
  test("hierarchy steps parse tag, id, classes and attributes with quotes", () => {
    expect(targetStep('html > body > input#q.a.b[name="q"][data-x="a b"]')).toEqual({ tag: "input", id: "q", classes: ["a", "b"], attrs: { name: "q", "data-x": "a b" } });
    expect(targetStep("")).toBeUndefined();
    expect(splitHierarchy("body|form#pay")).toEqual(["body", "form#pay"]);
  });

  test("a ` > ` or `|` inside a quoted value is text, not a step boundary", () => {
    expect(splitHierarchy('html > body > a[aria-label="Next > step | go"]')).toEqual(["html", "body", 'a[aria-label="Next > step | go"]']);
    expect(targetStep('a[aria-label="Next > step"]')?.attrs["aria-label"]).toBe("Next > step");
  });

  // A seeded generator of awkward steps: every character class the writer escapes, in every part.
  const alphabet = ["a", "Z", "9", "-", "_", ".", "#", ":", " ", ">", "|", '"', "\\", "[", "]", "é", "😀"];
  let seed = 12345;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const word = (min = 1) => Array.from({ length: min + rand(6) }, () => alphabet[rand(alphabet.length)]).join("");

  test("whatever ingest writes, the parser reads back: tag, id, classes and stable attributes", () => {
    for (let run = 0; run < 300; run++) {
      const steps: HierarchyStep[] = Array.from({ length: 1 + rand(4) }, () => ({
        tag: ["div", "button", "a", "my-widget"][rand(4)],
        id: rand(2) ? word() : null,
        classes: Array.from({ length: rand(3) }, () => word()),
        attrs: rand(2) ? { name: word(0), "data-test": word(0), "aria-label": word(0) } : ({} as Record<string, string>),
      }));
      const parsed = parseHierarchy(hierarchyString(steps));
      expect(parsed.length).toBe(steps.length);
      parsed.forEach((p, i) => {
        const s = steps[i];
        expect(p.tag).toBe(s.tag);
        expect(p.id).toBe(s.id ?? undefined);
        expect(p.classes).toEqual((s.classes ?? []).filter(Boolean));
        // Newlines become spaces in attribute values; nothing else is lost.
        expect(p.attrs).toEqual(Object.fromEntries(Object.entries(s.attrs ?? {}).map(([k, v]) => [k, String(v).replace(/\n/g, " ")])));
      });
    }
  });
});

describe("sameTargetKey: what counts as one target for rage clicks", () => {
  const buy = (cls: string) => `html > body.${cls} > main > button#buy.btn.${cls}[type="submit"]`;
  test("classes never matter, on the element or its ancestors", () => {
    expect(sameTargetKey(buy("hover"), "Buy")).toBe(sameTargetKey(buy("is-loading.pressed"), "Buy"));
    expect(sameTargetKey("html > body > div.card > button.btn", "Retry")).toBe(sameTargetKey("html > body > div.card.pulse-3 > button.btn.pulse-3", "Retry"));
  });
  test("ids, stable attributes and the path tell targets apart", () => {
    expect(sameTargetKey('main > button#a[type="button"]', "Go")).not.toBe(sameTargetKey('main > button#b[type="button"]', "Go"));
    expect(sameTargetKey('li > a[data-nav="home"]', "Home")).not.toBe(sameTargetKey('li > a[data-nav="docs"]', "Home"));
    expect(sameTargetKey("header > nav > a", "Home")).not.toBe(sameTargetKey("footer > nav > a", "Home"));
  });
  test("text tells apart look-alike buttons nothing else names; a named button keeps its identity as its label changes", () => {
    expect(sameTargetKey('div.keypad > button.key[type="button"]', "7")).not.toBe(sameTargetKey('div.keypad > button.key[type="button"]', "8"));
    expect(sameTargetKey("form > button#pay.btn", "Pay")).toBe(sameTargetKey("form > button#pay.btn.busy", "Paying…"));
    expect(sameTargetKey('form > button[aria-label="Pay"]', "Pay")).toBe(sameTargetKey('form > button[aria-label="Pay"]', "Paying…"));
  });
});
