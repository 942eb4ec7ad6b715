import type { Locale } from "../i18n/locale";
import { translator } from "../i18n/messages";
import { describeGuards, guardPromises, type GuardConfig } from "./engine/guards";
import { guardMessages, messages } from "./home-summary.messages";

/**
 * Home's first sentence, from the shop's state: how many switched-on recipes can act now (not
 * those paused by the plan, nor those waiting for an integration that is not connected), then
 * what the shop's own guard settings promise. Pure: the browser may import it.
 */
export function homeHeadline(
  input: {
    enabled: number;
    pausedByPlan: number;
    /** Switched on, not paused, but waiting for an integration they need. */
    waitingForIntegration: number;
    guards: GuardConfig;
  },
  locale: Locale = "en",
): string {
  const t = translator(messages, locale);
  if (input.enabled === 0) return t("none");
  const running = input.enabled - input.pausedByPlan - input.waitingForIntegration;
  const aside = [
    input.waitingForIntegration > 0 ? t("waiting", { count: input.waitingForIntegration }) : null,
    input.pausedByPlan > 0 ? t("paused", { count: input.pausedByPlan }) : null,
  ].filter(Boolean);
  const head = running === 0 ? t("noneRunning") : t("running", { count: running });
  const promises =
    locale === "en" ? guardPromises(input.guards) : guardSentence(input.guards, locale);
  return `${head}${aside.length ? ` (${aside.join(", ")})` : ""}. ${promises}`;
}

/** What the guards promise ("They …"), clause by clause from the shop's settings. */
export function guardSentence(
  config: GuardConfig,
  locale: Locale,
  subject: "they" | "everyRecipe" = "they",
): string {
  const t = translator(guardMessages, locale);
  const perHours = (hours: number) =>
    hours % 24 === 0
      ? hours === 24
        ? t("aDay")
        : t("everyDays", { count: hours / 24 })
      : hours === 1
        ? t("anHour")
        : t("everyHours", { count: hours });
  const clauses = [
    t("outOfStock"),
    t("marketing", {
      messages: t("message", { count: config.marketingMax }),
      window: perHours(config.marketingWindowHours),
    }),
    t("upsell", {
      upsells: t("upsells", { count: config.upsellMax }),
      window:
        config.upsellWindowDays === 1
          ? t("aDay")
          : t("everyDays", { count: config.upsellWindowDays }),
    }),
  ];
  const holds = [
    config.suppressWhileTicketOpen ? t("ticket") : null,
    config.suppressAfterRefund ? t("refund", { count: config.refundWindowDays }) : null,
  ].filter((h): h is string => h !== null);
  if (holds.length) clauses.push(t("quiet", { holds: holds.join(t("or")) }));
  const last = clauses.pop()!;
  return t("sentence", { subject: t(subject), clauses: clauses.join(", "), last });
}

/** The shared guards in the admin's language, for the Recipes screen. */
export function guardsDescription(config: GuardConfig, locale: Locale = "en"): string {
  return locale === "en" ? describeGuards(config) : guardSentence(config, locale, "everyRecipe");
}
