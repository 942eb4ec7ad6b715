export * from "./shops";
export * from "./sessions";
export * from "./webhook-events";
export * from "./read-model";
export * from "./jobs";
