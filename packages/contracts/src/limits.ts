/**
 * Plain limits shared by the server and the console, kept free of zod so the console can import them
 * (`@inbox/contracts/limits`) without pulling the schemas into its bundle.
 */

/** The shortest password the product accepts (create, admin reset, own change). */
export const MIN_PASSWORD_LENGTH = 10;
/** The longest password the product accepts (a bound on the hashing work per request). */
export const MAX_PASSWORD_LENGTH = 1000;
