// The choices the side panel offers: fixed lists (severity, status, ...) and those the map
// gives (its channels, beside the built-in ones; its pain points; its touchpoints), and what
// a channel of the journey's own may be called and when it may go. Pure, as fields.ts is.
import type { JourneyDoc } from "../../api/journey";
import { CONFIDENCE_LABEL, OPPORTUNITY_STATUS, statusText } from "../poster";

export interface Option {
  value: string;
  label: string;
}

export interface OptionGroup {
  label: string | null; // null: options not in a group
  options: Option[];
}

export function opts(pairs: readonly (readonly [string, string])[]): OptionGroup[] {
  return [{ label: null, options: pairs.map(([value, label]) => ({ value, label })) }];
}

export const NONE = ["", "—"] as const;
export const RATING_WORDS = ["very low", "low", "medium", "high", "very high"];
export const SEVERITY_WORDS = ["minor", "annoying", "serious", "severe", "critical"];

export function ratings(words: readonly string[]): [string, string][] {
  return words.map((w, i) => [String(i + 1), `${i + 1} – ${w}`]);
}

export const CONFIDENCE_OPTIONS = opts(
  Object.entries(CONFIDENCE_LABEL).map(([v, l]) => [v, l] as const),
);
export const FREQUENCY_OPTIONS = opts([
  NONE,
  ["rare", "Rare"],
  ["occasional", "Occasional"],
  ["frequent", "Frequent"],
  ["constant", "Constant"],
]);
export const STATUS_OPTIONS = opts(
  OPPORTUNITY_STATUS.map((s) => [s, statusText(s).replace(/^./, (c) => c.toUpperCase())] as const),
);
export const MODE_OPTIONS = opts([
  ["digital", "Digital"],
  ["physical", "Physical"],
]);
export const JOURNEY_STATUS_OPTIONS = opts([
  ["draft", "Draft"],
  ["researched", "Researched"],
  ["live", "Live"],
  ["retired", "Retired"],
]);
export const JOURNEY_STATE_OPTIONS = opts([
  ["current", "Current state"],
  ["future", "Future state"],
]);

/** The built-in channels (src/journeymap/domain/channels.py BUILTIN_CHANNELS): every journey
 * has them beside its own. The e2e test holds the two lists together. */
export const BUILTIN_CHANNELS: readonly { id: string; name: string; mode: "digital" | "physical" }[] =
  [
    { id: "web", name: "Website", mode: "digital" },
    { id: "app", name: "Mobile app", mode: "digital" },
    { id: "email", name: "Email", mode: "digital" },
    { id: "sms", name: "Text message", mode: "digital" },
    { id: "phone", name: "Phone", mode: "physical" },
    { id: "chat", name: "Chat", mode: "digital" },
    { id: "social", name: "Social media", mode: "digital" },
    { id: "search", name: "Search engine", mode: "digital" },
    { id: "ads", name: "Advertising", mode: "digital" },
    { id: "reviews", name: "Review sites", mode: "digital" },
    { id: "store", name: "Store", mode: "physical" },
    { id: "in-person", name: "In person", mode: "physical" },
    { id: "mail", name: "Post", mode: "physical" },
    { id: "print", name: "Print", mode: "physical" },
    { id: "tv", name: "TV and radio", mode: "physical" },
    { id: "event", name: "Event", mode: "physical" },
    { id: "referral", name: "Word of mouth", mode: "physical" },
    { id: "delivery", name: "Delivery", mode: "physical" },
    { id: "partner", name: "Partner", mode: "digital" },
    { id: "product", name: "The product itself", mode: "digital" },
  ];

type ChannelLike = { id: string; name: string; mode?: string | null; deleted?: boolean | null };

function liveChannels(doc: Pick<JourneyDoc, "channels">): ChannelLike[] {
  return (doc.channels as ChannelLike[]).filter((c) => !c.deleted);
}

/** A touchpoint's channel choices: none, the journey's own channels, the built-in ones (a
 * custom channel with a built-in's id replaces it), and the card's current one if it is none
 * of these (kept as it is, so opening the panel changes nothing). */
export function channelOptions(
  doc: Pick<JourneyDoc, "channels">,
  current: string | null | undefined,
  /** "No channel" is offered only to a touchpoint bound to events (the server refuses a
   * touchpoint with neither), or to one that has none now. */
  noneAllowed = false,
): OptionGroup[] {
  const own = liveChannels(doc);
  const ownIds = new Set(own.map((c) => c.id));
  const builtin = BUILTIN_CHANNELS.filter((c) => !ownIds.has(c.id));
  const groups: OptionGroup[] =
    noneAllowed || !current ? [{ label: null, options: [{ value: "", label: "No channel" }] }] : [];
  if (own.length) {
    groups.push({
      label: "This journey's channels",
      options: own.map((c) => ({ value: c.id, label: c.name })),
    });
  }
  groups.push({
    label: "Built-in channels",
    options: builtin.map((c) => ({ value: c.id, label: c.name })),
  });
  if (current && !ownIds.has(current) && !BUILTIN_CHANNELS.some((c) => c.id === current)) {
    groups[0]!.options.push({ value: current, label: current });
  }
  return groups;
}

/** The mode a channel has unless a card says otherwise (digital for one nobody declared). */
export function channelMode(
  doc: Pick<JourneyDoc, "channels">,
  channel: string | null | undefined,
): "digital" | "physical" {
  const found =
    liveChannels(doc).find((c) => c.id === channel) ??
    BUILTIN_CHANNELS.find((c) => c.id === channel);
  return found?.mode === "physical" ? "physical" : "digital";
}

/** The journey's pain-point cards, as an opportunity's checkboxes list them. */
export function painPointChoices(doc: Pick<JourneyDoc, "cards">): Option[] {
  return doc.cards
    .filter((c) => c.kind === "pain_point" && !(c as { deleted?: boolean }).deleted)
    .map((c) => ({ value: c.id, label: c.text }));
}

/** The journey's touchpoints, which a quote may speak of. */
export function touchpointChoices(doc: Pick<JourneyDoc, "cards">): OptionGroup[] {
  return [
    {
      label: null,
      options: [
        { value: "", label: "No touchpoint" },
        ...doc.cards
          .filter((c) => c.kind === "touchpoint")
          .map((c) => ({ value: c.id, label: c.text })),
      ],
    },
  ];
}

/** An id for a new channel of the journey's own: its name as a slug and a short random part,
 * so that it claims no built-in channel's id or alias (the server refuses those). */
export function channelId(name: string, random: string = crypto.randomUUID()): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${slug || "channel"}-${random.replaceAll("-", "").slice(0, 6)}`;
}

/** Why a channel cannot be deleted now (touchpoints use it: the server would refuse), or null. */
export function channelInUse(doc: Pick<JourneyDoc, "cards">, channel: string): string | null {
  const users = doc.cards.filter((c) => c.kind === "touchpoint" && c.channel === channel).length;
  if (users === 0) return null;
  const which = users === 1 ? "1 touchpoint uses" : `${users} touchpoints use`;
  return `${which} this channel: give them another channel first.`;
}

/** Whether a touchpoint names the events that mean it (then it may go without a channel). */
export function boundToEvents(card: { events?: { names?: string[]; patterns?: string[] } | null }) {
  return (card.events?.names?.length ?? 0) + (card.events?.patterns?.length ?? 0) > 0;
}
