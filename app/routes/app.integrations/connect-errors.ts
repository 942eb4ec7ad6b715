import type { Locale } from "../../i18n/locale";

/**
 * The connection checks (app/integrations/connections.server.ts) explain a vendor's refusal in
 * English sentences, on the field to fix; the same sentences in French, recognised by their
 * wording. A sentence this list does not know is shown as it is.
 */
type Rule = [pattern: RegExp, french: (...parts: string[]) => string];

const RULES: Rule[] = [
  [
    /^Connected, but Gorgias refused to register Switchboard's ticket updates: ([\s\S]*) The user needs permission to manage integrations\.$/,
    (inner) =>
      `Connecté, mais Gorgias a refusé d'enregistrer les mises à jour de tickets de Switchboard : ${connectErrorIn(inner, "fr")} L'utilisateur doit avoir le droit de gérer les intégrations.`,
  ],
  [
    /^([\s\S]+) did not accept these credentials \(([\s\S]*)\)\. Check that you copied the whole key\.$/,
    (vendor, detail) =>
      `${vendor} n'a pas accepté ces identifiants (${detail}). Vérifiez que vous avez copié la clé en entier.`,
  ],
  [
    /^([\s\S]+) accepted the key but refused this request: ([\s\S]*)$/,
    (vendor, detail) => `${vendor} a accepté la clé mais a refusé cette requête : ${detail}`,
  ],
  [
    /^Couldn't find ([\s\S]+): check the address\.$/,
    (host) => `Impossible de trouver ${host} : vérifiez l'adresse.`,
  ],
  [
    /^Couldn't reach ([\s\S]+) at (\S+) \(([\s\S]*)\)\. Try again in a minute\.$/,
    (vendor, host, detail) =>
      `Impossible de joindre ${vendor} à l'adresse ${host} (${detail}). Réessayez dans une minute.`,
  ],
  [
    /^([\s\S]+) at (\S+) did not answer in time\. Try again in a minute\.$/,
    (vendor, host) => `${vendor} (${host}) n'a pas répondu à temps. Réessayez dans une minute.`,
  ],
  [
    /^([\s\S]+) is rate limiting requests right now\. Try again in a minute\.$/,
    (vendor) => `${vendor} limite le nombre de requêtes en ce moment. Réessayez dans une minute.`,
  ],
  [
    /^([\s\S]+) had a problem \((\d+)\): ([\s\S]*)\. Try again in a minute\.$/,
    (vendor, status, detail) =>
      `${vendor} a rencontré un problème (${status}) : ${detail}. Réessayez dans une minute.`,
  ],
  [
    /^(\S+) is not a ([\s\S]+) API \(([\s\S]*)\)\. Check the address\.$/,
    (host, vendor, detail) =>
      `${host} n'est pas une API ${vendor} (${detail}). Vérifiez l'adresse.`,
  ],
  [
    /^([\s\S]+) refused the check: ([\s\S]*)$/,
    (vendor, detail) => `${vendor} a refusé la vérification : ${detail}`,
  ],
  [/^Klaviyo is not connected\.$/, () => "Klaviyo n'est pas connecté."],
  [
    /^These credentials belong to the helpdesk "([\s\S]+)", not "([\s\S]+)"\.$/,
    (actual, given) =>
      `Ces identifiants appartiennent au helpdesk « ${actual} », et non à « ${given} ».`,
  ],
  [
    /^No Gorgias helpdesk answers at (\S+): check the domain \(the "acme" in acme\.gorgias\.com\)\.$/,
    (host) =>
      `Aucun helpdesk Gorgias ne répond à l'adresse ${host} : vérifiez le domaine (le « acme » de acme.gorgias.com).`,
  ],
];

/** A connection check's message in the admin's language. */
export function connectErrorIn(message: string, locale: Locale): string {
  if (locale === "en") return message;
  for (const [pattern, french] of RULES) {
    const match = pattern.exec(message);
    if (match) return french(...match.slice(1));
  }
  return message;
}
