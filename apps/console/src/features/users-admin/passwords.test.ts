import { describe, expect, it } from "vitest";
import { MIN_PASSWORD_LENGTH } from "@inbox/contracts/limits";
import { GENERATED_PASSWORD_LENGTH, generatePassword, passwordProblem } from "./passwords";

describe("generatePassword", () => {
  it("gives passwords of the full length from the unambiguous alphabet, different each time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toMatch(new RegExp(`^[a-km-zA-HJ-NP-Z2-9]{${GENERATED_PASSWORD_LENGTH}}$`));
      expect(passwordProblem(password)).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });

  it("draws again for bytes that would favour some characters", () => {
    // 57 characters: bytes from 228 on are skipped; the generator asks for more until the password is complete.
    let call = 0;
    const password = generatePassword((bytes) => {
      bytes.fill(call++ === 0 ? 255 : 0);
    });
    expect(call).toBe(2);
    expect(password).toBe("a".repeat(GENERATED_PASSWORD_LENGTH));
  });
});

describe("passwordProblem", () => {
  it("applies the server's length rule", () => {
    expect(passwordProblem("x".repeat(MIN_PASSWORD_LENGTH - 1))).toBe("too_short");
    expect(passwordProblem("x".repeat(MIN_PASSWORD_LENGTH))).toBeNull();
    expect(passwordProblem("x".repeat(1001))).toBe("too_long");
  });
});
