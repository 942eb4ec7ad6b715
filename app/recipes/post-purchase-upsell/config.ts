import { z } from "zod";
import {
  countryList,
  listOf,
  money,
  percentShare,
  shopifyId,
  tagList,
  wholeNumber,
} from "../shared";

export const discountSchema = z
  .object({
    type: z
      .enum(["percentage", "fixed_amount"])
      .default("percentage")
      .meta({
        title: "Type",
        options: { percentage: "Percent off", fixed_amount: "Amount off" },
        fr: {
          title: "Type",
          options: { percentage: "Pourcentage de réduction", fixed_amount: "Montant de réduction" },
        },
      }),
    value: money(0, 10_000)
      .default(10)
      .meta({
        title: "Value",
        description: "A percentage, or an amount in your store's currency.",
        fr: {
          title: "Valeur",
          description: "Un pourcentage, ou un montant dans la devise de votre boutique.",
        },
      }),
  })
  .refine((d) => d.type !== "percentage" || d.value <= 90, {
    error: "A percentage discount is at most 90",
    path: ["value"],
  });

const copyText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `At most ${max} characters` });

/**
 * What an offer page says, per shopper language (the checkout's locale: French for fr-*,
 * English otherwise). An empty field keeps the page's own wording (`steps`: for a funnel step,
 * the first offer's words, then the page's).
 */
function copySchema(empty: "page" | "first-offer") {
  const keeps = (en: string, fr: string) =>
    empty === "page"
      ? { en: `Empty: “${en}”.`, fr: `Vide : « ${fr} ».` }
      : { en: "Empty: the first offer’s words.", fr: "Vide : les mots de la première offre." };
  const headlineEn = keeps("Add this to your order", "Add this to your order");
  const buttonEn = keeps("Pay now", "Pay now");
  const headlineFr = keeps("Ajoutez ceci à votre commande", "Ajoutez ceci à votre commande");
  const buttonFr = keeps("Payer maintenant", "Payer maintenant");
  const follows = { en: " The total follows it.", fr: " Le total suit." };
  return z
    .object({
      headlineEn: copyText(60)
        .default("")
        .meta({
          title: "Headline (English)",
          description: headlineEn.en,
          fr: { title: "Titre (anglais)", description: headlineEn.fr },
        }),
      bodyEn: copyText(200)
        .default("")
        .meta({
          title: "Message (English)",
          ...(empty === "page" ? {} : { description: headlineEn.en }),
          fr: {
            title: "Message (anglais)",
            ...(empty === "page" ? {} : { description: headlineEn.fr }),
          },
        }),
      buttonEn: copyText(30)
        .default("")
        .meta({
          title: "Button (English)",
          description: buttonEn.en + follows.en,
          fr: { title: "Bouton (anglais)", description: buttonEn.fr + follows.fr },
        }),
      headlineFr: copyText(60)
        .default("")
        .meta({
          title: "Headline (French)",
          description: headlineFr.en,
          fr: { title: "Titre (français)", description: headlineFr.fr },
        }),
      bodyFr: copyText(200)
        .default("")
        .meta({
          title: "Message (French)",
          ...(empty === "page" ? {} : { description: headlineFr.en }),
          fr: {
            title: "Message (français)",
            ...(empty === "page" ? {} : { description: headlineFr.fr }),
          },
        }),
      buttonFr: copyText(30)
        .default("")
        .meta({
          title: "Button (French)",
          description: buttonFr.en + follows.en,
          fr: { title: "Bouton (français)", description: buttonFr.fr + follows.fr },
        }),
    })
    .prefault({});
}

export const offerCopySchema = copySchema("page");
/** A funnel step's words: an empty field takes the first offer's. */
export const stepCopySchema = copySchema("first-offer");

export type OfferCopy = z.output<typeof offerCopySchema>;

