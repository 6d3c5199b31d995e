import { parsePhoneNumberFromString } from "libphonenumber-js";

/** Country whose national format ("0151 …") a search for a number is read in. */
const DEFAULT_REGION = "DE";

/**
 * The digit strings to look for in stored numbers (international digits without "+", e.g. "4915112345678") when
 * someone searches for a number as people write it: "+49 151 …", "0049 151 …" or nationally "0151 …". A national
 * number becomes its international digits; a partial one ("0151 23") still finds numbers that contain "15123".
 * Fewer than three digits are no number search.
 */
export function phoneSearchDigits(q: string, region = DEFAULT_REGION): string[] {
  if (/[a-z]/i.test(q)) return [];
  const digits = q.replace(/\D/g, "");
  if (digits.length < 3) return [];
  const out = new Set<string>();
  if (q.trim().startsWith("+")) out.add(digits);
  else if (digits.startsWith("00")) out.add(digits.slice(2));
  else if (digits.startsWith("0")) {
    const parsed = parsePhoneNumberFromString(q, region as Parameters<typeof parsePhoneNumberFromString>[1]);
    if (parsed?.isPossible()) out.add(parsed.number.replace(/^\+/, ""));
    out.add(digits.replace(/^0+/, ""));
  } else out.add(digits);
  return [...out].filter((d) => d.length >= 3);
}
