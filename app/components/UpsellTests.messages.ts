import { defineMessages } from "../i18n/messages";

export const messages = defineMessages({
  en: {
    heading: "A/B tests",
    window: "Buyers of the last {days} days.",
    title: "{rule}: A/B test",
    ruleNamed: "Rule “{name}”",
    ruleNumber: "Rule {number}",
    earlierRule: "An earlier test",
    split: "{b} % of shoppers see version B, {holdout} % see no offer (the holdout).",
    splitNoHoldout: "{b} % of shoppers see version B, the rest version A.",
    splitHoldoutOnly: "{holdout} % of shoppers see no offer (the holdout), the rest the offer.",
    since: "First buyer {date}.",
    noBuyers: "No buyer in this test yet in these days.",
    ended: "Ended: the rule's offer or split changed since. These are its results in these days.",
    version: "Version",
    offer: "Offer",
    buyers: "Buyers",
    accepted: "Accepted",
    charged: "Charged",
    conversion: "Conversion",
    revenue: "Revenue charged",
    valuePerBuyer: "Value per buyer",
    versionA: "A",
    versionB: "B",
    holdout: "Holdout",
    noOffer: "No offer",
    offerWithDiscount: "{title}, {discount}",
    percentOff: "{value} % off",
    amountOff: "{amount} off",
    unknownProduct: "Product not known yet",
    tooFew: "Too early to call: each version needs at least {min} buyers ({count} more to go).",
    winner:
      "Version {winner} is the winner: it brings {amount} more per buyer than version {loser} (95 % confidence: {low} to {high}).",
    noDifference:
      "No winner: version B brings {amount} per buyer compared with A, and with 95 % confidence the difference lies between {low} and {high}, so it could be chance.",
    incremental:
      "Against the holdout, version {arm} adds {amount} per buyer (95 % confidence: {low} to {high}).",
    incrementalTooFew:
      "Against the holdout, version {arm}: needs at least two buyers in each group.",
    definition:
      "Value per buyer: the upsell Shopify charged plus what the customer ordered in the {days} days after. The holdout shows what buyers spend without the offer.",
    chartLabel: "Value per buyer by version.",
    keepA: "End the test: keep version A",
    keepB: "End the test: make version B the offer",
    endHoldout: "End the test: show the offer to everyone",
    keepChanged: "This rule's test changed since the page loaded. Reload to see it as it is now.",
    keepInvalid:
      "The upsell settings could not be saved as they are: open the recipe's page to fix them.",
  },
  fr: {
    heading: "Tests A/B",
    window: "Acheteurs des {days} derniers jours.",
    title: "{rule} : test A/B",
    ruleNamed: "Règle « {name} »",
    ruleNumber: "Règle {number}",
    earlierRule: "Un test précédent",
    split:
      "{b} % des acheteurs voient la version B, {holdout} % ne voient aucune offre (le groupe témoin).",
    splitNoHoldout: "{b} % des acheteurs voient la version B, les autres la version A.",
    splitHoldoutOnly:
      "{holdout} % des acheteurs ne voient aucune offre (le groupe témoin), les autres l’offre.",
    since: "Premier acheteur {date}.",
    noBuyers: "Aucun acheteur dans ce test sur ces jours.",
    ended:
      "Terminé : l’offre ou la répartition de la règle a changé depuis. Voici ses résultats sur ces jours.",
    version: "Version",
    offer: "Offre",
    buyers: "Acheteurs",
    accepted: "Acceptées",
    charged: "Facturées",
    conversion: "Conversion",
    revenue: "Chiffre d’affaires facturé",
    valuePerBuyer: "Valeur par acheteur",
    versionA: "A",
    versionB: "B",
    holdout: "Groupe témoin",
    noOffer: "Aucune offre",
    offerWithDiscount: "{title}, {discount}",
    percentOff: "{value} % de réduction",
    amountOff: "{amount} de réduction",
    unknownProduct: "Produit pas encore connu",
    tooFew:
      "Trop tôt pour conclure : chaque version doit avoir au moins {min} acheteurs (encore {count}).",
    winner:
      "La version {winner} l’emporte : elle rapporte {amount} de plus par acheteur que la version {loser} (confiance à 95 % : de {low} à {high}).",
    noDifference:
      "Pas de gagnant : la version B rapporte {amount} par acheteur par rapport à A, et avec une confiance de 95 % l’écart se situe entre {low} et {high} : il peut être dû au hasard.",
    incremental:
      "Par rapport au groupe témoin, la version {arm} ajoute {amount} par acheteur (confiance à 95 % : de {low} à {high}).",
    incrementalTooFew:
      "Par rapport au groupe témoin, version {arm} : il faut au moins deux acheteurs dans chaque groupe.",
    definition:
      "Valeur par acheteur : l’offre facturée par Shopify plus ce que le client a commandé dans les {days} jours suivants. Le groupe témoin montre ce que les acheteurs dépensent sans l’offre.",
    chartLabel: "Valeur par acheteur par version.",
    keepA: "Terminer le test : garder la version A",
    keepB: "Terminer le test : faire de la version B l’offre",
    endHoldout: "Terminer le test : montrer l’offre à tous",
    keepChanged:
      "Le test de cette règle a changé depuis le chargement de la page. Rechargez pour le voir tel qu’il est.",
    keepInvalid:
      "Les réglages de l’offre n’ont pas pu être enregistrés tels quels : ouvrez la page de la recette pour les corriger.",
  },
});
