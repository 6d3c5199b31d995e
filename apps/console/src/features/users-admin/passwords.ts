import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@inbox/contracts/limits";

/** Letters and digits without the look-alikes (0/O, 1/l/I), so a password read off the screen is typed right. */
const ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** 18 characters of 57: about 105 bits. */
export const GENERATED_PASSWORD_LENGTH = 18;

/**
 * A random password from the browser's cryptographic generator. Bytes at or above the largest multiple of the
 * alphabet's size are drawn again, so every character is equally likely.
 */
export function generatePassword(random: (bytes: Uint8Array) => void = (b) => crypto.getRandomValues(b)): string {
  const limit = 256 - (256 % ALPHABET.length);
  let password = "";
  const bytes = new Uint8Array(GENERATED_PASSWORD_LENGTH * 2);
  while (password.length < GENERATED_PASSWORD_LENGTH) {
    random(bytes);
    for (const byte of bytes) {
      if (byte < limit && password.length < GENERATED_PASSWORD_LENGTH) password += ALPHABET[byte % ALPHABET.length];
    }
  }
  return password;
}

/** The server's password rule (PasswordSchema), checked in the form: null when the password is acceptable. */
export function passwordProblem(password: string): "too_short" | "too_long" | null {
  if (password.length < MIN_PASSWORD_LENGTH) return "too_short";
  if (password.length > MAX_PASSWORD_LENGTH) return "too_long";
  return null;
}
