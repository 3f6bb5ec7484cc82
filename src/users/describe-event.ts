// Readable one-line descriptions of events ("Viewed /pricing", "Clicked \"Buy now\""), used by every
// page that lists events (session events, Most frequent, live feeds, the wall screen).
import type { JsonObject } from "../db/schema";
import { EVENT_PROPS } from "../events/model";
import { targetStep } from "../events/hierarchy";

/** The stored fields a description is made from (a row of `events`, or a part of one). */
export interface DescribableEvent {
  type: string;
  name?: string | null;
  path?: string | null;
  targetText?: string | null;
  targetTag?: string | null;
  hierarchy?: string | null;
  href?: string | null;
  props?: JsonObject | null;
}

/** Target texts longer than this are cut with an ellipsis: a description is one line. */
export const DESCRIPTION_TEXT_CHARS = 80;

const squash = (s: string) => s.replace(/\s+/g, " ").trim();
const cut = (s: string) => (s.length > DESCRIPTION_TEXT_CHARS ? `${s.slice(0, DESCRIPTION_TEXT_CHARS - 1)}…` : s);

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** `#signup`, else `[name=email]`, else `"Label"` from aria-label, else "" — how an element is pointed at. */
function elementRef(e: DescribableEvent): string {
  const step = targetStep(e.hierarchy);
  const id = str(e.props?.[EVENT_PROPS.targetId]) ?? step?.id;
  if (id) return `#${squash(id)}`;
  const name = step?.attrs.name;
  if (name) return `[name=${squash(name)}]`;
  const label = step?.attrs["aria-label"];
  if (label) return `"${cut(squash(label))}"`;
  return "";
}

function tagOf(e: DescribableEvent, fallback: string): string {
  return (str(e.targetTag) ?? targetStep(e.hierarchy)?.tag ?? fallback).toLowerCase() || fallback;
}

const ELEMENT_NAMES: Record<string, string> = { a: "link", img: "image", svg: "icon", textarea: "text area" };

/** `Clicked "Buy now"`, else `Clicked button #buy`, else `Clicked link /pricing`, else `Clicked button`. */
function describeTargeted(verb: string, e: DescribableEvent): string {
  const text = str(e.targetText);
  if (text && squash(text)) return `${verb} "${cut(squash(text))}"`;
  const tag = tagOf(e, "element");
  const noun = ELEMENT_NAMES[tag] ?? tag;
  const ref = elementRef(e);
  if (ref) return `${verb} ${noun} ${ref}`;
  const href = str(e.href);
  if (href) return `${verb} ${noun} ${cut(href)}`;
  return `${verb} ${noun}`;
}

/** One readable line for an event. Never empty; never interprets its input as markup (views escape it). */
export function describeEvent(e: DescribableEvent): string {
  switch (e.type) {
    case "pageview":
      return `Viewed ${cut(str(e.path) ?? "/")}`;
    case "screen_view":
      return `Viewed screen ${cut(squash(str(e.path) ?? str(e.props?.screen_name) ?? "(unnamed)"))}`;
    case "click":
      return describeTargeted("Clicked", e);
    case "touch":
      return describeTargeted("Touched", e);
    case "submit": {
      const ref = elementRef(e);
      return ref ? `Submitted form ${ref}` : str(e.path) ? `Submitted form on ${cut(e.path!)}` : "Submitted form";
    }
    case "change": {
      const ref = elementRef(e);
      const tag = tagOf(e, "input");
      return ref ? `Changed ${tag} ${ref}` : `Changed ${tag}`;
    }
    case "session_start":
      return "Started session";
    case "app_open":
      return "Opened app";
    case "app_install":
      return "Installed app";
    case "custom":
      return str(e.name) ?? "Custom event";
    default:
      return squash(e.name ?? "") || e.type;
  }
}
