import { defineMessages } from "../i18n/messages";

export const messages = defineMessages({
  en: {
    and: " and ",
    key: "Switchboard deletes the key; you can connect {name} again at any time.",
    noneNeeds: "No switched-on recipe needs {name}. {key}",
    stopping_one:
      "{recipes} will stop sending to {name}. What it decides meanwhile waits and is sent when you reconnect {name}; anything that waits more than {days} days is dropped instead of sent late. {key}",
    stopping_other:
      "{recipes} will stop sending to {name}. What they decide meanwhile waits and is sent when you reconnect {name}; anything that waits more than {days} days is dropped instead of sent late. {key}",
    delivered_one: "{count} action that waited is being sent to {name} now",
    delivered_other: "{count} actions that waited are being sent to {name} now",
    dropped_one: "{count} that waited more than {days} days was dropped",
    dropped_other: "{count} that waited more than {days} days were dropped",
    notConnectedOne: "{names} is not connected; ",
    notConnectedMany: "{names} are not connected; ",
    noRecipeOne: "no recipe needs it.",
    noRecipeMany: "no recipe needs one of them.",
    needingOne_one: "{count} of the {total} recipes need it.",
    needingOne_other: "{count} of the {total} recipes need it.",
    needingMany_one: "{count} of the {total} recipes need one of them.",
    needingMany_other: "{count} of the {total} recipes need one of them.",
    gapTitle_one: "{name} is not connected: {recipes} is waiting for it",
    gapTitle_other: "{name} is not connected: {recipes} are waiting for it",
    gapWaiting_one:
      "{count} action is waiting for {name}, the oldest since {since}. Reconnect {name} to send it; anything that waits more than {days} days is dropped instead of sent late.",
    gapWaiting_other:
      "{count} actions are waiting for {name}, the oldest since {since}. Reconnect {name} to send them; anything that waits more than {days} days is dropped instead of sent late.",
    gapNothing_one:
      "Nothing is waiting yet. What this recipe decides from now on waits for {name} and is sent when you reconnect it; anything that waits more than {days} days is dropped instead of sent late.",
    gapNothing_other:
      "Nothing is waiting yet. What these recipes decide from now on waits for {name} and is sent when you reconnect it; anything that waits more than {days} days is dropped instead of sent late.",
    heldWaiting: "Waiting for {name} to be connected",
    heldDropped: "Dropped: waited more than {days} days for {name} to be connected",
  },
  fr: {
    and: " et ",
    key: "Switchboard supprime la clé ; vous pouvez reconnecter {name} à tout moment.",
    noneNeeds: "Aucune recette activée n'a besoin de {name}. {key}",
    stopping_one:
      "{recipes} n'enverra plus rien à {name}. Ce qu'elle décide entre-temps est mis en attente et envoyé quand vous reconnectez {name} ; ce qui attend plus de {days} jours est abandonné plutôt qu'envoyé en retard. {key}",
    stopping_other:
      "{recipes} n'enverront plus rien à {name}. Ce qu'elles décident entre-temps est mis en attente et envoyé quand vous reconnectez {name} ; ce qui attend plus de {days} jours est abandonné plutôt qu'envoyé en retard. {key}",
    delivered_one: "{count} action en attente est en cours d'envoi à {name}",
    delivered_other: "{count} actions en attente sont en cours d'envoi à {name}",
    dropped_one: "{count} action en attente depuis plus de {days} jours a été abandonnée",
    dropped_other: "{count} actions en attente depuis plus de {days} jours ont été abandonnées",
    notConnectedOne: "{names} n'est pas connecté ; ",
    notConnectedMany: "{names} ne sont pas connectés ; ",
    noRecipeOne: "aucune recette n'en a besoin.",
    noRecipeMany: "aucune recette n'a besoin de l'un d'eux.",
    needingOne_one: "{count} recette sur {total} en a besoin.",
    needingOne_other: "{count} recettes sur {total} en ont besoin.",
    needingMany_one: "{count} recette sur {total} a besoin de l'un d'eux.",
    needingMany_other: "{count} recettes sur {total} ont besoin de l'un d'eux.",
    gapTitle_one: "{name} n'est pas connecté : {recipes} l'attend",
    gapTitle_other: "{name} n'est pas connecté : {recipes} l'attendent",
    gapWaiting_one:
      "{count} action attend {name}, la plus ancienne depuis le {since}. Reconnectez {name} pour l'envoyer ; ce qui attend plus de {days} jours est abandonné plutôt qu'envoyé en retard.",
    gapWaiting_other:
      "{count} actions attendent {name}, la plus ancienne depuis le {since}. Reconnectez {name} pour les envoyer ; ce qui attend plus de {days} jours est abandonné plutôt qu'envoyé en retard.",
    gapNothing_one:
      "Rien n'est encore en attente. Ce que cette recette décide à partir de maintenant attend {name} et sera envoyé quand vous le reconnecterez ; ce qui attend plus de {days} jours est abandonné plutôt qu'envoyé en retard.",
    gapNothing_other:
      "Rien n'est encore en attente. Ce que ces recettes décident à partir de maintenant attend {name} et sera envoyé quand vous le reconnecterez ; ce qui attend plus de {days} jours est abandonné plutôt qu'envoyé en retard.",
    heldWaiting: "En attente de la connexion de {name}",
    heldDropped: "Abandonné : en attente de la connexion de {name} depuis plus de {days} jours",
  },
});
