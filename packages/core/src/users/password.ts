import { hash, parseOptions, verify, type Options } from "@node-rs/argon2";

/**
 * argon2id at OWASP's minimum for argon2id (19 MiB memory, 2 passes, 1 lane), set explicitly rather than trusting a
 * library default. Hashes made with less (older installations, imported users) are replaced at the next sign-in.
 */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: 2, // Algorithm.Argon2id (a const enum in the typings, not importable under isolatedModules)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Whether a stored hash is weaker than PASSWORD_HASH_OPTIONS (or not argon2id at all) and should be replaced. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return (
      Number(o.algorithm) !== PASSWORD_HASH_OPTIONS.algorithm ||
      o.memoryCost < PASSWORD_HASH_OPTIONS.memoryCost ||
      o.timeCost < PASSWORD_HASH_OPTIONS.timeCost
    );
  } catch {
    return true;
  }
}

export { MIN_PASSWORD_LENGTH } from "@inbox/contracts";