export const offerRuleSchema = z
  .object({
    name: z
      .string()
      .trim()
      .max(60, { error: "At most 60 characters" })
      .default("")
      .meta({
        title: "Rule name",
        description: "For you; shoppers never see it.",
        fr: {
          title: "Nom de la règle",
          description: "Pour vous ; les acheteurs ne le voient jamais.",
        },
      }),
    everyOrder: z
      .boolean()
      .default(false)
      .meta({
        title: "Every order (a catch-all, checked last)",
        description: "No product condition: any order that reaches this rule gets its offer.",
        fr: {
          title: "Toutes les commandes (règle par défaut, vérifiée en dernier)",
          description:
            "Sans condition de produit : toute commande qui arrive à cette règle reçoit son offre.",
        },
      }),
    productIds: listOf(shopifyId("Product"))
      .default([])
      .meta({
        title: "When the order has any of these products",
        description: "Choose products, collections or tags below: at least one of them.",
        picker: "product",
        oneOfGroup: "trigger",
        fr: {
          title: "Quand la commande contient l’un de ces produits",
          description:
            "Choisissez ci-dessous des produits, des collections ou des balises : au moins l’un d’eux.",
        },
      }),
    collectionIds: listOf(shopifyId("Collection"))
      .default([])
      .meta({
        title: "…or a product from these collections",
        picker: "collection",
        oneOfGroup: "trigger",
        fr: { title: "…ou un produit de ces collections" },
      }),
    tags: tagList(20)
      .default([])
      .meta({
        title: "…or a product tagged",
        description: "Product tags, separated by commas.",
        oneOfGroup: "trigger",
        fr: {
          title: "…ou un produit avec la balise",
          description: "Balises de produit, séparées par des virgules.",
        },
      }),
    subtotalAtLeast: money(0)
      .default(0)
      .meta({
        title: "…and the order is at least",
        description: "In your store's currency; 0 for any amount.",
        fr: {
          title: "…et la commande atteint au moins",
          description: "Dans la devise de votre boutique ; 0 pour tout montant.",
        },
      }),
    subtotalAtMost: money(0)
      .optional()
      .meta({
        title: "…and at most",
        description: "Leave empty for no upper limit.",
        fr: { title: "…et au plus", description: "Laissez vide pour aucune limite." },
      }),
    customerTags: tagList(20)
      .default([])
      .meta({
        title: "…and the customer is tagged",
        description: "Customer tags, separated by commas; empty for every customer.",
        fr: {
          title: "…et le client a la balise",
          description: "Balises client, séparées par des virgules ; vide pour tous les clients.",
        },
      }),
    previousOrdersAtLeast: wholeNumber("orders", 0, 10_000)
      .default(0)
      .meta({
        title: "…and the customer had at least this many earlier orders",
        description: "0 for everyone. A guest counts as a new customer (none).",
        unit: "orders",
        fr: {
          title: "…et le client avait au moins ce nombre de commandes antérieures",
          description: "0 pour tout le monde. Un invité compte comme un nouveau client (aucune).",
        },
      }),
    previousOrdersAtMost: wholeNumber("orders", 0, 10_000)
      .optional()
      .meta({
        title: "…and at most",
        description: "0 for a customer's first order only; leave empty for no limit.",
        unit: "orders",
        fr: {
          title: "…et au plus",
          description:
            "0 pour la première commande d’un client seulement ; laissez vide pour aucune limite.",
        },
      }),
    shippingCountries: countryList(50)
      .default([])
      .meta({
        title: "…and the order ships to",
        description:
          "Two-letter country codes, separated by commas (US, CA, FR); empty for anywhere.",
        fr: {
          title: "…et la commande est livrée en",
          description:
            "Codes pays à deux lettres, séparés par des virgules (FR, BE, CA) ; vide pour partout.",
        },
      }),
    offerVariantId: shopifyId("ProductVariant").meta({
      title: "Offer this variant",
      picker: "variant",
      fr: { title: "Proposer cette variante" },
    }),
    fallbackVariantId: shopifyId("ProductVariant")
      .optional()
      .meta({
        title: "If it is short of stock, offer this one instead",
        picker: "variant",
        fr: { title: "Si son stock est insuffisant, proposer plutôt celle-ci" },
      }),
    discount: discountSchema
      .prefault({})
      .meta({ title: "Discount on the offer", fr: { title: "Réduction sur l’offre" } }),
    copy: offerCopySchema.meta({
      title: "What the offer page says",
      fr: { title: "Ce que dit la page de l’offre" },
    }),
    countdownMinutes: wholeNumber("minutes", 0, 60)
      .default(0)
      .meta({
        title: "Countdown on the offer",
        description:
          "0 for none. Each offer page counts down from this; when it runs out, the offer is declined and the buyer moves on.",
        unit: "minutes",
        fr: {
          title: "Compte à rebours sur l’offre",
          description:
            "0 pour aucun. Chaque page d’offre décompte à partir de cette durée ; à zéro, l’offre est refusée et l’acheteur continue.",
        },
      }),
    nextVariantId: shopifyId("ProductVariant")
      .optional()
      .meta({
        title: "Funnel: when they accept, offer this next",
        description: "A second offer on the same purchase. Leave empty to end there.",
        picker: "variant",
        fr: {
          title: "Entonnoir : s’ils acceptent, proposer ensuite cette variante",
          description: "Une deuxième offre sur le même achat. Laissez vide pour s’arrêter là.",
        },
      }),
    nextDiscount: discountSchema.prefault({}).meta({
      title: "Discount on the next offer",
      fr: { title: "Réduction sur l’offre suivante" },
    }),
    nextCopy: stepCopySchema.meta({
      title: "What the next offer’s page says",
      fr: { title: "Ce que dit la page de l’offre suivante" },
    }),
    downsellVariantId: shopifyId("ProductVariant")
      .optional()
      .meta({
        title: "Funnel: when they decline, offer this instead (a downsell)",
        description: "Often a cheaper product or a bigger discount. Leave empty to end there.",
        picker: "variant",
        fr: {
          title: "Entonnoir : s’ils refusent, proposer plutôt cette variante",
          description:
            "Souvent un produit moins cher ou une réduction plus forte. Laissez vide pour s’arrêter là.",
        },
      }),
    downsellDiscount: discountSchema
      .prefault({})
      .meta({ title: "Discount on the downsell", fr: { title: "Réduction sur l’offre de repli" } }),
    downsellCopy: stepCopySchema.meta({
      title: "What the downsell’s page says",
      fr: { title: "Ce que dit la page de l’offre de repli" },
    }),
    testShare: percentShare(0, 90)
      .default(0)
      .meta({
        title: "A/B test: show version B to this share of shoppers",
        description: "0 for no test. Version A is the offer above.",
        unit: "%",
        fr: {
          title: "Test A/B : montrer la version B à cette part des acheteurs",
          description: "0 pour aucun test. La version A est l’offre ci-dessus.",
        },
      }),
    testVariantId: shopifyId("ProductVariant")
      .optional()
      .meta({
        title: "Version B offers this variant",
        description: "Leave empty to test only a different discount on the same variant.",
        picker: "variant",
        fr: {
          title: "La version B propose cette variante",
          description:
            "Laissez vide pour tester seulement une autre réduction sur la même variante.",
        },
      }),
    testDiscount: discountSchema
      .prefault({})
      .meta({ title: "Version B's discount", fr: { title: "Réduction de la version B" } }),
    holdoutShare: percentShare(0, 50)
      .default(0)
      .meta({
        title: "Holdout: show no offer to this share of shoppers",
        description:
          "They are compared with those who saw an offer, to measure what the offer really adds.",
        unit: "%",
        fr: {
          title: "Groupe témoin : ne montrer aucune offre à cette part des acheteurs",
          description:
            "Comparés à ceux qui ont vu une offre, pour mesurer ce que l’offre rapporte vraiment.",
        },
      }),
  })
  .refine(
    (rule) =>
      rule.everyOrder === true ||
      [rule.productIds, rule.collectionIds, rule.tags].some(
        (list) => Array.isArray(list) && list.length > 0,
      ),
    {
      error: "Say which orders get this offer: a product, a collection or a tag",
      path: ["productIds"],
      // Shown together with the other fields' errors, not after they are fixed.
      when: () => true,
    },
  )
  .refine(
    (rule) =>
      rule.subtotalAtMost === undefined ||
      typeof rule.subtotalAtLeast !== "number" ||
      rule.subtotalAtMost >= rule.subtotalAtLeast,
    {
      error: "No order can be both: the most must be at least the least",
      path: ["subtotalAtMost"],
    },
  )
  .refine(
    (rule) =>
      rule.previousOrdersAtMost === undefined ||
      typeof rule.previousOrdersAtLeast !== "number" ||
      rule.previousOrdersAtMost >= rule.previousOrdersAtLeast,
    {
      error: "No customer can be both: the most must be at least the least",
      path: ["previousOrdersAtMost"],
    },
  )
  .refine(
    (rule) =>
      rule.fallbackVariantId === undefined || rule.fallbackVariantId !== rule.offerVariantId,
    {
      error: "The fallback must be a different variant",
      path: ["fallbackVariantId"],
    },
  )
  .refine(
    (rule) =>
      rule.downsellVariantId === undefined ||
      rule.downsellVariantId !== rule.offerVariantId ||
      rule.downsellDiscount?.type !== rule.discount?.type ||
      rule.downsellDiscount?.value !== rule.discount?.value,
    {
      error: "The downsell is the offer they just declined: choose another variant or discount",
      path: ["downsellVariantId"],
    },
  )
  .refine(
    (rule) => rule.nextVariantId === undefined || rule.nextVariantId !== rule.offerVariantId,
    {
      error: "They have just bought this variant: choose another for the next step",
      path: ["nextVariantId"],
    },
  )
  .refine(
    (rule) =>
      !(rule.testShare > 0) ||
      (rule.testVariantId ?? rule.offerVariantId) !== rule.offerVariantId ||
      rule.testDiscount?.type !== rule.discount?.type ||
      rule.testDiscount?.value !== rule.discount?.value,
    {
      error: "Version B is the same as the offer: choose another variant or discount",
      path: ["testVariantId"],
    },
  );

