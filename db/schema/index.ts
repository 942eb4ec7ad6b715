export * from "./shops";
export * from "./sessions";
