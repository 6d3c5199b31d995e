export * from "./secret-box";
export * from "./encrypt-stored-secrets";
