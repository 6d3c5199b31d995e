import { describe, expect, it } from "vitest";
import { CLOUD_API_ERRORS, describeCloudApiError, isRetryableError } from "./errors";

const REQUIRED = [
  130429, 131056, 131047, 131026, 131049, 131050, 131051, 131052, 131053, 131000, 131008, 131009, 131021, 131031,
  131042, 131048, 131057, 131062, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 190, 4, 80007, 100, 1, 2, 368,
  133016,
];
const RETRYABLE = [130429, 131056, 131000, 131057, 1, 2, 4, 80007];

describe("Cloud API error table", () => {
  it("covers every code with wording in German and English", () => {
    for (const code of REQUIRED) {
      const info = CLOUD_API_ERRORS[code];
      expect(info, String(code)).toBeDefined();
      expect(info!.title.length).toBeGreaterThan(3);
      expect(info!.details.length).toBeGreaterThan(3);
      expect(info!.reason.de.length).toBeGreaterThan(3);
      expect(info!.reason.en.length).toBeGreaterThan(3);
    }
  });

  it("marks throughput, transient and server errors retryable, policy errors permanent", () => {
    for (const code of REQUIRED) expect(isRetryableError(code), String(code)).toBe(RETRYABLE.includes(code));
    expect(isRetryableError(undefined, 503)).toBe(true);
    expect(isRetryableError(999999, 400)).toBe(false);
  });

  it("describes unknown codes generically", () => {
    expect(describeCloudApiError(131047, "en")).toMatch(/24-hour/);
    expect(describeCloudApiError(42)).toMatch(/Fehler 42/);
  });
});
