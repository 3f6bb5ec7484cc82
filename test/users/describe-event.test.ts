// The describer for every event type, plus the odd shapes real data has.
import { describe, expect, test } from "bun:test";
import { DESCRIPTION_TEXT_CHARS, describeEvent } from "../../src/users/describe-event";

describe("describeEvent", () => {
  test.each([
    [{ type: "pageview", path: "/pricing" }, "Viewed /pricing"],
    [{ type: "pageview", path: null }, "Viewed /"],
    [{ type: "click", targetText: "Buy now", targetTag: "button" }, 'Clicked "Buy now"'],
    [{ type: "click", targetText: "  Buy\n   now ", targetTag: "button" }, 'Clicked "Buy now"'],
    [{ type: "click", targetTag: "button", hierarchy: "html > body > button#buy.btn" }, "Clicked button #buy"],
    [{ type: "click", targetTag: "a", href: "/pricing" }, "Clicked link /pricing"],
    [{ type: "click", targetTag: "svg", hierarchy: 'html > body > svg[aria-label="Close"]' }, 'Clicked icon "Close"'],
    [{ type: "click" }, "Clicked element"],
    [{ type: "submit", targetTag: "form", hierarchy: "html > body > form#signup.card" }, "Submitted form #signup"],
    [{ type: "submit", targetTag: "form", hierarchy: "body|form#pay" }, "Submitted form #pay"],
    [{ type: "submit", props: { target_id: "checkout" } }, "Submitted form #checkout"],
    [{ type: "submit", path: "/contact" }, "Submitted form on /contact"],
    [{ type: "change", targetTag: "input", hierarchy: 'html > body > form > input#email[type="email"]' }, "Changed input #email"],
    [{ type: "change", targetTag: "select", hierarchy: 'html > body > select[name="country"]' }, "Changed select [name=country]"],
    [{ type: "change" }, "Changed input"],
    [{ type: "screen_view", path: "Checkout" }, "Viewed screen Checkout"],
    [{ type: "touch", targetText: "Pay" }, 'Touched "Pay"'],
    [{ type: "app_open" }, "Opened app"],
    [{ type: "app_install" }, "Installed app"],
    [{ type: "session_start" }, "Started session"],
    [{ type: "custom", name: "Checkout failed" }, "Checkout failed"],
    [{ type: "custom", name: "<script>alert(1)</script>" }, "<script>alert(1)</script>"],
    [{ type: "custom", name: "" }, "Custom event"],
    [{ type: "mystery" }, "mystery"],
  ])("%j → %s", (event, expected) => {
    expect(describeEvent(event)).toBe(expected);
  });

  test("long target texts are cut to one line", () => {
    const d = describeEvent({ type: "click", targetText: "x".repeat(500) });
    expect(d.length).toBe(`Clicked ""`.length + DESCRIPTION_TEXT_CHARS);
    expect(d.endsWith('…"')).toBe(true);
  });
});
