import { defineMessages } from "../i18n/messages";

/** ActionsChart's screen-reader text and tooltips. */
export const chartMessages = defineMessages({
  en: {
    title: "Actions per day",
    desc_one: "{count} action over {days} days. ",
    desc_other: "{count} actions over {days} days. ",
    day: "{day}: {actions}",
    dayFailed: "{day}: {actions}, {failures} failed",
    bar_one: "{day}: {count} action",
    bar_other: "{day}: {count} actions",
    failed: ", {count} failed",
  },
  fr: {
    title: "Actions par jour",
    desc_one: "{count} action sur {days} jours. ",
    desc_other: "{count} actions sur {days} jours. ",
    day: "{day} : {actions}",
    dayFailed: "{day} : {actions}, {failures} en échec",
    bar_one: "{day} : {count} action",
    bar_other: "{day} : {count} actions",
    failed: ", {count} en échec",
  },
});

/** HistoryImportCard's badge and buttons (its sentences come from history-import-view.ts). */
export const historyImportMessages = defineMessages({
  en: {
    running: "Importing",
    done: "Done",
    failed: "Stopped",
    retrying: "Retrying: {error}",
    retry: "Retry",
    reimport: "Re-import history",
  },
  fr: {
    running: "Importation en cours",
    done: "Terminé",
    failed: "Interrompue",
    retrying: "Nouvelle tentative : {error}",
    retry: "Réessayer",
    reimport: "Réimporter l'historique",
  },
});

export const protectedDataMessages = defineMessages({
  en: { limited: "Limited among your switched-on recipes:", item: "{title}: {without}" },
  fr: { limited: "Limitées parmi vos recettes activées :", item: "{title} : {without}" },
});

export const saveBarMessages = defineMessages({
  en: { unsaved: "Unsaved changes", save: "Save", discard: "Discard" },
  fr: { unsaved: "Modifications non enregistrées", save: "Enregistrer", discard: "Ignorer" },
});