export const configSchema = z.object({
  rules: z
    .array(offerRuleSchema)
    .max(20, { error: "At most 20 rules" })
    .default([])
    // Rules are checked in order: after a catch-all, nothing is ever reached.
    .superRefine((rules, ctx) => {
      const catchAll = rules.findIndex((rule) => rule.everyOrder);
      if (catchAll >= 0 && catchAll < rules.length - 1)
        ctx.addIssue({
          code: "custom",
          message: "Rules after a catch-all can never match: make it the last rule",
          path: [catchAll, "everyOrder"],
        });
    })
    .meta({
      title: "Offer rules",
      description: "Checked in order; the first rule that matches and has stock wins.",
      itemTitle: "Rule",
      fr: {
        title: "Règles d’offre",
        description:
          "Vérifiées dans l’ordre ; la première règle qui correspond et dont la variante est en stock l’emporte.",
        itemTitle: "Règle",
        addItem: "Ajouter une règle",
      },
    }),
  minimumStock: wholeNumber("units", 1, 10_000)
    .default(3)
    .meta({
      title: "Only offer a variant with at least this many in stock",
      unit: "units",
      fr: { title: "Ne proposer qu’une variante ayant au moins ce stock" },
    }),
  minimumOrderTotal: money(0)
    .default(0)
    .meta({
      title: "Only after orders of at least",
      description: "In your store's currency; 0 for every order.",
      fr: {
        title: "Seulement après les commandes d’au moins",
        description: "Dans la devise de votre boutique ; 0 pour toutes les commandes.",
      },
    }),
});

export type UpsellConfig = z.output<typeof configSchema>;
export type OfferRule = UpsellConfig["rules"][number];
